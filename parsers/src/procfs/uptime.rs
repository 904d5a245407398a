//! `/proc/uptime`: seconds since boot and idle seconds.
//!
//! ```text
//! 350735.47 234388.90
//! ```
//! Both are printed with two decimals and kept as exact centiseconds.

use edgestat_core::linux::Uptime;

use super::{centi, end, not_empty, words};
use crate::error::Error;

/// Parses `/proc/uptime`.
pub fn parse(input: &[u8]) -> Result<Uptime, Error> {
    not_empty(input, "uptime")?;
    let mut w = words(input);
    let uptime_cs = centi(w.next().ok_or(Error::missing("uptime"))?, "uptime")?;
    let idle_cs = centi(w.next().ok_or(Error::missing("idle"))?, "idle")?;
    end(w, "uptime")?;
    Ok(Uptime { uptime_cs, idle_cs })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn brief_example_and_errors() {
        assert_eq!(
            parse(b"350735.47 234388.90\n"),
            Ok(Uptime { uptime_cs: 35_073_547, idle_cs: 23_438_890 })
        );
        assert_eq!(parse(b"350735.47\n"), Err(Error::missing("idle")));
        assert_eq!(parse(b"350735.47 1.0 2.0\n"), Err(Error::new(ErrorKind::Trailing, "uptime")));
        assert_eq!(parse(b"350735,47 1.0\n"), Err(Error::syntax("uptime")));
        assert_eq!(parse(b""), Err(Error::new(ErrorKind::Empty, "uptime")));
    }
}
