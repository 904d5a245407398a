//! `/proc/net/tcp` and `/proc/net/tcp6`: one line per TCP socket, counted
//! by state.
//!
//! ```text
//!   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
//!    0: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000   117        0 20979 1 …
//!    2: 2A01A8C0:0016 0A01A8C0:D2F4 01 00000000:00000000 02:00089B4E 00000000     0        0 398211 4 …
//! ```
//! The first line is the header. Each socket line starts with its slot
//! number and a colon, then the local and remote `address:port` in hex and
//! the state in hex (`01` ESTABLISHED … `0A` LISTEN … `0C` NEW_SYN_RECV).
//! Only the state is read; the rest of the line is not checked.

use edgestat_core::linux::TcpSockets;

use super::{content_lines, not_empty, words};
use crate::error::{Error, ErrorKind};

const FIELD: &str = "tcp";
const ESTABLISHED: u8 = 0x01;
const LISTEN: u8 = 0x0A;
/// The highest state the kernel defines (`TCP_NEW_SYN_RECV`).
const MAX_STATE: u8 = 0x0C;

/// Parses one table.
pub fn parse(input: &[u8]) -> Result<TcpSockets, Error> {
    not_empty(input, FIELD)?;
    let mut lines = content_lines(input);
    header(lines.next().ok_or(Error::missing("tcp header"))?)?;
    let mut counts = TcpSockets::default();
    for line in lines {
        count_line(line, &mut counts)?;
    }
    Ok(counts)
}

/// Checks the header line (`  sl  local_address rem_address   st …`).
///
/// With [`count_line`], this reads a table line by line: a busy host's
/// table holds thousands of sockets, more than a reader wants to buffer.
pub fn header(line: &[u8]) -> Result<(), Error> {
    if words(line).take(2).eq([&b"sl"[..], b"local_address"]) {
        Ok(())
    } else {
        Err(Error::syntax("tcp header"))
    }
}

/// Counts one socket line into `counts`; a blank line counts nothing.
pub fn count_line(line: &[u8], counts: &mut TcpSockets) -> Result<(), Error> {
    let mut w = words(line);
    let Some(slot) = w.next() else { return Ok(()) };
    if slot.last() != Some(&b':') {
        return Err(Error::syntax("sl"));
    }
    for field in ["local_address", "rem_address"] {
        let address = w.next().ok_or(Error::missing(field))?;
        if !address.contains(&b':') {
            return Err(Error::syntax(field));
        }
    }
    let state = match w.next().ok_or(Error::missing("st"))? {
        [high, low] => hex_digit(*high)? << 4 | hex_digit(*low)?,
        _ => return Err(Error::syntax("st")),
    };
    if !(1..=MAX_STATE).contains(&state) {
        return Err(Error::new(ErrorKind::Range, "st"));
    }
    counts.total = counts.total.saturating_add(1);
    match state {
        ESTABLISHED => counts.established = counts.established.saturating_add(1),
        LISTEN => counts.listening = counts.listening.saturating_add(1),
        _ => {}
    }
    Ok(())
}

fn hex_digit(b: u8) -> Result<u8, Error> {
    match b {
        b'0'..=b'9' => Ok(b - b'0'),
        b'A'..=b'F' => Ok(b - b'A' + 10),
        b'a'..=b'f' => Ok(b - b'a' + 10),
        _ => Err(Error::syntax("st")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! header {
        () => {
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        };
    }
    const HEADER: &str = header!();

    #[test]
    fn counts_by_state() {
        let table = concat!(
            header!(),
            "   0: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000   117        0 20979 1 0000000000000000 100 0 0 10 0\n\
             \x20  1: 2A01A8C0:0016 0A01A8C0:D2F4 01 00000000:00000000 02:00089B4E 00000000     0        0 398211 4 0000000000000000 20 4 31 10 -1\n\
             \x20  2: 2A01A8C0:B6A2 077100CB:01BB 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000\n"
        );
        assert_eq!(
            parse(table.as_bytes()),
            Ok(TcpSockets { established: 1, listening: 1, total: 3 })
        );
        assert_eq!(parse(HEADER.as_bytes()), Ok(TcpSockets::default()), "no sockets");
        // Line by line gives the same counts.
        let mut lines = table.lines();
        assert_eq!(header(lines.next().unwrap().as_bytes()), Ok(()));
        let mut counts = TcpSockets::default();
        for line in lines {
            count_line(line.as_bytes(), &mut counts).unwrap();
        }
        assert_eq!(counts, TcpSockets { established: 1, listening: 1, total: 3 });
    }

    #[test]
    fn this_machines_tables() {
        // Captured from the development machine; expected counts re-derived
        // by plain splitting.
        for file in [
            &include_bytes!("../../tests/data/procfs/x86_64-debian12/net_tcp")[..],
            include_bytes!("../../tests/data/procfs/x86_64-debian12/net_tcp6"),
        ] {
            let text = core::str::from_utf8(file).unwrap();
            let states = || text.lines().skip(1).filter_map(|l| l.split_whitespace().nth(3));
            let expected = TcpSockets {
                established: states().filter(|s| *s == "01").count() as u32,
                listening: states().filter(|s| *s == "0A").count() as u32,
                total: states().count() as u32,
            };
            assert_eq!(parse(file), Ok(expected));
        }
    }

    #[test]
    fn rejects_what_is_not_a_tcp_table() {
        assert_eq!(parse(b""), Err(Error::new(ErrorKind::Empty, FIELD)));
        assert_eq!(parse(b"Inter-|   Receive\n"), Err(Error::syntax("tcp header")));
        let bad_state = concat!(header!(), "   0: 0100007F:0CEA 00000000:0000 ZZ 0\n");
        assert_eq!(parse(bad_state.as_bytes()), Err(Error::syntax("st")));
        let unknown_state = concat!(header!(), "   0: 0100007F:0CEA 00000000:0000 1F 0\n");
        assert_eq!(parse(unknown_state.as_bytes()), Err(Error::new(ErrorKind::Range, "st")));
        let short = concat!(header!(), "   0: 0100007F:0CEA\n");
        assert_eq!(parse(short.as_bytes()), Err(Error::missing("rem_address")));
    }
}
