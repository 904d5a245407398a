//! The /proc files read on every sample, each through its pure parser.
//!
//! | function | file |
//! |---|---|
//! | [`stat`] | `/proc/stat` |
//! | [`meminfo`] | `/proc/meminfo` |
//! | [`loadavg`] | `/proc/loadavg` |
//! | [`uptime`] | `/proc/uptime` |
//! | [`net_dev`] | `/proc/net/dev` |
//! | [`diskstats`] | `/proc/diskstats` |
//! | [`mounts`] | `/proc/mounts` |
//! | [`tcp_stats`] | `/proc/net/snmp` |
//! | [`wireless`] | `/proc/net/wireless` |

use edgestat_core::linux::{
    DiskStats, LoadAvg, MemInfo, Mounts, NetDev, Stat, TcpStats, Uptime, Wireless,
};
use edgestat_parsers::procfs;

use super::{Roots, parse_file};
use crate::model::Fault;

/// `/proc/stat`: CPU tick counters.
pub fn stat(roots: &Roots, buf: &mut [u8]) -> Result<Stat, Fault> {
    parse_file(&roots.proc("stat"), buf, procfs::stat::parse)
}

/// `/proc/meminfo`.
pub fn meminfo(roots: &Roots, buf: &mut [u8]) -> Result<MemInfo, Fault> {
    parse_file(&roots.proc("meminfo"), buf, procfs::meminfo::parse)
}

/// `/proc/loadavg`.
pub fn loadavg(roots: &Roots, buf: &mut [u8]) -> Result<LoadAvg, Fault> {
    parse_file(&roots.proc("loadavg"), buf, procfs::loadavg::parse)
}

/// `/proc/uptime`.
pub fn uptime(roots: &Roots, buf: &mut [u8]) -> Result<Uptime, Fault> {
    parse_file(&roots.proc("uptime"), buf, procfs::uptime::parse)
}

/// `/proc/net/dev`: per-interface counters.
pub fn net_dev(roots: &Roots, buf: &mut [u8]) -> Result<NetDev, Fault> {
    parse_file(&roots.proc("net/dev"), buf, procfs::net_dev::parse)
}

/// `/proc/diskstats`: per-device I/O counters.
pub fn diskstats(roots: &Roots, buf: &mut [u8]) -> Result<DiskStats, Fault> {
    parse_file(&roots.proc("diskstats"), buf, procfs::diskstats::parse)
}

/// `/proc/mounts`.
pub fn mounts(roots: &Roots, buf: &mut [u8]) -> Result<Mounts, Fault> {
    parse_file(&roots.proc("mounts"), buf, procfs::mounts::parse)
}

/// `/proc/net/snmp`: the TCP counters, `CurrEstab` among them. (Walking
/// `/proc/net/tcp` instead cost 4–6 ms per read on a machine with a large
/// socket table, most of the sampler's CPU; this file costs microseconds.)
pub fn tcp_stats(roots: &Roots, buf: &mut [u8]) -> Result<TcpStats, Fault> {
    parse_file(&roots.proc("net/snmp"), buf, procfs::net_snmp::parse)
}

/// The daemon's own resident memory, kB: `VmRSS` of the real
/// `/proc/self/status` (about this process, so never under `--procfs`).
pub fn own_rss_kb(buf: &mut [u8]) -> Option<u64> {
    parse_file(std::path::Path::new("/proc/self/status"), buf, procfs::pid_status::parse)
        .ok()
        .and_then(|status| status.vm_rss_kb)
}

/// `/proc/net/wireless`; `None` without wireless extensions (no Wi-Fi, or
/// a kernel without them), which is not a fault.
pub fn wireless(roots: &Roots, buf: &mut [u8]) -> Result<Option<Wireless>, Fault> {
    match parse_file(&roots.proc("net/wireless"), buf, procfs::net_wireless::parse) {
        Ok(wireless) => Ok(Some(wireless)),
        Err(Fault::Read { fault: edgestat_core::sysfs::ReadFault::Missing, .. }) => Ok(None),
        Err(fault) => Err(fault),
    }
}
