//! `/proc/stat`: CPU time counters and kernel activity since boot.

use heapless::Vec;
use serde::Serialize;

/// CPUs with their own `cpuN` line in one `/proc/stat`.
///
/// The largest boards we target have 14 cores (Jetson Thor T5000) and 12
/// (AGX Orin); 128 also covers an Ampere Altra Q80 (80 cores) or a
/// 64-core/128-thread x86 server running the daemon. Offline CPUs print no
/// line, so this bounds the online CPUs.
pub const MAX_CPUS: usize = 128;

/// Time spent by one CPU (or all CPUs together) in each state, in clock
/// ticks of `USER_HZ` (100 per second on every Linux architecture).
///
/// Kernels before 2.6.0 print 4 columns, 2.6.11 adds `steal`, 2.6.24
/// `guest` and 2.6.33 `guest_nice`: columns the kernel did not print are 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct CpuTicks {
    /// Normal processes in user mode.
    pub user: u64,
    /// Niced processes in user mode.
    pub nice: u64,
    /// Kernel mode.
    pub system: u64,
    /// Idle.
    pub idle: u64,
    /// Idle while I/O was outstanding.
    pub iowait: u64,
    /// Servicing hardware interrupts.
    pub irq: u64,
    /// Servicing softirqs.
    pub softirq: u64,
    /// Stolen by the hypervisor.
    pub steal: u64,
    /// Running a guest (already counted in `user`).
    pub guest: u64,
    /// Running a niced guest (already counted in `nice`).
    pub guest_nice: u64,
}

impl CpuTicks {
    /// All ticks: every state but `guest` and `guest_nice`, which the kernel
    /// already counts in `user` and `nice`. Saturates instead of wrapping.
    pub fn total(&self) -> u64 {
        [
            self.user,
            self.nice,
            self.system,
            self.idle,
            self.iowait,
            self.irq,
            self.softirq,
            self.steal,
        ]
        .iter()
        .fold(0u64, |sum, &v| sum.saturating_add(v))
    }

    /// Ticks spent idle, waiting for I/O included.
    pub fn idle_total(&self) -> u64 {
        self.idle.saturating_add(self.iowait)
    }

    /// Share of the time between `earlier` and `self` that the CPU was busy,
    /// in per mille (0–1000), as `top` computes it: 1 − Δidle / Δtotal.
    ///
    /// `None` when no tick elapsed (two readings within one tick) or when a
    /// counter went backwards, as it does when a CPU goes offline and comes
    /// back: a usage from such a pair would be noise, not data.
    pub fn busy_per_mille_since(&self, earlier: &CpuTicks) -> Option<u16> {
        let total = self.total().checked_sub(earlier.total())?;
        let idle = self.idle_total().checked_sub(earlier.idle_total())?;
        if total == 0 || idle > total {
            return None;
        }
        let busy = (total - idle).checked_mul(1000)? / total;
        u16::try_from(busy).ok()
    }
}

/// One `cpuN` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct CpuStat {
    /// The `N` of `cpuN`; ids have gaps when CPUs are offline.
    pub id: u32,
    /// The CPU's counters.
    pub ticks: CpuTicks,
}

/// One parsed `/proc/stat`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Stat {
    /// The aggregate `cpu` line: all CPUs together.
    pub cpu: CpuTicks,
    /// The `cpuN` lines, in file order.
    pub cpus: Vec<CpuStat, MAX_CPUS>,
    /// `ctxt`: context switches since boot.
    pub context_switches: Option<u64>,
    /// `btime`: boot time in seconds since the Unix epoch.
    pub boot_time_s: Option<u64>,
    /// `processes`: processes and threads created (forks) since boot.
    pub processes: Option<u64>,
    /// `procs_running`: runnable threads now.
    pub procs_running: Option<u32>,
    /// `procs_blocked`: threads blocked on I/O now.
    pub procs_blocked: Option<u32>,
    /// Lines with another key (`page`, `swap` on 2.4 kernels, …), ignored.
    pub other_lines: u16,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticks(user: u64, system: u64, idle: u64, iowait: u64) -> CpuTicks {
        CpuTicks { user, system, idle, iowait, ..CpuTicks::default() }
    }

    #[test]
    fn busy_share_between_two_readings() {
        let before = ticks(100, 50, 800, 50);
        // 100 ticks later: 30 user, 10 system, 55 idle, 5 iowait -> 40% busy.
        let after = ticks(130, 60, 855, 55);
        assert_eq!(after.busy_per_mille_since(&before), Some(400));
        assert_eq!(before.busy_per_mille_since(&before), None, "no tick elapsed");
        assert_eq!(before.busy_per_mille_since(&after), None, "counters went backwards");
        // Fully busy and fully idle.
        assert_eq!(ticks(200, 0, 800, 50).busy_per_mille_since(&before), Some(1000));
        assert_eq!(ticks(100, 50, 900, 50).busy_per_mille_since(&before), Some(0));
    }
}
