//! The grammar of each tegrastats field (FORMATS.md §1.2–1.3).
//!
//! [`field`] looks at one word, decides by its shape which field it starts,
//! and consumes the further words that field spans (`RAM 1/2MB (lfb 3x4MB)`
//! is four words). It returns `Ok(false)` for a word it does not recognise,
//! leaving the caller to restore its checkpoint and record the word as
//! unknown, and `Err` only for a capacity overflow.

use edgestat_core::name::push;
use edgestat_core::tegra::{
    Core, Cpu, Emc, Engine, EngineState, Gr3d, Iram, Lfb, Mts, Rail, Ram, Reading, SizeUnit, Swap,
    TegraSample, Temperature,
};
use edgestat_core::{DateTime, Name};
use heapless::Vec;
use nom::Parser;
use nom::branch::alt;
use nom::bytes::complete::tag;
use nom::combinator::{all_consuming, opt, value};
use nom::sequence::{preceded, separated_pair, terminated};

use super::words::Words;
use crate::error::Error;
use crate::lex::{self, Res, fail, u16, u32};

/// Recognises the field that starts with `word`, filling `sample`.
pub(super) fn field(
    word: &[u8],
    words: &mut Words<'_>,
    sample: &mut TegraSample,
    have_ram: &mut bool,
) -> Result<bool, Error> {
    let keyword = match word {
        b"RAM" if !*have_ram => match ram(words) {
            Some(ram) => {
                sample.ram = ram;
                *have_ram = true;
                true
            }
            None => false,
        },
        b"SWAP" if sample.swap.is_none() => set(&mut sample.swap, swap(words)),
        b"IRAM" if sample.iram.is_none() => set(&mut sample.iram, iram(words)),
        b"CPU" | b"cpu" if sample.cpu.cores.is_empty() => match cpu(words)? {
            Some(cpu) => {
                sample.legacy = word == b"cpu";
                sample.cpu = cpu;
                true
            }
            None => false,
        },
        b"EMC_FREQ" | b"EMC" if sample.emc.is_none() => {
            set(&mut sample.emc, words.next_if(|w| whole(w, emc)))
        }
        b"APE" if sample.ape.is_none() => set(&mut sample.ape, words.next_if(|w| whole(w, u32))),
        b"MTS" if sample.mts.is_none() => set(&mut sample.mts, mts(words)),
        _ if word.starts_with(b"GR3D") => match gr3d(word, words)? {
            Some(gpu) => {
                push(&mut sample.gpus, gpu, "GR3D_FREQ")?;
                true
            }
            None => false,
        },
        _ => false,
    };
    if keyword {
        return Ok(true);
    }
    if word.contains(&b'@') {
        let Some((name, current, peak)) = whole(word, temperature) else {
            return Ok(false);
        };
        let name = lex::name(name, "temperature")?;
        push(
            &mut sample.temperatures,
            Temperature {
                name,
                current,
                peak,
            },
            "temperature",
        )?;
        return Ok(true);
    }
    // A keyword whose value did not fit its grammar may still name a rail
    // (`CPU 311/311` on AGX Xavier) or an engine.
    named(word, words, sample)
}

/// Stores a single field's value; `false` when the field did not parse.
fn set<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
    let parsed = value.is_some();
    if parsed {
        *slot = value;
    }
    parsed
}

/// Runs `parser` over all of `word`.
fn whole<'a, T>(
    word: &'a [u8],
    parser: impl Parser<&'a [u8], Output = T, Error = nom::error::Error<&'a [u8]>>,
) -> Option<T> {
    all_consuming(parser).parse(word).ok().map(|(_, v)| v)
}

/// `MM-DD-YYYY HH:MM:SS` at the start of the line.
pub(super) fn timestamp(words: &mut Words<'_>) -> Option<DateTime> {
    let mut ahead = words.clone();
    let (month, day, year) = whole(
        ahead.next()?,
        (two, preceded(tag("-"), two), preceded(tag("-"), four)),
    )?;
    let (hour, minute, second) = whole(
        ahead.next()?,
        (two, preceded(tag(":"), two), preceded(tag(":"), two)),
    )?;
    let ts = DateTime::new(year, month, day, hour, minute, second)?;
    *words = ahead;
    Some(ts)
}

