//! Scanners for the values inside tegrastats words: `3468/3983MB`,
//! `13%@729`, `47.562C/48C`, `2763mW/2846mW/4832mW`, …
//!
//! Each takes the bytes it starts at and returns the value and the bytes
//! after it, or `None`; the field-level code decides what a failure means
//! (usually: the word is kept as unknown). They are plain functions of
//! `strip_prefix` and number reads rather than nom combinators because
//! they run several times per word of every line: written with nom (tag,
//! alt, opt, map_opt, …) the same grammars cost 19% more instructions per
//! line (callgrind over the captured corpus: 14.7k against 12.4k), which
//! is the margin of the 1M lines/s target. The vcgencmd grammars, which
//! run every few seconds, are written with nom combinators.

use edgestat_core::tegra::{Core, EngineState, Lfb, Reading, SizeUnit};

use crate::lex::{self, number};

/// The value of a scanner and the bytes after it.
pub(super) type Scan<'a, T> = Option<(T, &'a [u8])>;

/// Runs `scan` over all of `word`: the value only if nothing is left over.
pub(super) fn whole<'a, T>(
    word: &'a [u8],
    scan: impl FnOnce(&'a [u8]) -> Scan<'a, T>,
) -> Option<T> {
    match scan(word)? {
        (value, []) => Some(value),
        _ => None,
    }
}

/// `used/total` followed by `unit` (`MB`, `kB`).
pub(super) fn used_total<'a>(input: &'a [u8], unit: &[u8]) -> Scan<'a, (u32, u32)> {
    let (used, rest) = number(input)?;
    let (total, rest) = number(rest.strip_prefix(b"/")?)?;
    Some(((used, total), rest.strip_prefix(unit)?))
}

/// `NxSIZE` with `SIZE` in `MB` or `kB`, as in `(lfb 3x4MB)`.
pub(super) fn lfb(input: &[u8]) -> Scan<'_, Lfb> {
    let (count, rest) = number(input)?;
    let (size, rest) = number(rest.strip_prefix(b"x")?)?;
    let (unit, rest) = match rest.strip_prefix(b"MB") {
        Some(rest) => (SizeUnit::MegaBytes, rest),
        None => (SizeUnit::KiloBytes, rest.strip_prefix(b"kB")?),
    };
    Some((Lfb { count, size, unit }, rest))
}

/// A number followed by `suffix`, as in `295MB)`.
pub(super) fn number_then<'a>(input: &'a [u8], suffix: &[u8]) -> Scan<'a, u32> {
    let (value, rest) = number(input)?;
    Some((value, rest.strip_prefix(suffix)?))
}

/// `load%`.
pub(super) fn percent(input: &[u8]) -> Scan<'_, u16> {
    number_then(input, b"%").and_then(|(load, rest)| Some((u16::try_from(load).ok()?, rest)))
}

/// An optional `@MHz`.
pub(super) fn at_freq(input: &[u8]) -> Scan<'_, Option<u32>> {
    match input.strip_prefix(b"@") {
        Some(rest) => number(rest).map(|(f, rest)| (Some(f), rest)),
        None => Some((None, input)),
    }
}

/// One CPU list entry: `load%@MHz`, `load%` (legacy) or `off`.
pub(super) fn core(input: &[u8]) -> Scan<'_, Core> {
    if let Some(rest) = input.strip_prefix(b"off") {
        return Some((Core::Off, rest));
    }
    let (load, rest) = percent(input)?;
    let (freq_mhz, rest) = at_freq(rest)?;
    Some((Core::On { load, freq_mhz }, rest))
}

/// `MM-DD-YYYY` or `HH:MM:SS`: three fixed-width numbers and a separator.
pub(super) fn triple<const A: usize, const B: usize, const C: usize>(
    input: &[u8],
    sep: u8,
) -> Option<(u16, u16, u16)> {
    let (a, rest) = fixed_digits::<A>(input)?;
    let (b, rest) = fixed_digits::<B>(rest.strip_prefix(&[sep])?)?;
    let (c, rest) = fixed_digits::<C>(rest.strip_prefix(&[sep])?)?;
    rest.is_empty().then_some((a, b, c))
}

/// Exactly `N` ASCII digits.
fn fixed_digits<const N: usize>(input: &[u8]) -> Scan<'_, u16> {
    let (digits, rest) = input.split_at_checked(N)?;
    let value = digits
        .iter()
        .try_fold(0u16, |acc, &b| b.is_ascii_digit().then(|| acc * 10 + u16::from(b - b'0')))?;
    Some((value, rest))
}

/// `47.687C`, `48C`, `-256C` (unavailable).
pub(super) fn celsius(input: &[u8]) -> Scan<'_, Reading> {
    let (milli, rest) = lex::decimal(input, 3)?;
    let milli = i32::try_from(milli).ok()?;
    Some((Reading::from_milli(milli), rest.strip_prefix(b"C")?))
}

