//! `/proc/diskstats`: per-block-device I/O counters.
//!
//! ```text
//!  254       0 vda 7949 3382 3226874 6107 1264 9335 762912 2177 0 2444 8920 3666 80 100752 528 30 106
//! ```
//! `major minor name` and 11 counters; kernel 4.18 adds 4 discard counters
//! (15) and 5.5 two flush counters (17). Any other count is an error.

use edgestat_core::linux::{Discards, Disk, DiskStats, Flushes};
use edgestat_core::name::push;

use super::{content_lines, end, next_u32, not_empty, number, words};
use crate::error::{Error, ErrorKind};
use crate::lex::name;

/// Parses a whole `/proc/diskstats`.
pub fn parse(input: &[u8]) -> Result<DiskStats, Error> {
    not_empty(input, "diskstats")?;
    let mut stats = DiskStats::default();
    for row in content_lines(input) {
        push(&mut stats.disks, disk(row)?, "disks")?;
    }
    Ok(stats)
}

/// One device line.
fn disk(row: &[u8]) -> Result<Disk, Error> {
    let mut w = words(row);
    let major = next_u32(&mut w, "major")?;
    let minor = next_u32(&mut w, "minor")?;
    let label = w.next().ok_or(Error::missing("disk"))?;
    let mut v = [0u64; 17];
    let mut present = 0usize;
    for slot in &mut v {
        let Some(word) = w.next() else { break };
        *slot = number(word, "diskstats")?;
        present += 1;
    }
    end(w, "diskstats")?;
    let [r, rm, rs, rt, wr, wm, ws, wt, inflight, ticks, queue, dc, dm, ds, dt, fc, ft] = v;
    match present {
        11 | 15 | 17 => {}
        0..=10 => return Err(Error::missing("diskstats")),
        _ => return Err(Error::new(ErrorKind::Syntax, "diskstats")),
    }
    Ok(Disk {
        major,
        minor,
        name: name(label, "disk")?,
        reads: r,
        reads_merged: rm,
        sectors_read: rs,
        read_time_ms: rt,
        writes: wr,
        writes_merged: wm,
        sectors_written: ws,
        write_time_ms: wt,
        in_flight: inflight,
        io_ticks_ms: ticks,
        time_in_queue_ms: queue,
        discards: (present >= 15).then_some(Discards {
            completed: dc,
            merged: dm,
            sectors: ds,
            time_ms: dt,
        }),
        flushes: (present >= 17).then_some(Flushes { completed: fc, time_ms: ft }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_counts() {
        let eleven = parse(b"179 0 mmcblk0 1 2 3 4 5 6 7 8 9 10 11\n").unwrap();
        assert_eq!(eleven.disks[0].time_in_queue_ms, 11);
        assert_eq!(eleven.disks[0].discards, None);
        let fifteen = parse(b"179 0 mmcblk0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n").unwrap();
        assert_eq!(
            fifteen.disks[0].discards,
            Some(Discards { completed: 12, merged: 13, sectors: 14, time_ms: 15 })
        );
        assert_eq!(fifteen.disks[0].flushes, None);
        assert_eq!(
            parse(b"179 0 mmcblk0 1 2 3 4 5 6 7 8 9 10\n"),
            Err(Error::missing("diskstats"))
        );
        assert_eq!(
            parse(b"179 0 mmcblk0 1 2 3 4 5 6 7 8 9 10 11 12\n"),
            Err(Error::syntax("diskstats"))
        );
        assert_eq!(
            parse(b"179 0 mmcblk0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18\n"),
            Err(Error::new(ErrorKind::Trailing, "diskstats"))
        );
        assert_eq!(parse(b"179 x mmcblk0 1 2 3 4 5 6 7 8 9 10 11\n"), Err(Error::syntax("minor")));
        assert_eq!(parse(b"179 0\n"), Err(Error::missing("disk")));
    }
}
