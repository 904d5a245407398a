//! `/proc/net/wireless`: link quality and signal level per wireless
//! interface, in the layout of the kernel's `wireless_seq_printf_stats`
//! (`%6s: %04x  %3d%c  %3d%c  %3d%c  %6d %6d %6d %6d %6d   %6d`).
//!
//! ```text
//! Inter-| sta-|   Quality        |   Discarded packets               | Missed | WE
//!  face | tus | link level noise |  nwid  crypt   frag  retry   misc | beacon | 22
//!  wlan0: 0000   70.  -40.  -256        0      0      0      0     17        0
//! ```
//! The `.` after a value marks it as updated since the last read; the
//! level and noise are dBm.

use edgestat_core::linux::{Wireless, WirelessInterface};
use edgestat_core::name::push;

use super::{content_lines, end, words};
use crate::error::{Error, ErrorKind};
use crate::lex;

/// Parses `/proc/net/wireless`.
pub fn parse(input: &[u8]) -> Result<Wireless, Error> {
    let mut lines = content_lines(input);
    let first = lines.next().ok_or(Error::new(ErrorKind::Empty, "wireless"))?;
    let second = lines.next().ok_or(Error::missing("wireless header"))?;
    if !first.starts_with(b"Inter-|") || !lex::trim(second).starts_with(b"face |") {
        return Err(Error::syntax("wireless header"));
    }
    let mut wireless = Wireless::default();
    for line in lines {
        let colon =
            line.iter().position(|&b| b == b':').ok_or(Error::syntax("wireless interface"))?;
        let name = lex::trim(line.get(..colon).unwrap_or_default());
        let mut w = words(line.get(colon + 1..).unwrap_or_default());
        let status = w.next().ok_or(Error::missing("wireless status"))?;
        if status.len() != 4 || !status.iter().all(u8::is_ascii_hexdigit) {
            return Err(Error::syntax("wireless status"));
        }
        let link = value(w.next(), "wireless link")?;
        let level_dbm = value(w.next(), "wireless level")?;
        let noise_dbm = value(w.next(), "wireless noise")?;
        for field in [
            "wireless nwid",
            "wireless crypt",
            "wireless frag",
            "wireless retry",
            "wireless misc",
            "wireless beacon",
        ] {
            value(w.next(), field)?;
        }
        end(w, "wireless interface")?;
        let interface = WirelessInterface {
            name: lex::name(name, "wireless interface")?,
            link,
            level_dbm,
            noise_dbm,
        };
        push(&mut wireless.interfaces, interface, "wireless interfaces")?;
    }
    Ok(wireless)
}

/// A signed decimal, optionally followed by the kernel's `.` update mark.
fn value(word: Option<&[u8]>, field: &'static str) -> Result<i32, Error> {
    let word = word.ok_or(Error::missing(field))?;
    let word = word.strip_suffix(b".").unwrap_or(word);
    let (negative, digits) = match word.strip_prefix(b"-") {
        Some(digits) => (true, digits),
        None => (false, word),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(Error::syntax(field));
    }
    let n = match lex::uint(digits) {
        Ok(([], n)) => i32::try_from(n).map_err(|_| Error::new(ErrorKind::Range, field))?,
        _ => return Err(Error::new(ErrorKind::Range, field)),
    };
    Ok(if negative { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kernel_layout() {
        let file = include_bytes!("../../tests/data/procfs/edge/net_wireless");
        let w = parse(file).unwrap();
        assert_eq!(w.interfaces.len(), 2);
        let first = &w.interfaces[0];
        assert_eq!(
            (first.name.as_str(), first.link, first.level_dbm, first.noise_dbm),
            ("wlan0", 70, -40, -256)
        );
        assert_eq!((w.interfaces[1].name.as_str(), w.interfaces[1].level_dbm), ("wlp2s0", -72));
        // No wireless interface: the two header lines only.
        let headers_only = b"Inter-| sta-|   Quality        |   Discarded packets               | Missed | WE\n face | tus | link level noise |  nwid  crypt   frag  retry   misc | beacon | 22\n";
        assert_eq!(parse(headers_only).map(|w| w.interfaces.len()), Ok(0));
    }

    #[test]
    fn errors() {
        assert_eq!(parse(b""), Err(Error::new(ErrorKind::Empty, "wireless")));
        assert_eq!(parse(b"Inter-| sta\n"), Err(Error::missing("wireless header")));
        macro_rules! bad {
            ($line:literal) => {
                parse(concat!("Inter-| sta-|\n face | tus |\n", $line, "\n").as_bytes())
            };
        }
        assert_eq!(
            bad!(" wlan0: 0000   70.  -4x.  -256  0 0 0 0 0 0"),
            Err(Error::syntax("wireless level"))
        );
        assert_eq!(bad!(" wlan0: 0000   70.  -40."), Err(Error::missing("wireless noise")));
        assert_eq!(
            bad!(" wlan0: zz00   70.  -40.  -256  0 0 0 0 0 0"),
            Err(Error::syntax("wireless status"))
        );
        assert_eq!(
            bad!(" wlan0: 0000   70.  -40.  -256  0 0 0 0 0 0 9"),
            Err(Error::new(ErrorKind::Trailing, "wireless interface"))
        );
    }
}
