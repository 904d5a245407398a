//! Generic Linux figures from /proc and the device tree.
//!
//! One submodule per /proc file, each holding the typed model of that file
//! and the capacities that bound it:
//! - [`stat`] for `/proc/stat` (CPU tick counters, context switches, boot time).
//! - [`meminfo`] for `/proc/meminfo` (kB figures, CMA included).
//! - [`load`] for `/proc/loadavg` and `/proc/uptime`.
//! - [`net`] for `/proc/net/dev` (per-interface counters).
//! - [`disk`] for `/proc/diskstats` (per-block-device counters).
//! - [`mounts`] for `/proc/mounts`.
//! - [`process`] for `/proc/<pid>/stat` and `/proc/<pid>/status`.
//! - [`cpuinfo`] for `/proc/cpuinfo`, the device-tree `model`, and the
//!   Raspberry Pi board revision code ([`pi_revision`]).
//!
//! Values keep the kernel's own integers: clock ticks (`USER_HZ`), kB,
//! sectors, milliseconds, pages. Decimals the kernel prints with a fixed
//! number of places (load averages, uptime) are kept as exact integers in
//! hundredths.

pub mod cpuinfo;
pub mod disk;
pub mod load;
pub mod meminfo;
pub mod mounts;
pub mod net;
pub mod pi_revision;
pub mod process;
pub mod stat;

pub use cpuinfo::{BoardModel, CpuInfo, MODEL_LEN};
pub use disk::{Discards, Disk, DiskStats, Flushes, MAX_DISKS};
pub use load::{LoadAvg, Uptime};
pub use meminfo::MemInfo;
pub use mounts::{MAX_MOUNTS, MOUNT_PATH_LEN, Mount, MountPath, Mounts};
pub use net::{
    Interface, MAX_INTERFACES, NetDev, TcpSockets, TcpStats, Wireless, WirelessInterface,
};
pub use pi_revision::{PiBoard, PiManufacturer, PiProcessor, PiRevision};
pub use process::{COMM_LEN, Comm, PidStat, PidStatus, ProcessState};
pub use stat::{CpuStat, CpuTicks, MAX_CPUS, Stat};
