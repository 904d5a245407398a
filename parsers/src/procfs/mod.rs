//! Parsers for the /proc files (and the device-tree `model` file) that
//! edgestat reads on every Linux board, one module per file format:
//!
//! | module | file | returns |
//! |---|---|---|
//! | [`stat`] | `/proc/stat` | [`edgestat_core::linux::Stat`] |
//! | [`meminfo`] | `/proc/meminfo` | [`edgestat_core::linux::MemInfo`] |
//! | [`loadavg`] | `/proc/loadavg` | [`edgestat_core::linux::LoadAvg`] |
//! | [`uptime`] | `/proc/uptime` | [`edgestat_core::linux::Uptime`] |
//! | [`net_dev`] | `/proc/net/dev` | [`edgestat_core::linux::NetDev`] |
//! | [`net_snmp`] | `/proc/net/snmp` (the `Tcp:` group) | [`edgestat_core::linux::TcpStats`] |
//! | [`net_wireless`] | `/proc/net/wireless` | [`edgestat_core::linux::Wireless`] |
//! | [`net_tcp`] | `/proc/net/tcp`, `/proc/net/tcp6` | [`edgestat_core::linux::TcpSockets`] |
//! | [`diskstats`] | `/proc/diskstats` | [`edgestat_core::linux::DiskStats`] |
//! | [`mounts`] | `/proc/mounts` | [`edgestat_core::linux::Mounts`] |
//! | [`pid_stat`] | `/proc/<pid>/stat` | [`edgestat_core::linux::PidStat`] |
//! | [`pid_status`] | `/proc/<pid>/status` | [`edgestat_core::linux::PidStatus`] |
//! | [`cpuinfo`] | `/proc/cpuinfo` | [`edgestat_core::linux::CpuInfo`] |
//! | [`device_tree_model`] | `/proc/device-tree/model` | [`edgestat_core::linux::BoardModel`] |
//!
//! Every module has one pure `parse(&[u8])`. Lines a parser understands are
//! checked whole: a missing column is [`ErrorKind::Missing`], an extra one
//! [`ErrorKind::Trailing`]. Keys a parser does not use are skipped (and
//! counted where the model says so), so a newer kernel's extra line never
//! drops a sample. Lists are bounded by the named capacities of
//! [`edgestat_core::linux`]; overflowing one is [`ErrorKind::Capacity`].

pub mod cpuinfo;
pub mod device_tree_model;
pub mod diskstats;
pub mod loadavg;
pub mod meminfo;
pub mod mounts;
pub mod net_dev;
pub mod net_snmp;
pub mod net_tcp;
pub mod net_wireless;
pub mod pid_stat;
pub mod pid_status;
pub mod stat;
pub mod uptime;

use edgestat_core::CapacityError;
use edgestat_core::name::bounded;

use crate::error::{Error, ErrorKind};
use crate::lex;

/// Whitespace-separated words of `line`.
fn words(line: &[u8]) -> impl Iterator<Item = &[u8]> {
    line.split(|&b| lex::is_space(b)).filter(|w| !w.is_empty())
}

/// The lines of `input` that are not blank.
fn content_lines(input: &[u8]) -> impl Iterator<Item = &[u8]> {
    lex::lines(input).filter(|l| !lex::trim(l).is_empty())
}

/// An empty-input error in `field` when `input` is only whitespace.
fn not_empty(input: &[u8], field: &'static str) -> Result<(), Error> {
    if lex::trim(input).is_empty() { Err(Error::new(ErrorKind::Empty, field)) } else { Ok(()) }
}

/// A whole word as an unsigned decimal: a syntax error when it is not all
/// digits, a range error when it does not fit `u64`.
fn number(word: &[u8], field: &'static str) -> Result<u64, Error> {
    if word.is_empty() || !word.iter().all(u8::is_ascii_digit) {
        return Err(Error::syntax(field));
    }
    match lex::uint(word) {
        Ok((_, v)) => Ok(v),
        Err(_) => Err(Error::new(ErrorKind::Range, field)),
    }
}

/// Like [`number`], narrowed to `u32`.
fn number_u32(word: &[u8], field: &'static str) -> Result<u32, Error> {
    u32::try_from(number(word, field)?).map_err(|_| Error::new(ErrorKind::Range, field))
}

/// The next word as a [`number`], or a missing-field error.
fn next_number<'a>(
    words: &mut impl Iterator<Item = &'a [u8]>,
    field: &'static str,
) -> Result<u64, Error> {
    number(words.next().ok_or(Error::missing(field))?, field)
}

