//! `/proc/stat`: CPU tick counters and kernel activity.
//!
//! ```text
//! cpu  7380 0 1635 77575 196 0 43 100 0 0
//! cpu0 3485 0 722 39144 30 0 21 6 0 0
//! intr 118081 0 0 0 …
//! ctxt 192345
//! btime 1795316244
//! processes 4626
//! procs_running 3
//! procs_blocked 0
//! softirq 61556 0 9515 4 6683 6767 0 247 20331 0 18009
//! ```
//! CPU lines carry 4 to 10 columns depending on the kernel; missing ones
//! are 0. `intr` and `softirq` are checked to be numbers and dropped. Other
//! keys (`page`, `swap`, `disk_io` on 2.4 kernels) are counted and skipped.

use edgestat_core::linux::{CpuStat, CpuTicks, Stat};
use edgestat_core::name::push;

use super::{content_lines, count, end, next_number, next_u32, not_empty, number, set_once, words};
use crate::error::{Error, ErrorKind};

/// Parses a whole `/proc/stat`; the aggregate `cpu` line is required.
pub fn parse(input: &[u8]) -> Result<Stat, Error> {
    not_empty(input, "stat")?;
    let mut stat = Stat::default();
    let mut seen_cpu = false;
    for line in content_lines(input) {
        let mut w = words(line);
        let Some(key) = w.next() else { continue };
        match key {
            b"cpu" => {
                if seen_cpu {
                    return Err(Error::syntax("cpu"));
                }
                stat.cpu = ticks(w, "cpu")?;
                seen_cpu = true;
            }
            [b'c', b'p', b'u', id @ ..] if id.iter().all(u8::is_ascii_digit) => {
                let id = super::number_u32(id, "cpuN")?;
                push(&mut stat.cpus, CpuStat { id, ticks: ticks(w, "cpuN")? }, "cpus")?;
            }
            b"intr" => numbers_only(w, "intr")?,
            b"softirq" => numbers_only(w, "softirq")?,
            b"ctxt" => set_once(&mut stat.context_switches, single(w, "ctxt")?, "ctxt")?,
            b"btime" => set_once(&mut stat.boot_time_s, single(w, "btime")?, "btime")?,
            b"processes" => set_once(&mut stat.processes, single(w, "processes")?, "processes")?,
            b"procs_running" => {
                let n = single_u32(w, "procs_running")?;
                set_once(&mut stat.procs_running, n, "procs_running")?;
            }
            b"procs_blocked" => {
                let n = single_u32(w, "procs_blocked")?;
                set_once(&mut stat.procs_blocked, n, "procs_blocked")?;
            }
            _ => count(&mut stat.other_lines),
        }
    }
    if !seen_cpu {
        return Err(Error::missing("cpu"));
    }
    Ok(stat)
}

/// The 4 to 10 tick columns of a CPU line.
fn ticks<'a>(
    mut w: impl Iterator<Item = &'a [u8]>,
    field: &'static str,
) -> Result<CpuTicks, Error> {
    let mut columns = [0u64; 10];
    let mut present = 0usize;
    for slot in &mut columns {
        let Some(word) = w.next() else { break };
        *slot = number(word, field)?;
        present += 1;
    }
    if present < 4 {
        return Err(Error::missing(field));
    }
    end(w, field)?;
    let [user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice] = columns;
    Ok(CpuTicks { user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice })
}

/// A line of numbers whose values are not kept (`intr`, `softirq`).
fn numbers_only<'a>(w: impl Iterator<Item = &'a [u8]>, field: &'static str) -> Result<(), Error> {
    let mut any = false;
    for word in w {
        number(word, field)?;
        any = true;
    }
    if any { Ok(()) } else { Err(Error::new(ErrorKind::Missing, field)) }
}

/// Exactly one number after the key.
fn single<'a>(mut w: impl Iterator<Item = &'a [u8]>, field: &'static str) -> Result<u64, Error> {
    let n = next_number(&mut w, field)?;
    end(w, field)?;
    Ok(n)
}

/// Exactly one `u32` after the key.
fn single_u32<'a>(
    mut w: impl Iterator<Item = &'a [u8]>,
    field: &'static str,
) -> Result<u32, Error> {
    let n = next_u32(&mut w, field)?;
    end(w, field)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_kernels_print_fewer_columns() {
        // 2.4 prints 4 columns, 2.6.0 7, 2.6.11 8.
        let s = parse(b"cpu  10 20 30 40\ncpu0 1 2 3 4 5 6 7\ncpu1 1 2 3 4 5 6 7 8\n").unwrap();
        assert_eq!(s.cpu.idle, 40);
        assert_eq!(s.cpu.iowait, 0);
        assert_eq!(s.cpus[0].ticks.softirq, 7);
        assert_eq!(s.cpus[0].ticks.steal, 0);
        assert_eq!(s.cpus[1].ticks.steal, 8);
        assert_eq!(s.context_switches, None);
    }

    #[test]
    fn rejects_bad_cpu_lines() {
        assert_eq!(parse(b"cpu 1 2 3\n"), Err(Error::missing("cpu")));
        assert_eq!(
            parse(b"cpu 1 2 3 4 5 6 7 8 9 10 11\n"),
            Err(Error::new(ErrorKind::Trailing, "cpu"))
        );
        assert_eq!(parse(b"cpu 1 2 3 x\n"), Err(Error::syntax("cpu")));
        assert_eq!(parse(b"cpu0 1 2 3 4\n"), Err(Error::missing("cpu")));
        assert_eq!(parse(b"cpu 1 2 3 4\ncpu 1 2 3 4\n"), Err(Error::syntax("cpu")));
        assert_eq!(parse(b"cpu 1 2 3 4\nctxt 5 6\n"), Err(Error::new(ErrorKind::Trailing, "ctxt")));
        assert_eq!(parse(b"cpu 1 2 3 4\nintr 5 x\n"), Err(Error::syntax("intr")));
        assert_eq!(parse(b" \n"), Err(Error::new(ErrorKind::Empty, "stat")));
    }
}
