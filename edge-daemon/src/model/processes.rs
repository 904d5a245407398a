//! The process table: one scan of `/proc/<pid>`.

use edgestat_core::linux::Comm;

/// One process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    /// Process id.
    pub pid: u32,
    /// Its name (`comm`, at most 15 bytes as the kernel keeps it).
    pub name: Comm,
    /// The real user's name, or its uid as text when `/etc/passwd` lacks it.
    pub user: String,
    /// CPU use since the previous scan, in thousandths of one CPU (a
    /// process with two busy threads reads 2000); `None` on its first scan.
    pub cpu_per_mille: Option<u32>,
    /// Resident memory, kB (0 for kernel threads).
    pub rss_kb: u64,
    /// Seconds since it started, in centiseconds.
    pub running_cs: u64,
}

/// The latest scan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProcessTable {
    /// The processes, in pid order.
    pub processes: Vec<Process>,
}