/// Exactly `N` ASCII digits as a number.
fn digits<const N: usize>(input: &[u8]) -> Res<'_, u16> {
    match input.get(..N) {
        Some(d) if d.iter().all(u8::is_ascii_digit) => {
            let v = d
                .iter()
                .fold(0u16, |acc, &b| acc * 10 + u16::from(b - b'0'));
            Ok((input.get(N..).unwrap_or_default(), v))
        }
        _ => fail(input),
    }
}

fn two(input: &[u8]) -> Res<'_, u8> {
    let (rest, v) = digits::<2>(input)?;
    Ok((rest, u8::try_from(v).unwrap_or(u8::MAX)))
}

fn four(input: &[u8]) -> Res<'_, u16> {
    digits::<4>(input)
}

/// `used/total` followed by `unit`.
fn used_total<'a>(
    unit: &'static str,
) -> impl Parser<&'a [u8], Output = (u32, u32), Error = nom::error::Error<&'a [u8]>> {
    terminated(separated_pair(u32, tag("/"), u32), tag(unit))
}

/// `RAM used/totalMB [(lfb NxSIZE)]`.
fn ram(words: &mut Words<'_>) -> Option<Ram> {
    let (used_mb, total_mb) = words.next_if(|w| whole(w, used_total("MB")))?;
    let lfb = {
        let mut ahead = words.clone();
        let lfb = (ahead.next() == Some(b"(lfb"))
            .then(|| {
                ahead
                    .next()
                    .and_then(|w| whole(w, terminated(lfb, tag(")"))))
            })
            .flatten();
        if lfb.is_some() {
            *words = ahead;
        }
        lfb
    };
    Some(Ram {
        used_mb,
        total_mb,
        lfb,
    })
}

/// `NxSIZE` with `SIZE` in `MB` or `kB`.
fn lfb(input: &[u8]) -> Res<'_, Lfb> {
    let unit = alt((
        value(SizeUnit::MegaBytes, tag("MB")),
        value(SizeUnit::KiloBytes, tag("kB")),
    ));
    let (rest, (count, (size, unit))) = separated_pair(u32, tag("x"), (u32, unit)).parse(input)?;
    Ok((rest, Lfb { count, size, unit }))
}

/// `SWAP used/totalMB [(cached NMB)]`.
fn swap(words: &mut Words<'_>) -> Option<Swap> {
    let (used_mb, total_mb) = words.next_if(|w| whole(w, used_total("MB")))?;
    let mut ahead = words.clone();
    let cached_mb = (ahead.next() == Some(b"(cached"))
        .then(|| {
            ahead
                .next()
                .and_then(|w| whole(w, terminated(u32, tag("MB)"))))
        })
        .flatten();
    if cached_mb.is_some() {
        *words = ahead;
    }
    Some(Swap {
        used_mb,
        total_mb,
        cached_mb,
    })
}

/// `IRAM used/totalkB(lfb NkB)`: the `(lfb` is glued to the first word.
fn iram(words: &mut Words<'_>) -> Option<Iram> {
    let (used_kb, total_kb, glued) = words.next_if(|w| {
        whole(w, (used_total("kB"), opt(tag("(lfb")))).map(|((u, t), g)| (u, t, g.is_some()))
    })?;
    let lfb_kb = if glued {
        Some(words.next_if(|w| whole(w, terminated(u32, tag("kB)"))))?)
    } else {
        None
    };
    Some(Iram {
        used_kb,
        total_kb,
        lfb_kb,
    })
}

/// `[c0,c1,…]` with each entry `load%@MHz`, `load%` or `off`, then the
/// legacy form's shared `@MHz`.
fn cpu(words: &mut Words<'_>) -> Result<Option<Cpu>, Error> {
    let Some(word) = words.peek() else {
        return Ok(None);
    };
    let Some(body) = word.strip_prefix(b"[") else {
        return Ok(None);
    };
    let Some(close) = body.iter().position(|&b| b == b']') else {
        return Ok(None);
    };
    let (list, tail) = body.split_at_checked(close).unwrap_or((body, &[]));
    let shared_freq_mhz = match tail {
        [b']'] => None,
        [b']', b'@', freq @ ..] => match whole(freq, u32) {
            Some(f) => Some(f),
            None => return Ok(None),
        },
        _ => return Ok(None),
    };
    let mut cores = Vec::new();
    if !list.is_empty() {
        for entry in list.split(|&b| b == b',') {
            let Some(core) = whole(entry, core) else {
                return Ok(None);
            };
            push(&mut cores, core, "CPU")?;
        }
    }
    words.next();
    Ok(Some(Cpu {
        cores,
        shared_freq_mhz,
    }))
}

