//! `/proc/<pid>/stat`: one process's scheduler line.
//!
//! ```text
//! 4630 (cat) R 4622 4622 3640 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 43532 3133440 382 18446744073709551615 …
//! ```
//! `pid (comm) state` and then 41 to 49 numbers depending on the kernel.
//! `comm` is unescaped and may hold spaces, `(` and `)`, so it ends at the
//! *last* `)` of the line. Every number after it must be an integer (some
//! are signed); the ones [`PidStat`] keeps are fields 4 (ppid), 14 (utime),
//! 15 (stime), 20 (num_threads), 22 (starttime), 23 (vsize) and 24 (rss).

use edgestat_core::linux::{PidStat, ProcessState};

use super::{lossy, number, number_u32, words};
use crate::error::{Error, ErrorKind};
use crate::lex::trim;

/// The last field that [`PidStat`] needs (`rss`), by `proc(5)` numbering.
const LAST_NEEDED: usize = 24;

/// Parses one `/proc/<pid>/stat`.
pub fn parse(input: &[u8]) -> Result<PidStat, Error> {
    let line = trim(input);
    if line.is_empty() {
        return Err(Error::new(ErrorKind::Empty, "stat"));
    }
    let open = line.iter().position(|&b| b == b'(').ok_or(Error::syntax("comm"))?;
    let close = line.iter().rposition(|&b| b == b')').ok_or(Error::syntax("comm"))?;
    if close < open {
        return Err(Error::syntax("comm"));
    }
    let pid_text = line.get(..open).ok_or(Error::syntax("pid"))?;
    let pid = match pid_text.strip_suffix(b" ") {
        Some(digits) => number_u32(digits, "pid")?,
        None => return Err(Error::syntax("pid")),
    };
    let comm = lossy(line.get(open + 1..close).ok_or(Error::syntax("comm"))?, "comm")?;
    let after = line.get(close + 1..).unwrap_or_default();
    if !after.is_empty() && !after.starts_with(b" ") {
        return Err(Error::syntax("comm"));
    }
    let mut w = words(after);
    let state = match w.next() {
        Some(&[letter]) => ProcessState::from_letter(letter).ok_or(Error::syntax("state"))?,
        Some(_) => return Err(Error::syntax("state")),
        None => return Err(Error::missing("state")),
    };
    let mut stat = PidStat { pid, comm, state, ..PidStat::default() };
    let mut field = 3;
    for word in w {
        field += 1;
        match field {
            4 => stat.ppid = number_u32(word, "ppid")?,
            14 => stat.utime_ticks = number(word, "utime")?,
            15 => stat.stime_ticks = number(word, "stime")?,
            20 => stat.num_threads = number_u32(word, "num_threads")?,
            22 => stat.starttime_ticks = number(word, "starttime")?,
            23 => stat.vsize_bytes = number(word, "vsize")?,
            24 => stat.rss_pages = number(word, "rss")?,
            _ => integer(word)?,
        }
    }
    if field < LAST_NEEDED {
        return Err(Error::missing("rss"));
    }
    Ok(stat)
}

/// A field that is not kept must still be an optionally signed integer.
fn integer(word: &[u8]) -> Result<(), Error> {
    let digits = word.strip_prefix(b"-").unwrap_or(word);
    if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) {
        Ok(())
    } else {
        Err(Error::syntax("stat"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAIL: &str =
        "1 1 1 0 -1 4194560 30 0 0 0 7 3 0 0 20 0 2 0 1500 8192000 300 18446744073709551615";

    #[test]
    fn comm_ends_at_last_paren() {
        let mut buf = heapless::String::<256>::new();
        core::fmt::Write::write_fmt(&mut buf, format_args!("77 (a) (b c)) S {TAIL}\n")).unwrap();
        let s = parse(buf.as_bytes()).unwrap();
        assert_eq!(s.pid, 77);
        assert_eq!(s.comm, "a) (b c)");
        assert_eq!(s.state, ProcessState::Sleeping);
        assert_eq!((s.ppid, s.utime_ticks, s.stime_ticks), (1, 7, 3));
        assert_eq!(
            (s.num_threads, s.starttime_ticks, s.vsize_bytes, s.rss_pages),
            (2, 1500, 8_192_000, 300)
        );
    }

    #[test]
    fn comm_may_hold_a_newline() {
        let mut buf = heapless::String::<256>::new();
        core::fmt::Write::write_fmt(&mut buf, format_args!("78 (a\nb) Z {TAIL}\n")).unwrap();
        let s = parse(buf.as_bytes()).unwrap();
        assert_eq!((s.comm.as_str(), s.state), ("a\nb", ProcessState::Zombie));
    }

    #[test]
    fn rejects_malformed() {
        assert_eq!(parse(b"77 (a) S 1 2 3\n"), Err(Error::missing("rss")));
        assert_eq!(parse(b"77 a S 1\n"), Err(Error::syntax("comm")));
        assert_eq!(parse(b"77 (a) Q 1\n"), Err(Error::syntax("state")));
        assert_eq!(parse(b"77 (a)\n"), Err(Error::missing("state")));
        assert_eq!(parse(b"77 (a) S 1 x\n"), Err(Error::syntax("stat")));
        assert_eq!(parse(b"x7 (a) S 1\n"), Err(Error::syntax("pid")));
        assert_eq!(parse(b"77(a) S 1\n"), Err(Error::syntax("pid")));
        assert_eq!(parse(b") 77 (\n"), Err(Error::syntax("comm")));
    }
}
