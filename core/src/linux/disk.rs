//! `/proc/diskstats`: per-block-device I/O counters.

use heapless::Vec;
use serde::Serialize;

use crate::Name;

/// Block devices (disks and partitions) in one `/proc/diskstats`.
///
/// A Jetson AGX Orin lists about 40: `loop0`–`loop7`, `mmcblk0` with its 15
/// partitions and 2 boot areas, one `zram` per CPU (12) and an NVMe disk. A
/// Raspberry Pi on a 4.x kernel adds `ram0`–`ram15`. 64 leaves headroom;
/// more is an explicit capacity error.
pub const MAX_DISKS: usize = 64;

/// Discard counters, printed by kernel 4.18 and later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Discards {
    /// Discards completed.
    pub completed: u64,
    /// Discards merged.
    pub merged: u64,
    /// Sectors discarded (512 bytes each).
    pub sectors: u64,
    /// Time spent discarding, in ms.
    pub time_ms: u64,
}

/// Flush counters, printed by kernel 5.5 and later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Flushes {
    /// Flush requests completed.
    pub completed: u64,
    /// Time spent flushing, in ms.
    pub time_ms: u64,
}

/// One `/proc/diskstats` line.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Disk {
    /// Device major number.
    pub major: u32,
    /// Device minor number.
    pub minor: u32,
    /// Device name (`mmcblk0p1`, `nvme0n1`, `zram0`; at most 31 bytes,
    /// the kernel's `DISK_NAME_LEN` - 1).
    pub name: Name,
    /// Reads completed.
    pub reads: u64,
    /// Adjacent reads merged.
    pub reads_merged: u64,
    /// Sectors read (512 bytes each, whatever the device's block size).
    pub sectors_read: u64,
    /// Time spent reading, in ms.
    pub read_time_ms: u64,
    /// Writes completed.
    pub writes: u64,
    /// Adjacent writes merged.
    pub writes_merged: u64,
    /// Sectors written (512 bytes each).
    pub sectors_written: u64,
    /// Time spent writing, in ms.
    pub write_time_ms: u64,
    /// I/Os in flight now.
    pub in_flight: u64,
    /// Time the device had I/O in flight, in ms (busy time).
    pub io_ticks_ms: u64,
    /// In-flight time weighted by the number of I/Os, in ms.
    pub time_in_queue_ms: u64,
    /// Discard counters; `None` before kernel 4.18.
    pub discards: Option<Discards>,
    /// Flush counters; `None` before kernel 5.5.
    pub flushes: Option<Flushes>,
}

/// One parsed `/proc/diskstats`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct DiskStats {
    /// Devices in file order.
    pub disks: Vec<Disk, MAX_DISKS>,
}

impl DiskStats {
    /// The device called `name`, if listed.
    pub fn get(&self, name: &str) -> Option<&Disk> {
        self.disks.iter().find(|d| d.name == name)
    }
}
