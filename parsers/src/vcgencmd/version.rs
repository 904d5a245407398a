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
use nom::Parser;
use nom::branch::alt;
use nom::bytes::complete::{tag, take, take_till1, take_while, take_while_m_n};
use nom::combinator::{all_consuming, map, map_opt, opt};
use nom::sequence::{delimited, preceded};

use super::{reject_firmware_error, word};
use crate::error::{Error, ErrorKind};
use crate::lex::{self, NomError, Res, trim};

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
    if copyright_line(copyright).is_err() {
        return Err(Error::syntax("version copyright"));
    }
    let (hash, clean, variant) = build(version_line)?;
    Ok(FirmwareVersion { date, hash, clean, variant })
}

/// Line 1: `Feb 29 2024 12:24:53`, `Oct  4 2021 11:27:37` or `2023/12/06 18:29:25`.
fn date(line: &[u8]) -> Result<DateTime, Error> {
    const F: &str = "version date";
    let (y, mo, d, h, mi, s) = match alt((c_date, iso_date)).parse(line) {
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

/// Year, month, day, hour, minute, second.
type Parts = (u16, u8, u8, u8, u8, u8);

/// `Mon D YYYY HH:MM:SS`, the day space-padded or not.
fn c_date(input: &[u8]) -> Res<'_, Parts> {
    let padded_day = preceded((tag(" "), opt(tag(" "))), day);
    map(
        (month_name, padded_day, preceded(tag(" "), year), preceded(tag(" "), time)),
        |(mo, d, y, (h, mi, s))| (y, mo, d, h, mi, s),
    )
    .parse(input)
}

/// `YYYY/MM/DD HH:MM:SS` (Pi 5).
fn iso_date(input: &[u8]) -> Res<'_, Parts> {
    map(
        (
            year,
            preceded(tag("/"), two_digits),
            preceded(tag("/"), two_digits),
            preceded(tag(" "), time),
        ),
        |(y, mo, d, (h, mi, s))| (y, mo, d, h, mi, s),
    )
    .parse(input)
}

/// `Jan` … `Dec`, as the month number.
fn month_name(input: &[u8]) -> Res<'_, u8> {
    map_opt(take(3usize), |name: &[u8]| {
        let index = MONTHS.iter().position(|m| *m == name)?;
        u8::try_from(index + 1).ok()
    })
    .parse(input)
}

/// `HH:MM:SS`.
fn time(input: &[u8]) -> Res<'_, (u8, u8, u8)> {
    (two_digits, preceded(tag(":"), two_digits), preceded(tag(":"), two_digits)).parse(input)
}

/// A day of one or two digits.
fn day(input: &[u8]) -> Res<'_, u8> {
    map_opt(take_while_m_n(1, 2, is_digit), to_number).parse(input)
}

/// Exactly two digits.
fn two_digits(input: &[u8]) -> Res<'_, u8> {
    map_opt(take_while_m_n(2, 2, is_digit), to_number).parse(input)
}

/// Exactly four digits.
fn year(input: &[u8]) -> Res<'_, u16> {
    map_opt(take_while_m_n(4, 4, is_digit), to_number).parse(input)
}

/// A decimal digit.
fn is_digit(b: u8) -> bool {
    b.is_ascii_digit()
}

/// Digits already matched, as a `T`.
fn to_number<T: TryFrom<u64>>(digits: &[u8]) -> Option<T> {
    lex::number(digits).map(|(value, _)| value)
}

/// Line 2: `Copyright …`.
fn copyright_line(line: &[u8]) -> Res<'_, &[u8]> {
    tag("Copyright ").parse(line)
}

/// Line 3: `version <hash> [(clean)] (release) [(<variant>)]`.
fn build(line: &[u8]) -> Result<(String<HASH_LEN>, bool, Option<String<VARIANT_LEN>>), Error> {
    const F: &str = "version hash";
    let (mut rest, _) = version_label(line).map_err(|_| Error::syntax(F))?;
    let mut tokens = core::iter::from_fn(|| {
        let (after, token) = next_token(rest).ok()?;
        rest = after;
        Some(token)
    });
    let hash = tokens.next().ok_or(Error::missing(F))?;
    if hash_token(hash).is_err() {
        return Err(Error::syntax(F));
    }
    let hash = bounded(lex::utf8(hash, F)?, F)?;
    let mut groups = tokens.map(|t| match group(t) {
        Ok((_, inner)) => Ok(inner),
        Err(_) => Err(Error::syntax("version flags")),
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

/// `version `, the start of line 3.
fn version_label(line: &[u8]) -> Res<'_, &[u8]> {
    tag("version ").parse(line)
}

/// The next space-separated token of line 3; fails when none is left.
fn next_token(input: &[u8]) -> Res<'_, &[u8]> {
    preceded(take_while(|b| b == b' '), take_till1(|b| b == b' ')).parse(input)
}

/// The whole token is a 40- or 8-digit hex hash.
fn hash_token(token: &[u8]) -> Res<'_, &[u8]> {
    all_consuming(alt((hex_digits(40), hex_digits(8)))).parse(token)
}

/// Exactly `n` hex digits.
fn hex_digits<'a>(n: usize) -> impl Parser<&'a [u8], Output = &'a [u8], Error = NomError<'a>> {
    take_while_m_n(n, n, |b: u8| b.is_ascii_hexdigit())
}

/// The whole token is `(<name>)`: the name.
fn group(token: &[u8]) -> Res<'_, &[u8]> {
    all_consuming(delimited(tag("("), word, tag(")"))).parse(token)
}
