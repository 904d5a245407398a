//! CPU lists: `/sys/devices/system/cpu/present`, `online`, `offline`.
//!
//! ```text
//! 0-11
//! 0,3-5
//! ```
//! Ranges and single CPUs separated by commas, then a newline. An empty
//! list (`offline` with every CPU online) is a lone newline.

use edgestat_core::sysfs::CpuSet;

use crate::error::{Error, ErrorKind};
use crate::lex;

const FIELD: &str = "cpu list";

/// Parses one CPU list.
pub fn parse(input: &[u8]) -> Result<CpuSet, Error> {
    let body = lex::trim(input);
    let mut set = CpuSet::default();
    if body.is_empty() {
        return Ok(set);
    }
    for item in body.split(|&b| b == b',') {
        let (first, last) = match item.iter().position(|&b| b == b'-') {
            Some(at) => (number(item.get(..at))?, number(item.get(at + 1..))?),
            None => {
                let n = number(Some(item))?;
                (n, n)
            }
        };
        if first > last {
            return Err(Error::syntax(FIELD));
        }
        for n in first..=last {
            if !set.insert(n) {
                return Err(Error::new(ErrorKind::Capacity, FIELD));
            }
        }
    }
    Ok(set)
}

fn number(digits: Option<&[u8]>) -> Result<u32, Error> {
    let digits = digits.filter(|d| !d.is_empty() && d.iter().all(u8::is_ascii_digit));
    let digits = digits.ok_or(Error::syntax(FIELD))?;
    match lex::uint(digits) {
        Ok(([], n)) => u32::try_from(n).map_err(|_| Error::new(ErrorKind::Capacity, FIELD)),
        _ => Err(Error::new(ErrorKind::Capacity, FIELD)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cpus(input: &[u8]) -> Result<heapless::Vec<u32, 16>, Error> {
        parse(input).map(|set| set.iter().take(16).collect())
    }

    #[test]
    fn lists_the_kernel_prints() {
        assert_eq!(cpus(b"0-11\n").unwrap().as_slice(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        // TX2 in an nvpmodel mode with the two Denver cores off.
        assert_eq!(cpus(b"0,3-5\n").unwrap().as_slice(), [0, 3, 4, 5]);
        assert_eq!(parse(b"\n").map(|s| s.len()), Ok(0));
        assert_eq!(parse(b"127\n").map(|s| s.len()), Ok(1));
    }

    #[test]
    fn errors() {
        assert_eq!(parse(b"3-1\n"), Err(Error::syntax(FIELD)));
        assert_eq!(parse(b"0-\n"), Err(Error::syntax(FIELD)));
        assert_eq!(parse(b"a\n"), Err(Error::syntax(FIELD)));
        assert_eq!(parse(b"0,,1\n"), Err(Error::syntax(FIELD)));
        assert_eq!(parse(b"0-128\n"), Err(Error::new(ErrorKind::Capacity, FIELD)));
        assert_eq!(parse(b"99999999999999999999\n"), Err(Error::new(ErrorKind::Capacity, FIELD)));
    }
}
