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

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use edgestat_core::linux::{DiskStats, LoadAvg, MemInfo, Mounts, NetDev, Stat, TcpSockets, Uptime};
use edgestat_core::sysfs::ReadFault;
use edgestat_parsers::procfs;
use edgestat_parsers::{Error as ParseError, ErrorKind};

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

/// Longest `/proc/net/tcp6` line: 150 bytes on every kernel seen; a longer
/// one is a parse error, not a reason to grow a buffer.
const MAX_TCP_LINE: usize = 512;

/// TCP sockets by state over IPv4 and IPv6. A host without IPv6 has no
/// `/proc/net/tcp6`; that is not a fault. The tables are read line by line
/// (a busy host lists thousands of sockets, far more than [`READ_BUF`]).
///
/// [`READ_BUF`]: super::READ_BUF
pub fn tcp_sockets(roots: &Roots) -> Result<TcpSockets, Fault> {
    let mut counts = TcpSockets::default();
    for (file, required) in [("net/tcp", true), ("net/tcp6", false)] {
        match count_tcp(&roots.proc(file), &mut counts) {
            Err(Fault::Read { fault: ReadFault::Missing, .. }) if !required => {}
            other => other?,
        }
    }
    Ok(counts)
}

fn count_tcp(path: &Path, counts: &mut TcpSockets) -> Result<(), Fault> {
    let read_fault = |e: std::io::Error| {
        Fault::read(path, e.raw_os_error().map_or(ReadFault::Other, ReadFault::from_errno))
    };
    let parse_fault = |error| Fault::Parse { path: path.to_path_buf(), error };
    let file = std::fs::File::open(path).map_err(read_fault)?;
    let mut reader = BufReader::with_capacity(8 * 1024, file);
    let mut line = Vec::with_capacity(MAX_TCP_LINE);
    let mut first = true;
    loop {
        line.clear();
        let n = (&mut reader)
            .take(MAX_TCP_LINE as u64)
            .read_until(b'\n', &mut line)
            .map_err(read_fault)?;
        if n == 0 {
            return if first {
                Err(parse_fault(ParseError::missing("tcp header")))
            } else {
                Ok(())
            };
        }
        if line.last() != Some(&b'\n') && n == MAX_TCP_LINE {
            return Err(parse_fault(ParseError::new(ErrorKind::Capacity, "tcp line")));
        }
        if first {
            procfs::net_tcp::header(&line).map_err(parse_fault)?;
            first = false;
        } else {
            procfs::net_tcp::count_line(&line, counts).map_err(parse_fault)?;
        }
    }
}