/// The next word as a `u32` [`number`], or a missing-field error.
fn next_u32<'a>(
    words: &mut impl Iterator<Item = &'a [u8]>,
    field: &'static str,
) -> Result<u32, Error> {
    number_u32(words.next().ok_or(Error::missing(field))?, field)
}

/// A trailing-input error in `field` when any word is left.
fn end<'a>(mut words: impl Iterator<Item = &'a [u8]>, field: &'static str) -> Result<(), Error> {
    match words.next() {
        Some(_) => Err(Error::new(ErrorKind::Trailing, field)),
        None => Ok(()),
    }
}

/// `line` split at its first `sep`, without the separator.
fn split_once(line: &[u8], sep: u8) -> Option<(&[u8], &[u8])> {
    let at = line.iter().position(|&b| b == sep)?;
    Some((line.get(..at)?, line.get(at + 1..)?))
}

/// Stores `value` in an empty `slot`; a key printed twice is a syntax error.
fn set_once<T>(slot: &mut Option<T>, value: T, field: &'static str) -> Result<(), Error> {
    if slot.is_some() {
        return Err(Error::syntax(field));
    }
    *slot = Some(value);
    Ok(())
}

/// Bytes as a bounded string, bytes that are not UTF-8 replaced by U+FFFD
/// (process names and paths are bytes to the kernel); a capacity error in
/// `field` when the result does not fit.
fn lossy<const N: usize>(bytes: &[u8], field: &'static str) -> Result<heapless::String<N>, Error> {
    if let Ok(text) = core::str::from_utf8(bytes) {
        return Ok(bounded(text, field)?);
    }
    let mut out = heapless::String::new();
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid()).map_err(|_| CapacityError { field })?;
        if !chunk.invalid().is_empty() {
            out.push(char::REPLACEMENT_CHARACTER).map_err(|_| CapacityError { field })?;
        }
    }
    Ok(out)
}

/// A decimal printed with at most two places, as exact hundredths
/// (`0.52` → 52); negative numbers and more places are syntax errors.
fn centi(word: &[u8], field: &'static str) -> Result<u64, Error> {
    if !word.first().is_some_and(u8::is_ascii_digit) {
        return Err(Error::syntax(field));
    }
    match lex::fixed(word, 2) {
        Ok((&[], v)) => u64::try_from(v).map_err(|_| Error::new(ErrorKind::Range, field)),
        _ => Err(Error::syntax(field)),
    }
}

/// A `value kB` (or unit-less `value`) field, as in meminfo and status.
fn kb_value(value: &[u8], field: &'static str) -> Result<u64, Error> {
    let mut w = words(value);
    let kb = next_number(&mut w, field)?;
    match w.next() {
        None | Some(b"kB") => {}
        Some(_) => return Err(Error::syntax(field)),
    }
    end(w, field)?;
    Ok(kb)
}

/// Adds one to a counter of skipped keys, saturating.
fn count(counter: &mut u16) {
    *counter = counter.saturating_add(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_say_syntax_or_range() {
        assert_eq!(number(b"42", "f"), Ok(42));
        assert_eq!(number(b"4x", "f"), Err(Error::syntax("f")));
        assert_eq!(number(b"", "f"), Err(Error::syntax("f")));
        assert_eq!(number(b"18446744073709551616", "f"), Err(Error::new(ErrorKind::Range, "f")));
        assert_eq!(number_u32(b"4294967296", "f"), Err(Error::new(ErrorKind::Range, "f")));
    }

    #[test]
    fn centi_is_exact() {
        assert_eq!(centi(b"0.52", "f"), Ok(52));
        assert_eq!(centi(b"350735.47", "f"), Ok(35_073_547));
        assert_eq!(centi(b"3.5", "f"), Ok(350));
        assert_eq!(centi(b"7", "f"), Ok(700));
        assert!(centi(b"-0.52", "f").is_err());
        assert!(centi(b"0.523", "f").is_err());
        assert!(centi(b"0.52x", "f").is_err());
        assert!(centi(b".5", "f").is_err());
    }

    #[test]
    fn lossy_replaces_and_bounds() {
        assert_eq!(lossy::<8>(b"a\xffb", "f").as_deref(), Ok("a\u{fffd}b"));
        assert_eq!(lossy::<2>(b"abc", "f"), Err(Error::new(ErrorKind::Capacity, "f")));
        assert_eq!(lossy::<3>(b"a\xff", "f"), Err(Error::new(ErrorKind::Capacity, "f")));
    }
}