fn core(input: &[u8]) -> Res<'_, Core> {
    alt((
        value(Core::Off, tag("off")),
        (terminated(u16, tag("%")), opt(preceded(tag("@"), u32)))
            .map(|(load, freq_mhz)| Core::On { load, freq_mhz }),
    ))
    .parse(input)
}

/// `load%[@MHz]`.
fn emc(input: &[u8]) -> Res<'_, Emc> {
    (terminated(u16, tag("%")), opt(preceded(tag("@"), u32)))
        .map(|(load, freq_mhz)| Emc { load, freq_mhz })
        .parse(input)
}

/// `MTS fg x% bg y%`.
fn mts(words: &mut Words<'_>) -> Option<Mts> {
    let mut ahead = words.clone();
    let percent = |w: &[u8]| whole(w, terminated(u16, tag("%")));
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
fn gr3d(word: &[u8], words: &mut Words<'_>) -> Result<Option<Gr3d>, Error> {
    let (base, freq_suffix) = strip_freq(word);
    let Some(index) = base.strip_prefix(b"GR3D") else {
        return Ok(None);
    };
    if !index.iter().all(u8::is_ascii_digit) {
        return Ok(None);
    }
    let Some(value) = words.peek() else {
        return Ok(None);
    };
    let (load, freqs) = match value.iter().position(|&b| b == b'@') {
        Some(at) => {
            let (load, freqs) = value.split_at_checked(at).unwrap_or((value, &[]));
            (load, freqs.get(1..))
        }
        None => (value, None),
    };
    let load = match load {
        [] => None,
        _ => match whole(load, terminated(u16, tag("%"))) {
            Some(l) => Some(l),
            None => return Ok(None),
        },
    };
    let mut freqs_mhz = Vec::new();
    let mut bracketed = false;
    match freqs {
        None if load.is_none() => return Ok(None),
        None => {}
        Some(list) => {
            if let Some(inner) = list.strip_prefix(b"[").and_then(|l| l.strip_suffix(b"]")) {
                bracketed = true;
                for f in inner.split(|&b| b == b',') {
                    let Some(f) = whole(f, u32) else {
                        return Ok(None);
                    };
                    push(&mut freqs_mhz, f, "GR3D_FREQ")?;
                }
            } else {
                let Some(f) = whole(list, u32) else {
                    return Ok(None);
                };
                push(&mut freqs_mhz, f, "GR3D_FREQ")?;
            }
        }
    }
    words.next();
    let name = lex::name(base, "GR3D_FREQ")?;
    Ok(Some(Gr3d {
        name,
        freq_suffix,
        load,
        freqs_mhz,
        bracketed,
    }))
}

/// `name@valueC` or `name@curC/peakC`.
fn temperature(input: &[u8]) -> Res<'_, (&[u8], Reading, Option<Reading>)> {
    let name_len = input.iter().take_while(|&&b| is_name_byte(b)).count();
    if name_len == 0 {
        return fail(input);
    }
    let (name, rest) = input.split_at_checked(name_len).unwrap_or((input, &[]));
    let (rest, (current, peak)) =
        preceded(tag("@"), (celsius, opt(preceded(tag("/"), celsius)))).parse(rest)?;
    Ok((rest, (name, current, peak)))
}

/// `47.687C`, `48C`, `-256C` (unavailable).
fn celsius(input: &[u8]) -> Res<'_, Reading> {
    let (rest, milli) = terminated(|i| lex::fixed(i, 3), tag("C")).parse(input)?;
    match i32::try_from(milli) {
        Ok(m) => Ok((rest, Reading::from_milli(m))),
        Err(_) => fail(input),
    }
}

