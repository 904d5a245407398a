//! `vcgencmd version`: the firmware build, three lines.
//!
//! ```text
//! Feb 29 2024 12:24:53
//! Copyright (c) 2012 Broadcom
//! version f4e2138c2adc8f3a92a3a65939e458f11d7298ba (clean) (release) (start)
//! ```
//! Line 1 may pad the day with a space (`Oct  4 2021 11:27:37`) and keep a
//! trailing space; on the Pi 5 it is `2023/12/06 18:29:25`. Line 2 is any
//! `Copyright …` line (Broadcom, Raspberry Pi Ltd). Line 3 carries a 40- or
//! 8-digit hash, then optional `(clean)` (or `(tainted)`), `(release)`, and
//! an optional variant (`start`, `start_cd`, `embedded`, …).

use edgestat_core::DateTime;
use edgestat_core::name::bounded;
use edgestat_core::pi::{FirmwareVersion, HASH_LEN, VARIANT_LEN};
use heapless::String;

use super::{is_word, reject_firmware_error, tag};
use crate::error::{Error, ErrorKind};
use crate::lex::{self, Res, fail, trim};

const FIELD: &str = "version";

/// Month abbreviations as C's `__DATE__` prints them.
const MONTHS: [&[u8]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// Parses a `version` reply into its build date, hash, flags and variant.
pub fn parse(input: &[u8]) -> Result<FirmwareVersion, Error> {
    reject_firmware_error(input, FIELD)?;
    let body = trim(input);
    if body.is_empty() {
        return Err(Error::new(ErrorKind::Empty, FIELD));
    }
    let mut lines = lex::lines(body).map(trim);
    let date_line = lines.next().ok_or(Error::missing("version date"))?;
    let copyright = lines.next().ok_or(Error::missing("version copyright"))?;
    let version_line = lines.next().ok_or(Error::missing("version hash"))?;
    if lines.next().is_some() {
        return Err(Error::new(ErrorKind::Trailing, FIELD));
    }
    let date = date(date_line)?;
    if !copyright.starts_with(b"Copyright ") {
        return Err(Error::syntax("version copyright"));
    }
    let (hash, clean, variant) = build(version_line)?;
    Ok(FirmwareVersion { date, hash, clean, variant })
}

/// Line 1: `Feb 29 2024 12:24:53`, `Oct  4 2021 11:27:37` or `2023/12/06 18:29:25`.
fn date(line: &[u8]) -> Result<DateTime, Error> {
    const F: &str = "version date";
    let (y, mo, d, h, mi, s) = match c_date(line).or_else(|_| iso_date(line)) {
        Ok(([], parts)) => parts,
        Ok(_) => return Err(Error::new(ErrorKind::Trailing, F)),
        Err(_) => return Err(Error::syntax(F)),
    };
    if d > days_in_month(y, mo) {
        return Err(Error::new(ErrorKind::Range, F));
    }
    DateTime::new(y, mo, d, h, mi, s).ok_or(Error::new(ErrorKind::Range, F))
}

/// Days in `month` of `year` (Gregorian); 31 for an out-of-range month,
/// which [`DateTime::new`] then rejects.
fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

type Parts = (u16, u8, u8, u8, u8, u8);

/// `Mon D YYYY HH:MM:SS`, the day space-padded or not.
fn c_date(input: &[u8]) -> Res<'_, Parts> {
    let name = input.get(..3).unwrap_or_default();
    let Some(month) = MONTHS.iter().position(|m| *m == name) else {
        return fail(input);
    };
    let input = input.get(3..).unwrap_or_default();
    let (input, ()) = tag(input, b" ")?;
    let input = input.strip_prefix(b" ").unwrap_or(input);
    let digits = input.iter().take_while(|b| b.is_ascii_digit()).count();
    let (input, day) = if digits == 1 { digits_n(input, 1)? } else { digits_n(input, 2)? };
    let (input, ()) = tag(input, b" ")?;
    let (input, year) = digits_n(input, 4)?;
    let (input, ()) = tag(input, b" ")?;
    let (input, (h, mi, s)) = time(input)?;
    let month = u8::try_from(month + 1).unwrap_or(0);
    Ok((input, (u16::try_from(year).unwrap_or(0), month, narrow(day), h, mi, s)))
}

