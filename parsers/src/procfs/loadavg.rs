//! `/proc/loadavg`: load averages and scheduler counts.
//!
//! ```text
//! 0.52 0.58 0.59 2/345 12345
//! ```
//! Three load averages with two decimals (kept as hundredths), runnable and
//! total scheduling entities, and the last PID handed out.

use edgestat_core::linux::LoadAvg;

use super::{centi, end, next_u32, not_empty, number_u32, split_once, words};
use crate::error::{Error, ErrorKind};

/// Parses `/proc/loadavg`.
pub fn parse(input: &[u8]) -> Result<LoadAvg, Error> {
    not_empty(input, "loadavg")?;
    let mut w = words(input);
    let mut load = |field| -> Result<u32, Error> {
        let value = centi(w.next().ok_or(Error::missing(field))?, field)?;
        u32::try_from(value).map_err(|_| Error::new(ErrorKind::Range, field))
    };
    let load1_centi = load("load1")?;
    let load5_centi = load("load5")?;
    let load15_centi = load("load15")?;
    let tasks = w.next().ok_or(Error::missing("running"))?;
    let (running, total) = split_once(tasks, b'/').ok_or(Error::syntax("running"))?;
    let running = number_u32(running, "running")?;
    let total = number_u32(total, "total")?;
    let last_pid = next_u32(&mut w, "last_pid")?;
    end(w, "loadavg")?;
    Ok(LoadAvg { load1_centi, load5_centi, load15_centi, running, total, last_pid })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brief_example() {
        assert_eq!(
            parse(b"0.52 0.58 0.59 2/345 12345\n"),
            Ok(LoadAvg {
                load1_centi: 52,
                load5_centi: 58,
                load15_centi: 59,
                running: 2,
                total: 345,
                last_pid: 12345
            })
        );
    }

    #[test]
    fn rejects_malformed() {
        assert_eq!(parse(b"0.52 0.58 0.59 2/345\n"), Err(Error::missing("last_pid")));
        assert_eq!(parse(b"0.52 0.58 0.59 2-345 1\n"), Err(Error::syntax("running")));
        assert_eq!(parse(b"0.52 0.58 0.59 2/ 1\n"), Err(Error::syntax("total")));
        assert_eq!(
            parse(b"0.52 0.58 0.59 2/345 1 9\n"),
            Err(Error::new(ErrorKind::Trailing, "loadavg"))
        );
        assert_eq!(parse(b"-0.52 0.58 0.59 2/345 1\n"), Err(Error::syntax("load1")));
        assert_eq!(parse(b"99999999.99 0 0 1/1 1\n"), Err(Error::new(ErrorKind::Range, "load1")));
    }
}