/// `name@valueC` or JetPack 7's `name@curC/peakC`; the name is everything
/// before the first `@`, which the caller has checked.
pub(super) fn temperature(input: &[u8]) -> Scan<'_, (&[u8], Reading, Option<Reading>)> {
    let at = input.iter().position(|&b| b == b'@')?;
    let (name, value) = input.split_at_checked(at)?;
    let (current, rest) = celsius(value.get(1..)?)?;
    match rest.strip_prefix(b"/") {
        Some(peak) => {
            let (peak, rest) = celsius(peak)?;
            Some(((name, current, Some(peak)), rest))
        }
        None => Some(((name, current, None), rest)),
    }
}

/// A rail's `cur/avg`, `curmW/avgmW` or `curmW/avgmW/peakmW`: `(current,
/// average, peak, unit printed)`, with units all or none.
pub(super) fn rail(input: &[u8]) -> Scan<'_, (u32, u32, Option<u32>, bool)> {
    // One value and whether `mW` followed it.
    fn mw(input: &[u8]) -> Scan<'_, (u32, bool)> {
        let (v, rest) = number(input)?;
        Some(match rest.strip_prefix(b"mW") {
            Some(rest) => ((v, true), rest),
            None => ((v, false), rest),
        })
    }
    let ((current, unit), rest) = mw(input)?;
    let ((average, unit2), rest) = mw(rest.strip_prefix(b"/")?)?;
    let (peak, rest) = match rest.strip_prefix(b"/") {
        Some(peak) => mw(peak).map(|(p, rest)| (Some(p), rest))?,
        None => (None, rest),
    };
    let consistent = unit == unit2 && peak.is_none_or(|(_, u)| u == unit);
    consistent.then_some(((current, average, peak.map(|(p, _)| p), unit), rest))
}

/// An engine's `off`, `x%@F`, `@F` or bare `F`.
pub(super) fn engine(input: &[u8]) -> Scan<'_, EngineState> {
    if let Some(rest) = input.strip_prefix(b"off") {
        return Some((EngineState::Off, rest));
    }
    if let Some(rest) = input.strip_prefix(b"@") {
        return number(rest).map(|(f, rest)| (EngineState::AtFreq(f), rest));
    }
    let (value, rest) = number::<u32>(input)?;
    match rest.strip_prefix(b"%@") {
        Some(freq) => {
            let load = u16::try_from(value).ok()?;
            number(freq).map(|(freq_mhz, rest)| (EngineState::Load { load, freq_mhz }, rest))
        }
        None => Some((EngineState::Freq(value), rest)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rail_units_are_all_or_none() {
        assert_eq!(whole(b"2532/2698", rail), Some((2532, 2698, None, false)));
        assert_eq!(whole(b"4093mW/4463mW/4832mW", rail), Some((4093, 4463, Some(4832), true)));
        assert_eq!(whole(b"4093mW/4463", rail), None);
        assert_eq!(whole(b"2053/", rail), None);
    }

    #[test]
    fn temperatures_keep_every_decimal() {
        let (name, cur, peak) = whole(b"cpu@47.562C/48C", temperature).unwrap();
        assert_eq!(name, b"cpu");
        assert_eq!(cur, Reading::MilliCelsius(47_562));
        assert_eq!(peak, Some(Reading::MilliCelsius(48_000)));
        assert_eq!(whole(b"CV0@-256C", temperature).map(|t| t.1), Some(Reading::Unavailable));
        assert_eq!(whole(b"x@1.2345C", temperature), None, "a fourth decimal would be lost");
    }

    #[test]
    fn engine_shapes() {
        assert_eq!(whole(b"off", engine), Some(EngineState::Off));
        assert_eq!(whole(b"79%@166", engine), Some(EngineState::Load { load: 79, freq_mhz: 166 }));
        assert_eq!(whole(b"@1556", engine), Some(EngineState::AtFreq(1556)));
        assert_eq!(whole(b"716", engine), Some(EngineState::Freq(716)));
        assert_eq!(whole(b"70000%@1", engine), None, "load out of range");
        assert_eq!(whole(b"5%", engine), None);
    }

    #[test]
    fn timestamps_need_exact_widths() {
        assert_eq!(triple::<2, 2, 4>(b"10-26-2025", b'-'), Some((10, 26, 2025)));
        assert_eq!(triple::<2, 2, 2>(b"05:10:54", b':'), Some((5, 10, 54)));
        assert_eq!(triple::<2, 2, 4>(b"1-26-2025", b'-'), None);
        assert_eq!(triple::<2, 2, 2>(b"05:10:54x", b':'), None);
    }
}