/// `YYYY/MM/DD HH:MM:SS` (Pi 5).
fn iso_date(input: &[u8]) -> Res<'_, Parts> {
    let (input, year) = digits_n(input, 4)?;
    let (input, ()) = tag(input, b"/")?;
    let (input, month) = digits_n(input, 2)?;
    let (input, ()) = tag(input, b"/")?;
    let (input, day) = digits_n(input, 2)?;
    let (input, ()) = tag(input, b" ")?;
    let (input, (h, mi, s)) = time(input)?;
    Ok((input, (u16::try_from(year).unwrap_or(0), narrow(month), narrow(day), h, mi, s)))
}

/// `HH:MM:SS`.
fn time(input: &[u8]) -> Res<'_, (u8, u8, u8)> {
    let (input, h) = digits_n(input, 2)?;
    let (input, ()) = tag(input, b":")?;
    let (input, m) = digits_n(input, 2)?;
    let (input, ()) = tag(input, b":")?;
    let (input, s) = digits_n(input, 2)?;
    Ok((input, (narrow(h), narrow(m), narrow(s))))
}

/// Exactly `n` (≤ 4) decimal digits.
fn digits_n(input: &[u8], n: usize) -> Res<'_, u32> {
    let Some(head) = input.get(..n) else {
        return fail(input);
    };
    if !head.iter().all(u8::is_ascii_digit) {
        return fail(input);
    }
    let value = head.iter().fold(0u32, |v, &b| v * 10 + u32::from(b - b'0'));
    Ok((input.get(n..).unwrap_or_default(), value))
}

/// A value of at most two digits as `u8` (out-of-range values become 255
/// and are then rejected by [`DateTime::new`]).
fn narrow(v: u32) -> u8 {
    u8::try_from(v).unwrap_or(u8::MAX)
}

/// Line 3: `version <hash> [(clean)] (release) [(<variant>)]`.
fn build(line: &[u8]) -> Result<(String<HASH_LEN>, bool, Option<String<VARIANT_LEN>>), Error> {
    const F: &str = "version hash";
    let rest = line.strip_prefix(b"version ").ok_or(Error::syntax(F))?;
    let mut words = rest.split(|&b| b == b' ').filter(|w| !w.is_empty());
    let hash = words.next().ok_or(Error::missing(F))?;
    if !(hash.len() == 8 || hash.len() == 40) || !hash.iter().all(u8::is_ascii_hexdigit) {
        return Err(Error::syntax(F));
    }
    let hash = bounded(lex::utf8(hash, F)?, F)?;
    let mut groups = words.map(|w| {
        w.strip_prefix(b"(")
            .and_then(|w| w.strip_suffix(b")"))
            .filter(|w| !w.is_empty() && w.iter().all(|&b| is_word(b)))
            .ok_or(Error::syntax("version flags"))
    });
    let mut group = groups.next().transpose()?;
    let clean = match group {
        Some(b"clean") => true,
        Some(b"tainted") => false,
        _ => false,
    };
    if matches!(group, Some(b"clean" | b"tainted")) {
        group = groups.next().transpose()?;
    }
    if group != Some(b"release") {
        return Err(Error::missing("version release"));
    }
    let variant = match groups.next().transpose()? {
        Some(v) => Some(bounded(lex::utf8(v, "version variant")?, "version variant")?),
        None => None,
    };
    if groups.next().is_some() {
        return Err(Error::new(ErrorKind::Trailing, FIELD));
    }
    Ok((hash, clean, variant))
}
