//! The fields of a tegrastats line (FORMATS.md §1.2–1.3), recognised by shape.
//!
//! [`field`] looks at one word, decides which field it starts, and consumes
//! the further words that field spans (`RAM 1/2MB (lfb 3x4MB)` is four
//! words). It returns `Ok(false)` for a word it does not recognise, leaving
//! the caller to restore its checkpoint and record the word as unknown, and
//! `Err` only for a capacity overflow. Values inside words are read by the
//! scanners in [`super::scan`].

use edgestat_core::name::push;
use edgestat_core::tegra::{Cpu, Engine, Gr3d, Iram, Mts, Rail, Ram, Swap, TegraSample};
use edgestat_core::tegra::{Emc, Temperature};
use edgestat_core::{DateTime, Name};
use heapless::Vec;

use super::scan::{self, whole};
use super::words::{Word, Words, class};
use crate::error::Error;
use crate::lex::{self, number};

/// Words that lead a fixed field. A repeat of one (a second `APE 25`) is
/// unknown rather than an engine of that name.
fn is_field_keyword(word: &[u8]) -> bool {
    matches!(word, b"RAM" | b"SWAP" | b"IRAM" | b"CPU" | b"EMC" | b"EMC_FREQ" | b"APE" | b"MTS")
}

/// How far a line has filled a sample.
#[derive(Default)]
pub(super) struct Progress {
    /// Whether the line had its `RAM` field.
    pub have_ram: bool,
    temperatures: usize,
    rails: usize,
    engines: usize,
}

impl Progress {
    /// Drops the entries that a previous line left beyond this line's.
    pub(super) fn finish(&self, sample: &mut TegraSample) {
        sample.temperatures.truncate(self.temperatures);
        sample.rails.truncate(self.rails);
        sample.engines.truncate(self.engines);
    }
}

/// Recognises the field that starts with `word`, filling `sample`.
pub(super) fn field(
    word: Word<'_>,
    words: &mut Words<'_>,
    sample: &mut TegraSample,
    progress: &mut Progress,
) -> Result<bool, Error> {
    let have_ram = &mut progress.have_ram;
    // Every fixed field starts with one of these letters; most words (sensors,
    // rails, engines) are sorted out by this one test.
    let may_be_keyword = matches!(
        word.bytes.first(),
        Some(b'R' | b'S' | b'I' | b'C' | b'c' | b'E' | b'A' | b'M' | b'G')
    );
    let keyword = may_be_keyword
        && match word.bytes {
            b"RAM" if !*have_ram => {
                *have_ram = set(&mut sample.ram, ram(words));
                *have_ram
            }
            b"SWAP" if sample.swap.is_none() => set_some(&mut sample.swap, swap(words)),
            b"IRAM" if sample.iram.is_none() => set_some(&mut sample.iram, iram(words)),
            b"CPU" | b"cpu" if sample.cpu.cores.is_empty() => {
                let parsed = cpu(words, &mut sample.cpu)?;
                sample.legacy = parsed && word.bytes == b"cpu";
                parsed
            }
            b"EMC_FREQ" | b"EMC" if sample.emc.is_none() => {
                let emc = words.next_if(|w| whole(w, emc));
                set_some(&mut sample.emc, emc)
            }
            b"APE" if sample.ape.is_none() => {
                set_some(&mut sample.ape, words.next_if(|w| whole(w, number)))
            }
            b"MTS" if sample.mts.is_none() => set_some(&mut sample.mts, mts(words)),
            bytes if bytes.starts_with(b"GR3D") => gr3d(bytes, words, &mut sample.gpus)?,
            _ => false,
        };
    if keyword {
        return Ok(true);
    }
    if word.any(class::AT) {
        return temperature(word, sample, progress);
    }
    // A keyword whose value did not fit its grammar may still name a rail
    // (`CPU 311/311` on AGX Xavier) or an engine.
    named(word, words, sample, progress)
}

/// Stores a single field's value; `false` when the field did not parse.
fn set<T>(slot: &mut T, value: Option<T>) -> bool {
    match value {
        Some(v) => {
            *slot = v;
            true
        }
        None => false,
    }
}

fn set_some<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
    set(slot, value.map(Some))
}

/// `MM-DD-YYYY HH:MM:SS` at the start of the line.
pub(super) fn timestamp(words: &mut Words<'_>) -> Option<DateTime> {
    let mut ahead = words.clone();
    let (month, day, year) = scan::triple::<2, 2, 4>(ahead.next()?, b'-')?;
    let (hour, minute, second) = scan::triple::<2, 2, 2>(ahead.next()?, b':')?;
    let byte = |v: u16| u8::try_from(v).ok();
    let ts =
        DateTime::new(year, byte(month)?, byte(day)?, byte(hour)?, byte(minute)?, byte(second)?)?;
    *words = ahead;
    Some(ts)
}

