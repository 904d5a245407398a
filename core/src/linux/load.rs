//! `/proc/loadavg` and `/proc/uptime`.

use serde::Serialize;

/// `/proc/loadavg`: load averages and scheduler counts.
///
/// The kernel prints load averages with exactly two decimals, so they are
/// kept as exact integers in hundredths (`0.52` is `52`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct LoadAvg {
    /// Load average over 1 minute, in hundredths.
    pub load1_centi: u32,
    /// Load average over 5 minutes, in hundredths.
    pub load5_centi: u32,
    /// Load average over 15 minutes, in hundredths.
    pub load15_centi: u32,
    /// Runnable scheduling entities now.
    pub running: u32,
    /// Scheduling entities (threads) that exist now.
    pub total: u32,
    /// The most recently assigned PID.
    pub last_pid: u32,
}

/// `/proc/uptime`: seconds since boot and idle seconds, both printed with
/// two decimals and kept as exact centiseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Uptime {
    /// Time since boot, in centiseconds.
    pub uptime_cs: u64,
    /// Idle time summed over all CPUs, in centiseconds (so it can exceed
    /// `uptime_cs` on a multi-core machine).
    pub idle_cs: u64,
}
