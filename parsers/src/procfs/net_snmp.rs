//! `/proc/net/snmp`: the `Tcp:` group, one line of names and one of values.
//!
//! ```text
//! Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors
//! Tcp: 1 200 120000 -1 3898 3754 19 2210 0 9029837 9021373 22 0 1452 0
//! ```
//! The other groups (`Ip:`, `Icmp:`, `Udp:`, …) are skipped. Names are
//! matched, not positions, so a kernel that adds a counter still parses;
//! `MaxConn` is `-1` (no limit) and is not kept.

use edgestat_core::linux::TcpStats;

use super::{content_lines, not_empty, number, words};
use crate::error::{Error, ErrorKind};

const GROUP: &[u8] = b"Tcp:";

/// Parses `/proc/net/snmp` (or any file with its `Tcp:` line pair).
pub fn parse(input: &[u8]) -> Result<TcpStats, Error> {
    not_empty(input, "snmp")?;
    let mut tcp = content_lines(input).filter(|l| l.starts_with(GROUP));
    let names = tcp.next().ok_or(Error::missing("Tcp"))?;
    let values = tcp.next().ok_or(Error::missing("Tcp values"))?;
    if tcp.next().is_some() {
        return Err(Error::new(ErrorKind::Trailing, "Tcp"));
    }
    let (mut names, mut values) = (words(names).skip(1), words(values).skip(1));
    let mut stats = TcpStats::default();
    let mut seen_estab = false;
    loop {
        let (name, value) = match (names.next(), values.next()) {
            (Some(name), Some(value)) => (name, value),
            (None, None) => break,
            (Some(_), None) => return Err(Error::missing("Tcp values")),
            (None, Some(_)) => return Err(Error::new(ErrorKind::Trailing, "Tcp values")),
        };
        let slot = match name {
            b"CurrEstab" => {
                seen_estab = true;
                &mut stats.curr_estab
            }
            b"ActiveOpens" => &mut stats.active_opens,
            b"PassiveOpens" => &mut stats.passive_opens,
            b"AttemptFails" => &mut stats.attempt_fails,
            b"EstabResets" => &mut stats.estab_resets,
            b"InSegs" => &mut stats.in_segs,
            b"OutSegs" => &mut stats.out_segs,
            b"RetransSegs" => &mut stats.retrans_segs,
            b"InErrs" => &mut stats.in_errs,
            b"OutRsts" => &mut stats.out_rsts,
            _ => continue, // RtoMin, MaxConn (-1), InCsumErrors, newer ones
        };
        *slot = number(value, "Tcp values")?;
    }
    if !seen_estab {
        return Err(Error::missing("CurrEstab"));
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_machines_counters() {
        let file = include_bytes!("../../tests/data/procfs/x86_64-debian12/net_snmp");
        // Expected values re-derived by plain splitting.
        let text = core::str::from_utf8(file).unwrap();
        let mut tcp = text.lines().filter(|l| l.starts_with("Tcp:"));
        let (names, values) = (tcp.next().unwrap(), tcp.next().unwrap());
        let value = |name: &str| {
            let at = names.split_whitespace().position(|n| n == name).unwrap();
            values.split_whitespace().nth(at).unwrap().parse::<u64>().unwrap()
        };
        let stats = parse(file).unwrap();
        assert_eq!(stats.curr_estab, value("CurrEstab"));
        assert_eq!(stats.active_opens, value("ActiveOpens"));
        assert_eq!(stats.passive_opens, value("PassiveOpens"));
        assert_eq!(stats.retrans_segs, value("RetransSegs"));
        assert_eq!(stats.out_rsts, value("OutRsts"));
    }

    #[test]
    fn names_not_positions() {
        let file = b"Tcp: CurrEstab NewCounter RetransSegs\nTcp: 4 99 7\n";
        let stats = parse(file).unwrap();
        assert_eq!((stats.curr_estab, stats.retrans_segs), (4, 7));
    }

    #[test]
    fn errors() {
        assert_eq!(parse(b""), Err(Error::new(ErrorKind::Empty, "snmp")));
        assert_eq!(parse(b"Ip: Forwarding\nIp: 1\n"), Err(Error::missing("Tcp")));
        assert_eq!(parse(b"Tcp: CurrEstab\n"), Err(Error::missing("Tcp values")));
        assert_eq!(parse(b"Tcp: CurrEstab InSegs\nTcp: 1\n"), Err(Error::missing("Tcp values")));
        assert_eq!(
            parse(b"Tcp: CurrEstab\nTcp: 1 2\n"),
            Err(Error::new(ErrorKind::Trailing, "Tcp values"))
        );
        assert_eq!(parse(b"Tcp: CurrEstab\nTcp: x\n"), Err(Error::syntax("Tcp values")));
        assert_eq!(parse(b"Tcp: InSegs\nTcp: 1\n"), Err(Error::missing("CurrEstab")));
    }
}
