//! `/proc/net/dev`: per-interface network counters.
//!
//! ```text
//! Inter-|   Receive                                                |  Transmit
//!  face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
//!   eth0: 64305149    4225    0    0    0     0          0         0   309909    3666    0    0    0     0       0          0
//! ```
//! Two header lines, then one line per interface with 8 receive and 8
//! transmit counters. Kernels before 2.6.x glue large counters to the name
//! (`eth0:1234567`); interface names never contain `:`, so the first `:`
//! ends the name either way.

use edgestat_core::linux::{Interface, NetDev};
use edgestat_core::name::push;

use super::{end, next_number, not_empty, split_once, words};
use crate::error::Error;
use crate::lex::{lines, name, trim};

/// The 16 counters in column order, named as the model names them.
const COLUMNS: [&str; 16] = [
    "rx_bytes",
    "rx_packets",
    "rx_errs",
    "rx_drop",
    "rx_fifo",
    "rx_frame",
    "rx_compressed",
    "rx_multicast",
    "tx_bytes",
    "tx_packets",
    "tx_errs",
    "tx_drop",
    "tx_fifo",
    "tx_colls",
    "tx_carrier",
    "tx_compressed",
];

/// Parses a whole `/proc/net/dev`, both header lines included.
pub fn parse(input: &[u8]) -> Result<NetDev, Error> {
    not_empty(input, "net/dev")?;
    let mut rows = lines(input);
    for _ in 0..2 {
        let header = rows.next().ok_or(Error::missing("net/dev header"))?;
        if !header.contains(&b'|') {
            return Err(Error::syntax("net/dev header"));
        }
    }
    let mut dev = NetDev::default();
    for row in rows.filter(|r| !trim(r).is_empty()) {
        push(&mut dev.interfaces, interface(row)?, "interfaces")?;
    }
    Ok(dev)
}

/// One `name: 16 counters` line.
fn interface(row: &[u8]) -> Result<Interface, Error> {
    let (label, counters) = split_once(row, b':').ok_or(Error::syntax("interface"))?;
    let label = trim(label);
    if label.is_empty() || words(label).nth(1).is_some() {
        return Err(Error::syntax("interface"));
    }
    let mut values = [0u64; 16];
    let mut w = words(counters);
    for (slot, field) in values.iter_mut().zip(COLUMNS) {
        *slot = next_number(&mut w, field)?;
    }
    end(w, "interface")?;
    let [
        rx_bytes,
        rx_packets,
        rx_errs,
        rx_drop,
        rx_fifo,
        rx_frame,
        rx_compressed,
        rx_multicast,
        tx_bytes,
        tx_packets,
        tx_errs,
        tx_drop,
        tx_fifo,
        tx_colls,
        tx_carrier,
        tx_compressed,
    ] = values;
    Ok(Interface {
        name: name(label, "interface")?,
        rx_bytes,
        rx_packets,
        rx_errs,
        rx_drop,
        rx_fifo,
        rx_frame,
        rx_compressed,
        rx_multicast,
        tx_bytes,
        tx_packets,
        tx_errs,
        tx_drop,
        tx_fifo,
        tx_colls,
        tx_carrier,
        tx_compressed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    const HEAD: &[u8] = b"Inter-|   Receive  |  Transmit\n face |bytes packets|bytes packets\n";

    fn with_head(rows: &[u8]) -> heapless::Vec<u8, 512> {
        let mut v = heapless::Vec::new();
        v.extend_from_slice(HEAD).unwrap();
        v.extend_from_slice(rows).unwrap();
        v
    }

    #[test]
    fn glued_name_and_counters() {
        let d = parse(&with_head(b"  eth0:1234567 10 0 0 0 0 0 0 89 11 0 0 0 0 0 0\n")).unwrap();
        assert_eq!(d.interfaces[0].name, "eth0");
        assert_eq!(d.interfaces[0].rx_bytes, 1_234_567);
        assert_eq!(d.interfaces[0].tx_bytes, 89);
        assert_eq!(d.interfaces[0].tx_packets, 11);
    }

    #[test]
    fn rejects_malformed_rows() {
        let short = with_head(b"eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n");
        assert_eq!(parse(&short), Err(Error::missing("tx_compressed")));
        let long = with_head(b"eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n");
        assert_eq!(parse(&long), Err(Error::new(ErrorKind::Trailing, "interface")));
        let spaced = with_head(b"eth 0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n");
        assert_eq!(parse(&spaced), Err(Error::syntax("interface")));
        let bad = with_head(b"eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 1x\n");
        assert_eq!(parse(&bad), Err(Error::syntax("tx_compressed")));
        assert_eq!(
            parse(b"eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"),
            Err(Error::syntax("net/dev header"))
        );
        assert_eq!(parse(b"Inter-|"), Err(Error::missing("net/dev header")));
    }
}
