//! Values computed from two readings or from many rows: CPU usage, network
//! and disk rates, and disk totals. Pure functions, tested on their own.

use std::time::Duration;

use edgestat_core::linux::{DiskStats, NetDev, Stat};

use crate::model::{Core, Cpu, DiskIo};

/// CPU usage between two `/proc/stat` readings; each CPU matched by id (a
/// CPU that went offline or came online in between has no usage).
pub fn cpu_use(before: Option<&Stat>, now: &Stat) -> Cpu {
    let total_per_mille = before.and_then(|b| now.cpu.busy_per_mille_since(&b.cpu));
    let cores = now
        .cpus
        .iter()
        .map(|cpu| Core {
            id: cpu.id,
            per_mille: before
                .and_then(|b| b.cpus.iter().find(|c| c.id == cpu.id))
                .and_then(|c| cpu.ticks.busy_per_mille_since(&c.ticks)),
            freq_khz: None,
            online: true,
        })
        .collect();
    Cpu { total_per_mille, cores }
}

/// `(now - before) / elapsed`, per second; `None` when a counter went
/// backwards (a reset or a wrapped 32-bit counter) or no time passed.
pub fn per_second(before: u64, now: u64, elapsed: Duration) -> Option<u64> {
    let delta = now.checked_sub(before)?;
    let micros = elapsed.as_micros();
    if micros == 0 {
        return None;
    }
    u64::try_from(u128::from(delta) * 1_000_000 / micros).ok()
}

/// Receive and transmit byte rates for each interface of `now`, matched by
/// name in `before`.
pub fn net_rates(before: &NetDev, now: &NetDev, elapsed: Duration) -> Vec<Option<(u64, u64)>> {
    now.interfaces
        .iter()
        .map(|i| {
            let b = before.get(&i.name)?;
            Some((
                per_second(b.rx_bytes, i.rx_bytes, elapsed)?,
                per_second(b.tx_bytes, i.tx_bytes, elapsed)?,
            ))
        })
        .collect()
}

/// Totals over whole disks: partitions (`sda1`, `mmcblk0p2`, `nvme0n1p1`,
/// whose disk is also listed), `loop`, `ram`, `zram`, device-mapper and md
/// devices (which would count their disks' I/O twice) are left out.
pub fn disk_io(stats: &DiskStats) -> DiskIo {
    let names = || stats.disks.iter().map(|d| d.name.as_str());
    let mut io = DiskIo::default();
    for disk in stats.disks.iter().filter(|d| is_whole_disk(&d.name, names())) {
        io.read_count += disk.reads;
        io.write_count += disk.writes;
        io.read_bytes += disk.sectors_read.saturating_mul(512);
        io.write_bytes += disk.sectors_written.saturating_mul(512);
        io.read_time_ms += disk.read_time_ms;
        io.write_time_ms += disk.write_time_ms;
    }
    io
}

fn is_whole_disk<'a>(name: &str, mut all: impl Iterator<Item = &'a str>) -> bool {
    // md RAID devices repeat their members' I/O, as device-mapper does.
    const VIRTUAL: [&str; 5] = ["loop", "ram", "zram", "dm-", "md"];
    if VIRTUAL.iter().any(|p| name.starts_with(p)) {
        return false;
    }
    // A partition is its disk's name plus digits, with a `p` when the
    // disk's name ends in a digit (mmcblk0p1, nvme0n1p1).
    !all.any(|disk| {
        name.len() > disk.len()
            && name.starts_with(disk)
            && name.get(disk.len()..).is_some_and(|rest| {
                let digits = rest.strip_prefix('p').unwrap_or(rest);
                !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use edgestat_parsers::procfs;

    const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../parsers/tests/data/procfs");

    fn file(path: &str) -> Vec<u8> {
        std::fs::read(format!("{DATA}/{path}")).unwrap()
    }

    #[test]
    fn whole_disks_only() {
        let names =
            ["loop0", "mmcblk0", "mmcblk0p1", "mmcblk0p2", "sda", "sda1", "nvme0n1", "nvme0n1p1"];
        let whole: Vec<_> =
            names.iter().filter(|n| is_whole_disk(n, names.iter().copied())).collect();
        assert_eq!(whole, [&"mmcblk0", &"sda", &"nvme0n1"]);
    }

    #[test]
    fn disk_totals_of_the_pi_capture() {
        let stats = procfs::diskstats::parse(&file("rpi4-bookworm/diskstats")).unwrap();
        let io = disk_io(&stats);
        // Expected values re-derived from the file: the whole disks' columns.
        let text = String::from_utf8(file("rpi4-bookworm/diskstats")).unwrap();
        let all: Vec<Vec<&str>> = text.lines().map(|l| l.split_whitespace().collect()).collect();
        let names: Vec<&str> = all.iter().map(|c| c[2]).collect();
        let whole: Vec<&Vec<&str>> =
            all.iter().filter(|c| is_whole_disk(c[2], names.iter().copied())).collect();
        assert!(!whole.is_empty());
        let sum = |col: usize| whole.iter().map(|c| c[col].parse::<u64>().unwrap()).sum::<u64>();
        assert_eq!(io.read_count, sum(3));
        assert_eq!(io.read_bytes, sum(5) * 512);
        assert_eq!(io.write_count, sum(7));
        assert_eq!(io.write_bytes, sum(9) * 512);
    }

    #[test]
    fn cpu_usage_matches_cpus_by_id() {
        let stat = procfs::stat::parse(&file("rpi4-bookworm/stat")).unwrap();
        let first = cpu_use(None, &stat);
        assert_eq!(first.total_per_mille, None);
        assert_eq!(first.cores.len(), stat.cpus.len());
        let mut later = stat.clone();
        for cpu in &mut later.cpus {
            cpu.ticks.user += 30;
            cpu.ticks.idle += 70;
        }
        later.cpu.user += 30 * 4;
        later.cpu.idle += 70 * 4;
        let usage = cpu_use(Some(&stat), &later);
        assert_eq!(usage.total_per_mille, Some(300));
        assert!(usage.cores.iter().all(|c| c.per_mille == Some(300)));
    }

    #[test]
    fn rates_per_second() {
        assert_eq!(per_second(1000, 3000, Duration::from_millis(500)), Some(4000));
        assert_eq!(per_second(3000, 1000, Duration::from_secs(1)), None);
        assert_eq!(per_second(0, 1, Duration::ZERO), None);
    }
}