/// Bytes allowed in sensor, rail and engine names.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// Words that lead a fixed field. A repeat of one (a second `APE 25`) is
/// unknown rather than an engine of that name.
const FIELD_KEYWORDS: [&[u8]; 8] = [
    b"RAM",
    b"SWAP",
    b"IRAM",
    b"CPU",
    b"EMC",
    b"EMC_FREQ",
    b"APE",
    b"MTS",
];

/// A field led by a free-form name: a rail (`NAME cur/avg[/peak]`) or an
/// engine (`NAME off|x%@F|F|@F`).
fn named(word: &[u8], words: &mut Words<'_>, sample: &mut TegraSample) -> Result<bool, Error> {
    if word.is_empty() || !word.iter().all(|&b| is_name_byte(b)) {
        return Ok(false);
    }
    if let Some((current_mw, average_mw, peak_mw, unit_printed)) = words.next_if(|w| whole(w, rail))
    {
        let name = lex::name(word, "rail")?;
        let rail = Rail {
            name,
            current_mw,
            average_mw,
            peak_mw,
            unit_printed,
        };
        push(&mut sample.rails, rail, "rail")?;
        return Ok(true);
    }
    let engine_like = word.first().is_some_and(u8::is_ascii_uppercase)
        && word
            .iter()
            .all(|&b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && !FIELD_KEYWORDS.contains(&word)
        && !word.starts_with(b"GR3D");
    if !engine_like {
        return Ok(false);
    }
    let Some(state) = words.next_if(|w| whole(w, engine)) else {
        return Ok(false);
    };
    let (base, freq_suffix) = strip_freq(word);
    let name: Name = lex::name(base, "engine")?;
    push(
        &mut sample.engines,
        Engine {
            name,
            freq_suffix,
            state,
        },
        "engine",
    )?;
    Ok(true)
}

/// `cur/avg`, `curmW/avgmW` or `curmW/avgmW/peakmW`; units all or none.
fn rail(input: &[u8]) -> Res<'_, (u32, u32, Option<u32>, bool)> {
    // One value and whether `mW` followed it.
    fn mw(input: &[u8]) -> Res<'_, (u32, bool)> {
        let (rest, v) = u32(input)?;
        match rest.strip_prefix(b"mW") {
            Some(rest) => Ok((rest, (v, true))),
            None => Ok((rest, (v, false))),
        }
    }
    let (rest, ((current, unit), (average, unit2), peak)) =
        (mw, preceded(tag("/"), mw), opt(preceded(tag("/"), mw))).parse(input)?;
    if unit != unit2 || peak.is_some_and(|(_, u)| u != unit) {
        return fail(input);
    }
    Ok((rest, (current, average, peak.map(|(p, _)| p), unit)))
}

/// `off`, `x%@F`, `@F` or a bare `F`.
fn engine(input: &[u8]) -> Res<'_, EngineState> {
    alt((
        value(EngineState::Off, tag("off")),
        separated_pair(terminated(u16, tag("%")), tag("@"), u32)
            .map(|(load, freq_mhz)| EngineState::Load { load, freq_mhz }),
        preceded(tag("@"), u32).map(EngineState::AtFreq),
        u32.map(EngineState::Freq),
    ))
    .parse(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rail_units_are_all_or_none() {
        assert_eq!(whole(b"2532/2698", rail), Some((2532, 2698, None, false)));
        assert_eq!(
            whole(b"4093mW/4463mW/4832mW", rail),
            Some((4093, 4463, Some(4832), true))
        );
        assert_eq!(whole(b"4093mW/4463", rail), None);
        assert_eq!(whole(b"2053/", rail), None);
    }

    #[test]
    fn temperatures_keep_every_decimal() {
        let (name, cur, peak) = whole(b"cpu@47.562C/48C", temperature).unwrap();
        assert_eq!(name, b"cpu");
        assert_eq!(cur, Reading::MilliCelsius(47_562));
        assert_eq!(peak, Some(Reading::MilliCelsius(48_000)));
        assert_eq!(
            whole(b"CV0@-256C", temperature).map(|t| t.1),
            Some(Reading::Unavailable)
        );
        assert_eq!(
            whole(b"x@1.2345C", temperature),
            None,
            "a fourth decimal would be lost"
        );
    }
}
