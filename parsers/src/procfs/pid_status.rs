//! `/proc/<pid>/status`: one process, one `Key:\tvalue` per line.
//!
//! ```text
//! Name:       cat
//! State:      R (running)
//! Pid:        4771
//! PPid:       4767
//! Uid:        0       0       0       0
//! VmRSS:          1708 kB
//! Threads:    1
//! ```
//! (Keys end in `:\t`; the tabs are shown here as spaces.)
//! `Name`, `State`, `Pid`, `PPid`, `Uid` and `Threads` are required; the
//! `Vm*` lines are absent for kernel threads. Other keys are skipped.

use edgestat_core::linux::{PidStatus, ProcessState};

use super::{end, kb_value, lossy, next_u32, set_once, split_once, words};
use crate::error::{Error, ErrorKind};
use crate::lex::{lines, trim};

/// Parses one `/proc/<pid>/status`.
pub fn parse(input: &[u8]) -> Result<PidStatus, Error> {
    super::not_empty(input, "status")?;
    let mut name = None;
    let mut state = None;
    let (mut pid, mut ppid, mut uid, mut threads) = (None, None, None, None);
    let mut s = PidStatus::default();
    for line in lines(input) {
        if trim(line).is_empty() {
            continue;
        }
        let (key, value) = split_once(line, b':').ok_or(Error::syntax("status"))?;
        match key {
            // The name is kept exactly as printed after the tab: it may end
            // in spaces.
            b"Name" => {
                let raw = value.strip_prefix(b"\t").unwrap_or(value);
                set_once(&mut name, lossy(raw, "Name")?, "Name")?;
            }
            b"State" => set_once(&mut state, state_letter(trim(value))?, "State")?,
            b"Pid" => set_once(&mut pid, single_u32(value, "Pid")?, "Pid")?,
            b"PPid" => set_once(&mut ppid, single_u32(value, "PPid")?, "PPid")?,
            b"Threads" => set_once(&mut threads, single_u32(value, "Threads")?, "Threads")?,
            b"Uid" => {
                let mut w = words(value);
                let real = next_u32(&mut w, "Uid")?;
                for _ in 0..3 {
                    next_u32(&mut w, "Uid")?;
                }
                end(w, "Uid")?;
                set_once(&mut uid, real, "Uid")?;
            }
            b"VmPeak" => set_once(&mut s.vm_peak_kb, kb_value(value, "VmPeak")?, "VmPeak")?,
            b"VmSize" => set_once(&mut s.vm_size_kb, kb_value(value, "VmSize")?, "VmSize")?,
            b"VmHWM" => set_once(&mut s.vm_hwm_kb, kb_value(value, "VmHWM")?, "VmHWM")?,
            b"VmRSS" => set_once(&mut s.vm_rss_kb, kb_value(value, "VmRSS")?, "VmRSS")?,
            b"" => return Err(Error::syntax("status")),
            _ => {}
        }
    }
    s.name = name.ok_or(Error::missing("Name"))?;
    s.state = state.ok_or(Error::missing("State"))?;
    s.pid = pid.ok_or(Error::missing("Pid"))?;
    s.ppid = ppid.ok_or(Error::missing("PPid"))?;
    s.uid = uid.ok_or(Error::missing("Uid"))?;
    s.threads = threads.ok_or(Error::missing("Threads"))?;
    Ok(s)
}

/// `R (running)`: the letter, then an optional parenthesised description.
fn state_letter(value: &[u8]) -> Result<ProcessState, Error> {
    let (&letter, rest) = value.split_first().ok_or(Error::missing("State"))?;
    let rest = trim(rest);
    let described = rest.is_empty() || (rest.starts_with(b"(") && rest.ends_with(b")"));
    if !described {
        return Err(Error::new(ErrorKind::Trailing, "State"));
    }
    ProcessState::from_letter(letter).ok_or(Error::syntax("State"))
}

/// Exactly one `u32`.
fn single_u32(value: &[u8], field: &'static str) -> Result<u32, Error> {
    let mut w = words(value);
    let n = next_u32(&mut w, field)?;
    end(w, field)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KTHREAD: &[u8] =
        b"Name:\tkworker/u8:2-events_unbound\nState:\tI (idle)\nPid:\t9\nPPid:\t2\nUid:\t0\t0\t0\t0\nThreads:\t1\n";

    #[test]
    fn kernel_thread_has_no_vm_lines() {
        let s = parse(KTHREAD).unwrap();
        assert_eq!(s.name, "kworker/u8:2-events_unbound");
        assert_eq!(s.state, ProcessState::Idle);
        assert_eq!((s.pid, s.ppid, s.uid, s.threads), (9, 2, 0, 1));
        assert_eq!(s.vm_rss_kb, None);
    }

    #[test]
    fn name_keeps_trailing_space() {
        let s = parse(b"Name:\tmy prog \nState:\tS (sleeping)\nPid:\t1\nPPid:\t0\nUid:\t1000\t1000\t1000\t1000\nThreads:\t3\n").unwrap();
        assert_eq!(s.name, "my prog ");
        assert_eq!(s.uid, 1000);
    }

    #[test]
    fn rejects_malformed() {
        assert_eq!(parse(b"Name:\tx\n"), Err(Error::missing("State")));
        assert_eq!(parse(b"Name:\tx\nState:\tQ (odd)\n"), Err(Error::syntax("State")));
        assert_eq!(parse(b"State:\tR running\n"), Err(Error::new(ErrorKind::Trailing, "State")));
        assert_eq!(parse(b"Uid:\t0\t0\t0\n"), Err(Error::missing("Uid")));
        assert_eq!(parse(b"Uid:\t0\t0\t0\t0\t0\n"), Err(Error::new(ErrorKind::Trailing, "Uid")));
        assert_eq!(parse(b"VmRSS:\t12 MB\n"), Err(Error::syntax("VmRSS")));
        assert_eq!(parse(b"Pid 1\n"), Err(Error::syntax("status")));
    }
}
