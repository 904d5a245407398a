//! Lexical pieces shared by every parser: numbers, fixed-point decimals,
//! names, whitespace and the "no leftover input" rule.

use edgestat_core::Name;
use edgestat_core::name::bounded;
use nom::IResult;

use crate::error::{Error, ErrorKind};

/// nom's result over bytes with its default error, private to this crate.
pub(crate) type Res<'a, T> = IResult<&'a [u8], T>;

/// A nom error at `input`, for hand-written parsers.
pub(crate) fn fail<T>(input: &[u8]) -> Res<'_, T> {
    Err(nom::Err::Error(nom::error::Error::new(
        input,
        nom::error::ErrorKind::Verify,
    )))
}

/// Whitespace as tegrastats and /proc use it (space, tab, CR, LF).
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// `bytes` without leading and trailing whitespace.
pub(crate) fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|&b| !is_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| !is_space(b))
        .map_or(start, |e| e + 1);
    bytes.get(start..end).unwrap_or_default()
}

/// Splits `input` into lines on `\n`, without the `\r` of CRLF endings.
pub(crate) fn lines(input: &[u8]) -> impl Iterator<Item = &[u8]> {
    input
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
}

/// Unsigned decimal digits as `u64`; fails on no digits or overflow.
pub(crate) fn uint(input: &[u8]) -> Res<'_, u64> {
    let digits = input.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return fail(input);
    }
    let mut value: u64 = 0;
    for &b in input.iter().take(digits) {
        value = match value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(b - b'0')))
        {
            Some(v) => v,
            None => return fail(input),
        };
    }
    Ok((input.get(digits..).unwrap_or_default(), value))
}

/// Unsigned decimal digits as `u32`; fails on no digits or overflow.
pub(crate) fn u32(input: &[u8]) -> Res<'_, u32> {
    let (rest, v) = uint(input)?;
    match u32::try_from(v) {
        Ok(v) => Ok((rest, v)),
        Err(_) => fail(input),
    }
}

/// Unsigned decimal digits as `u16`; fails on no digits or overflow.
pub(crate) fn u16(input: &[u8]) -> Res<'_, u16> {
    let (rest, v) = uint(input)?;
    match u16::try_from(v) {
        Ok(v) => Ok((rest, v)),
        Err(_) => fail(input),
    }
}

/// A decimal `-?digits(.digits)?` as a fixed-point integer scaled by
/// `10^frac` (`fixed(b"47.687", 3) == 47687`). More than `frac` fractional
/// digits fail rather than lose precision.
pub(crate) fn fixed(input: &[u8], frac: u32) -> Res<'_, i64> {
    let (negative, body) = match input.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, input),
    };
    let (mut rest, int) = uint(body)?;
    let Some(mut value) = i64::try_from(int)
        .ok()
        .and_then(|v| v.checked_mul(10i64.pow(frac)))
    else {
        return fail(input);
    };
    if let Some((b'.', after)) = rest.split_first() {
        let digits = after.iter().take_while(|b| b.is_ascii_digit()).count();
        let Ok(count) = u32::try_from(digits) else {
            return fail(input);
        };
        if digits == 0 || count > frac {
            return fail(input);
        }
        let mut fraction: i64 = 0;
        for &b in after.iter().take(digits) {
            fraction = fraction * 10 + i64::from(b - b'0');
        }
        value += fraction * 10i64.pow(frac - count);
        rest = after.get(digits..).unwrap_or_default();
    }
    Ok((rest, if negative { -value } else { value }))
}

/// A hexadecimal number after `0x` (either case).
pub(crate) fn hex(input: &[u8]) -> Res<'_, u64> {
    let body = match input {
        [b'0', b'x' | b'X', rest @ ..] => rest,
        _ => return fail(input),
    };
    let digits = body.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if digits == 0 || digits > 16 {
        return fail(input);
    }
    let mut value: u64 = 0;
    for &b in body.iter().take(digits) {
        let d = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => b - b'A' + 10,
        };
        value = (value << 4) | u64::from(d);
    }
    Ok((body.get(digits..).unwrap_or_default(), value))
}

/// The bytes as UTF-8, or a syntax error in `field`.
pub(crate) fn utf8<'a>(bytes: &'a [u8], field: &'static str) -> Result<&'a str, Error> {
    core::str::from_utf8(bytes).map_err(|_| Error::syntax(field))
}

/// The bytes as a [`Name`], or a syntax or capacity error in `field`.
pub(crate) fn name(bytes: &[u8], field: &'static str) -> Result<Name, Error> {
    Ok(bounded(utf8(bytes, field)?, field)?)
}

/// Runs a nom parser over a whole input: fails with a syntax error in
/// `field`, or a trailing-input error when anything but whitespace is left.
pub(crate) fn complete<'a, T>(
    input: &'a [u8],
    field: &'static str,
    parser: impl FnOnce(&'a [u8]) -> Res<'a, T>,
) -> Result<T, Error> {
    let input = trim(input);
    if input.is_empty() {
        return Err(Error::new(ErrorKind::Empty, field));
    }
    match parser(input) {
        Ok((rest, value)) if trim(rest).is_empty() => Ok(value),
        Ok(_) => Err(Error::new(ErrorKind::Trailing, field)),
        Err(_) => Err(Error::syntax(field)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_point_keeps_every_printed_digit() {
        assert_eq!(fixed(b"47.687C", 3), Ok((&b"C"[..], 47_687)));
        assert_eq!(fixed(b"42.55", 3), Ok((&b""[..], 42_550)));
        assert_eq!(fixed(b"-256", 3), Ok((&b""[..], -256_000)));
        assert_eq!(fixed(b"0.07709848", 9), Ok((&b""[..], 77_098_480)));
        assert!(fixed(b"1.2345", 3).is_err(), "precision would be lost");
        assert!(fixed(b"1.", 3).is_err());
        assert!(fixed(b"99999999999999999999", 3).is_err(), "overflow");
    }

    #[test]
    fn hex_and_uint_reject_overflow() {
        assert_eq!(hex(b"0x50005"), Ok((&b""[..], 0x50005)));
        assert!(hex(b"0x").is_err());
        assert!(u32(b"4294967296").is_err());
        assert_eq!(u32(b"4294967295"), Ok((&b""[..], u32::MAX)));
    }

    #[test]
    fn complete_rejects_leftovers() {
        assert_eq!(complete(b" 12 \n", "x", u32), Ok(12));
        assert_eq!(
            complete(b"12x", "x", u32),
            Err(Error::new(ErrorKind::Trailing, "x"))
        );
        assert_eq!(
            complete(b"  ", "x", u32),
            Err(Error::new(ErrorKind::Empty, "x"))
        );
    }
}