/// `RAM used/totalMB [(lfb NxSIZE)]`.
fn ram(words: &mut Words<'_>) -> Option<Ram> {
    let (used_mb, total_mb) = words.next_if(|w| whole(w, |w| scan::used_total(w, b"MB")))?;
    let lfb = parenthesised(words, b"(lfb", |w| {
        whole(w, |w| scan::lfb(w).and_then(|(lfb, rest)| Some((lfb, rest.strip_prefix(b")")?))))
    });
    Some(Ram { used_mb, total_mb, lfb })
}

/// `SWAP used/totalMB [(cached NMB)]`.
fn swap(words: &mut Words<'_>) -> Option<Swap> {
    let (used_mb, total_mb) = words.next_if(|w| whole(w, |w| scan::used_total(w, b"MB")))?;
    let cached_mb =
        parenthesised(words, b"(cached", |w| whole(w, |w| scan::number_then(w, b"MB)")));
    Some(Swap { used_mb, total_mb, cached_mb })
}

/// An optional two-word `(label value)` group after a field; consumed only
/// when both words parse.
fn parenthesised<T>(
    words: &mut Words<'_>,
    label: &[u8],
    value: impl FnOnce(&[u8]) -> Option<T>,
) -> Option<T> {
    let mut ahead = words.clone();
    if ahead.next()? != label {
        return None;
    }
    let parsed = value(ahead.next()?)?;
    *words = ahead;
    Some(parsed)
}

/// `IRAM used/totalkB(lfb NkB)`: the `(lfb` is glued to the first word.
fn iram(words: &mut Words<'_>) -> Option<Iram> {
    let (used_kb, total_kb, glued) = words.next_if(|w| {
        let ((used, total), rest) = scan::used_total(w, b"kB")?;
        match rest {
            b"" => Some((used, total, false)),
            b"(lfb" => Some((used, total, true)),
            _ => None,
        }
    })?;
    let lfb_kb = match glued {
        true => Some(words.next_if(|w| whole(w, |w| scan::number_then(w, b"kB)")))?),
        false => None,
    };
    Some(Iram { used_kb, total_kb, lfb_kb })
}

/// `[c0,c1,…]` then, in the legacy form, the shared `@MHz`. Cores go
/// straight into `cpu`; a malformed list is rolled back.
fn cpu(words: &mut Words<'_>, cpu: &mut Cpu) -> Result<bool, Error> {
    let mut ahead = words.clone();
    let Some(mut list) = ahead.next().and_then(|w| w.strip_prefix(b"[")) else {
        return Ok(false);
    };
    let tail = loop {
        if let Some(tail) = list.strip_prefix(b"]").filter(|_| cpu.cores.is_empty()) {
            break Some(tail); // `[]`
        }
        let Some((core, after)) = scan::core(list) else { break None };
        push(&mut cpu.cores, core, "CPU")?;
        match after {
            [b']', tail @ ..] => break Some(tail),
            [b',', next @ ..] if !next.starts_with(b"]") => list = next,
            _ => break None,
        }
    };
    let shared_freq_mhz = match tail {
        Some([]) => Some(None),
        Some([b'@', freq @ ..]) => whole(freq, number).map(Some),
        _ => None,
    };
    let Some(shared_freq_mhz) = shared_freq_mhz else {
        cpu.cores.clear();
        return Ok(false);
    };
    cpu.shared_freq_mhz = shared_freq_mhz;
    *words = ahead;
    Ok(true)
}

/// `load%[@MHz]`.
fn emc(input: &[u8]) -> scan::Scan<'_, Emc> {
    let (load, rest) = scan::percent(input)?;
    let (freq_mhz, rest) = scan::at_freq(rest)?;
    Some((Emc { load, freq_mhz }, rest))
}

/// `MTS fg x% bg y%`.
fn mts(words: &mut Words<'_>) -> Option<Mts> {
    let mut ahead = words.clone();
    let percent = |w: &[u8]| whole(w, scan::percent);
    (ahead.next()? == b"fg").then_some(())?;
    let fg = percent(ahead.next()?)?;
    (ahead.next()? == b"bg").then_some(())?;
    let bg = percent(ahead.next()?)?;
    *words = ahead;
    Some(Mts { fg, bg })
}

/// The name without `_FREQ`, and whether it had the suffix.
fn strip_freq(name: &[u8]) -> (&[u8], bool) {
    match name.strip_suffix(b"_FREQ") {
        Some(base) if !base.is_empty() => (base, true),
        _ => (name, false),
    }
}

