//! Lexical pieces shared by every parser: numbers, fixed-point decimals,
//! names, whitespace and the "no leftover input" rule.

use edgestat_core::Name;
use edgestat_core::capacity::NAME_LEN;
use nom::IResult;

use crate::error::{Error, ErrorKind};

/// nom's result over bytes with its default error, private to this crate.
pub(crate) type Res<'a, T> = IResult<&'a [u8], T>;

/// nom's default error over bytes, the error type of every [`Res`].
pub(crate) type NomError<'a> = nom::error::Error<&'a [u8]>;

/// A nom error at `input`, for hand-written parsers.
pub(crate) fn fail<T>(input: &[u8]) -> Res<'_, T> {
    Err(nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Verify)))
}

/// Whitespace as tegrastats and /proc use it (space, tab, CR, LF).
pub(crate) const fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// `bytes` without leading and trailing whitespace.
pub(crate) fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| !is_space(b)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|&b| !is_space(b)).map_or(start, |e| e + 1);
    bytes.get(start..end).unwrap_or_default()
}

/// Splits `input` into lines on `\n`, without the `\r` of CRLF endings.
pub(crate) fn lines(input: &[u8]) -> impl Iterator<Item = &[u8]> {
    input.split(|&b| b == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l))
}

/// Unsigned decimal digits as `u64`; fails on no digits or overflow.
pub(crate) fn uint(input: &[u8]) -> Res<'_, u64> {
    let (value, digits) = digits(input);
    match (value, digits) {
        (Some(v), 1..) => Ok((input.get(digits..).unwrap_or_default(), v)),
        _ => fail(input),
    }
}

/// The run of leading ASCII digits: its value (`None` on overflow) and length.
/// One pass, and small enough to inline: this is the innermost loop of
/// every parser (a byte-at-a-time loop measured faster here than reading
/// eight digits at once, which stopped it from being inlined).
fn digits(input: &[u8]) -> (Option<u64>, usize) {
    let mut value = 0u64;
    let mut count = 0;
    let mut overflow = false;
    for &b in input {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            break;
        }
        // 19 digits always fit a u64; only longer runs need checking.
        if count < 19 {
            value = value * 10 + u64::from(digit);
        } else {
            match value.checked_mul(10).and_then(|v| v.checked_add(u64::from(digit))) {
                Some(v) => value = v,
                None => overflow = true,
            }
        }
        count += 1;
    }
    (if overflow { None } else { Some(value) }, count)
}

/// Unsigned decimal digits as a `T`, and the rest: the light-weight form
/// of [`u32`] and [`u16`] for hot loops, with no error value to carry.
pub(crate) fn number<T: TryFrom<u64>>(input: &[u8]) -> Option<(T, &[u8])> {
    match digits(input) {
        (Some(v), n @ 1..) => Some((T::try_from(v).ok()?, input.get(n..)?)),
        _ => None,
    }
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
    match decimal(input, frac) {
        Some((value, rest)) => Ok((rest, value)),
        None => fail(input),
    }
}

/// [`fixed`] for hot loops: the value and the rest, with no error to carry.
pub(crate) fn decimal(input: &[u8], frac: u32) -> Option<(i64, &[u8])> {
    let (negative, body) = match input.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, input),
    };
    let (int, rest) = number::<u64>(body)?;
    let (fraction, count, rest) = match rest.split_first() {
        Some((b'.', after)) => match digits(after) {
            (Some(f), n @ 1..) if n <= frac as usize => (f, n as u32, after.get(n..)?),
            _ => return None,
        },
        _ => (0, 0, rest),
    };
    let scale = |digits: u32| POW10.get(digits as usize).copied();
    let value = i64::try_from(int)
        .ok()?
        .checked_mul(scale(frac)?)?
        .checked_add(i64::try_from(fraction).ok()? * scale(frac - count)?)?;
    Some((if negative { -value } else { value }, rest))
}

/// Powers of ten that fit an `i64`, for fixed-point scaling.
const POW10: [i64; 19] = {
    let mut table = [1i64; 19];
    let mut i = 1;
    while i < table.len() {
        #[allow(clippy::indexing_slicing)] // compile-time, i in 1..19
        {
            table[i] = table[i - 1] * 10;
        }
        i += 1;
    }
    table
};

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
    let mut name = Name::new();
    set_name(&mut name, bytes, field)?;
    Ok(name)
}

/// Writes the bytes into an empty `target` in place (no `Name` is moved
/// through a `Result`, which matters on the tegrastats hot path).
pub(crate) fn set_name(target: &mut Name, bytes: &[u8], field: &'static str) -> Result<(), Error> {
    if bytes.len() > NAME_LEN {
        return Err(Error::new(ErrorKind::Capacity, field));
    }
    if bytes.is_ascii() {
        // Every sensor, rail and engine name: for names this short, copying
        // byte by byte beats UTF-8 validation plus a copy.
        for &b in bytes {
            target.push(char::from(b)).map_err(|_| Error::new(ErrorKind::Capacity, field))?;
        }
        return Ok(());
    }
    target.push_str(utf8(bytes, field)?).map_err(|_| Error::new(ErrorKind::Capacity, field))
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
    fn digits_agree_with_a_plain_loop() {
        let cases: [&[u8]; 14] = [
            b"",
            b"x",
            b"0",
            b"7%",
            b"12345678",
            b"123456789",
            b"00000001x",
            b"4294967295",
            b"18446744073709551615",
            b"18446744073709551616",
            b"99999999999999999999",
            b"1/2",
            b"12:34",
            b"0123456\xff",
        ];
        for case in cases {
            let n = case.iter().take_while(|b| b.is_ascii_digit()).count();
            let expected =
                core::str::from_utf8(&case[..n]).ok().and_then(|s| s.parse::<u64>().ok());
            let (value, count) = digits(case);
            assert_eq!(count, n, "{case:?}");
            if n > 0 {
                assert_eq!(value, expected, "{case:?}");
            }
        }
        // Every length and every non-digit byte after the run.
        for len in 0..12 {
            for stop in
                [b' ', b'/', b'%', b'.', b':', b'@', 0x00, 0x2f, 0x3a, 0x7f, 0x80, 0xba, 0xff]
            {
                let mut buf = [b'9'; 16];
                buf[len] = stop;
                let (value, count) = digits(&buf);
                assert_eq!(count, len, "len {len} stop {stop:#x}");
                if len > 0 {
                    assert_eq!(value, Some(10u64.pow(len as u32) - 1), "len {len} stop {stop:#x}");
                }
            }
        }
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
        assert_eq!(complete(b"12x", "x", u32), Err(Error::new(ErrorKind::Trailing, "x")));
        assert_eq!(complete(b"  ", "x", u32), Err(Error::new(ErrorKind::Empty, "x")));
    }
}
