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
//! | [`tcp_sockets`] | `/proc/net/tcp`, `/proc/net/tcp6` |

use edgestat_core::linux::{DiskStats, LoadAvg, MemInfo, Mounts, NetDev, Stat, TcpSockets, Uptime};
use edgestat_core::sysfs::ReadFault;
use edgestat_parsers::procfs;

use super::{Fault, Roots, parse_file};

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

/// TCP sockets by state over IPv4 and IPv6. A host without IPv6 has no
/// `/proc/net/tcp6`; that is not a fault.
pub fn tcp_sockets(roots: &Roots, buf: &mut [u8]) -> Result<TcpSockets, Fault> {
    let v4 = parse_file(&roots.proc("net/tcp"), buf, procfs::net_tcp::parse)?;
    match parse_file(&roots.proc("net/tcp6"), buf, procfs::net_tcp::parse) {
        Ok(v6) => Ok(v4.plus(v6)),
        Err(Fault::Read { fault: ReadFault::Missing, .. }) => Ok(v4),
        Err(fault) => Err(fault),
    }
}