/// `GR3D[n][_FREQ]` then `x%`, `x%@F`, `x%@[F,..]`, `@[F,..]` or `@F`.
fn gr3d<const N: usize>(
    word: &[u8],
    words: &mut Words<'_>,
    gpus: &mut Vec<Gr3d, N>,
) -> Result<bool, Error> {
    let (base, freq_suffix) = strip_freq(word);
    let Some(index) = base.strip_prefix(b"GR3D") else { return Ok(false) };
    if !index.iter().all(u8::is_ascii_digit) {
        return Ok(false);
    }
    let mut ahead = words.clone();
    let Some(value) = ahead.next() else { return Ok(false) };
    let (load, freqs) = match value.iter().position(|&b| b == b'@') {
        Some(at) => (value.get(..at).unwrap_or_default(), value.get(at + 1..)),
        None => (value, None),
    };
    let load = match load {
        [] => None,
        _ => match whole(load, scan::percent) {
            Some(l) => Some(l),
            None => return Ok(false),
        },
    };
    let mut gpu =
        Gr3d { name: Name::new(), freq_suffix, load, freqs_mhz: Vec::new(), bracketed: false };
    match freqs {
        None if load.is_none() => return Ok(false),
        None => {}
        Some(list) => {
            let inner = list.strip_prefix(b"[").and_then(|l| l.strip_suffix(b"]"));
            gpu.bracketed = inner.is_some();
            for f in inner.unwrap_or(list).split(|&b| b == b',') {
                let Some(f) = whole(f, number) else { return Ok(false) };
                push(&mut gpu.freqs_mhz, f, "GR3D_FREQ")?;
            }
        }
    }
    lex::set_name(&mut gpu.name, base, "GR3D_FREQ")?;
    push(gpus, gpu, "GR3D_FREQ")?;
    *words = ahead;
    Ok(true)
}

/// `name@valueC[/peakC]`.
fn temperature(
    word: Word<'_>,
    sample: &mut TegraSample,
    progress: &mut Progress,
) -> Result<bool, Error> {
    let Some((name, current, peak)) = whole(word.bytes, scan::temperature) else {
        return Ok(false);
    };
    if name.is_empty() || !name.iter().all(|&b| super::words::is_name_byte(b)) {
        return Ok(false);
    }
    let t = Temperature { name: Name::new(), current, peak };
    put(&mut sample.temperatures, &mut progress.temperatures, t, name, "temperature")?;
    Ok(true)
}

/// A field led by a free-form name: a rail (`NAME cur/avg[/peak]`) or an
/// engine (`NAME off|x%@F|F|@F`).
fn named(
    word: Word<'_>,
    words: &mut Words<'_>,
    sample: &mut TegraSample,
    progress: &mut Progress,
) -> Result<bool, Error> {
    if word.bytes.is_empty() || !word.all(class::NAME) {
        return Ok(false);
    }
    let mut ahead = words.clone();
    let Some(value) = ahead.next() else { return Ok(false) };
    if let Some((current_mw, average_mw, peak_mw, unit_printed)) = whole(value, scan::rail) {
        let rail = Rail { name: Name::new(), current_mw, average_mw, peak_mw, unit_printed };
        put(&mut sample.rails, &mut progress.rails, rail, word.bytes, "rail")?;
        *words = ahead;
        return Ok(true);
    }
    if !is_engine_name(word) {
        return Ok(false);
    }
    let Some(state) = whole(value, scan::engine) else { return Ok(false) };
    let (base, freq_suffix) = strip_freq(word.bytes);
    let engine = Engine { name: Name::new(), freq_suffix, state };
    put(&mut sample.engines, &mut progress.engines, engine, base, "engine")?;
    *words = ahead;
    Ok(true)
}

/// Byte-wise equality, inlined: names are a few bytes long, and a call to
/// `memcmp` per name cost more than the comparison.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// An entry of a sample's list that carries a name.
trait Named {
    fn name_mut(&mut self) -> &mut Name;
}

impl Named for Temperature {
    fn name_mut(&mut self) -> &mut Name {
        &mut self.name
    }
}

impl Named for Rail {
    fn name_mut(&mut self) -> &mut Name {
        &mut self.name
    }
}

impl Named for Engine {
    fn name_mut(&mut self) -> &mut Name {
        &mut self.name
    }
}

/// Puts `item` (named `name`) at position `*filled` of `list`: over the
/// previous line's entry when there is one, keeping that entry's name when
/// it is the same (as it is line after line from one device), else pushed
/// and named in place. Names are the costliest part of a sample to build.
fn put<T: Named, const N: usize>(
    list: &mut Vec<T, N>,
    filled: &mut usize,
    mut item: T,
    name: &[u8],
    field: &'static str,
) -> Result<(), Error> {
    match list.get_mut(*filled) {
        Some(slot) => {
            let same_name = same_bytes(slot.name_mut().as_bytes(), name);
            if same_name {
                core::mem::swap(item.name_mut(), slot.name_mut());
            }
            *slot = item;
            if !same_name {
                lex::set_name(slot.name_mut(), name, field)?;
            }
        }
        None => {
            push(list, item, field)?;
            if let Some(last) = list.last_mut() {
                lex::set_name(last.name_mut(), name, field)?;
            }
        }
    }
    *filled += 1;
    Ok(())
}

/// Engine names are upper-case (`NVENC`, `NVJPG1`, `PVA0_FREQ`) and are not
/// the keyword of a fixed field.
fn is_engine_name(word: Word<'_>) -> bool {
    word.all(class::ENGINE)
        && word.bytes.first().is_some_and(u8::is_ascii_uppercase)
        && !is_field_keyword(word.bytes)
        && !word.bytes.starts_with(b"GR3D")
}
