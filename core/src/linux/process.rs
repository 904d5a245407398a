//! `/proc/<pid>/stat` and `/proc/<pid>/status`: one process.

use serde::Serialize;

/// Longest process name kept, in bytes.
///
/// A task's `comm` is at most 15 bytes (`TASK_COMM_LEN` - 1), but kernel
/// 5.x and later print workqueue workers as `kworker/u8:2-events_unbound`,
/// built in a 64-byte buffer (`fs/proc/array.c`); bytes that are not UTF-8
/// become U+FFFD (3 bytes), so 15 such bytes still fit.
pub const COMM_LEN: usize = 64;

/// A process name as the kernel prints it.
pub type Comm = heapless::String<COMM_LEN>;

/// A task state, as the one letter of `/proc/<pid>/stat` and `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcessState {
    /// `R`: running or runnable.
    #[default]
    Running,
    /// `S`: interruptible sleep.
    Sleeping,
    /// `D`: uninterruptible (disk) sleep.
    DiskSleep,
    /// `Z`: zombie.
    Zombie,
    /// `T`: stopped by a signal.
    Stopped,
    /// `t`: stopped by a tracer.
    TracingStop,
    /// `X` (or `x` on 2.6.33–3.13): dead.
    Dead,
    /// `K`: wakekill (2.6.33–3.13).
    Wakekill,
    /// `W`: waking (2.6.33–3.13), paging before 2.6.0.
    Waking,
    /// `P`: parked (3.9–3.13).
    Parked,
    /// `I`: idle kernel thread (4.14 and later).
    Idle,
}

impl ProcessState {
    /// The state for its letter, or `None` for a letter no kernel prints.
    pub fn from_letter(letter: u8) -> Option<Self> {
        Some(match letter {
            b'R' => Self::Running,
            b'S' => Self::Sleeping,
            b'D' => Self::DiskSleep,
            b'Z' => Self::Zombie,
            b'T' => Self::Stopped,
            b't' => Self::TracingStop,
            b'X' | b'x' => Self::Dead,
            b'K' => Self::Wakekill,
            b'W' => Self::Waking,
            b'P' => Self::Parked,
            b'I' => Self::Idle,
            _ => return None,
        })
    }

    /// The letter the kernel prints for this state.
    pub fn letter(self) -> char {
        match self {
            Self::Running => 'R',
            Self::Sleeping => 'S',
            Self::DiskSleep => 'D',
            Self::Zombie => 'Z',
            Self::Stopped => 'T',
            Self::TracingStop => 't',
            Self::Dead => 'X',
            Self::Wakekill => 'K',
            Self::Waking => 'W',
            Self::Parked => 'P',
            Self::Idle => 'I',
        }
    }
}

/// The fields of `/proc/<pid>/stat` edgestat uses.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct PidStat {
    /// Process id.
    pub pid: u32,
    /// `comm`, without the parentheses; may contain spaces and `)`.
    pub comm: Comm,
    /// Task state.
    pub state: ProcessState,
    /// Parent process id (0 for `init` and `kthreadd`).
    pub ppid: u32,
    /// Time in user mode, in clock ticks (`USER_HZ`).
    pub utime_ticks: u64,
    /// Time in kernel mode, in clock ticks.
    pub stime_ticks: u64,
    /// Threads in the process.
    pub num_threads: u32,
    /// Start time after boot, in clock ticks.
    pub starttime_ticks: u64,
    /// Virtual memory size, in bytes.
    pub vsize_bytes: u64,
    /// Resident set size, in pages.
    pub rss_pages: u64,
}

/// The fields of `/proc/<pid>/status` edgestat uses.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct PidStatus {
    /// `Name`, as printed (the kernel escapes `\n` and `\\`).
    pub name: Comm,
    /// `State`.
    pub state: ProcessState,
    /// `Pid`.
    pub pid: u32,
    /// `PPid`.
    pub ppid: u32,
    /// `Uid`: the real user id (first of the four).
    pub uid: u32,
    /// `VmPeak`: peak virtual memory, kB; `None` for kernel threads.
    pub vm_peak_kb: Option<u64>,
    /// `VmSize`: virtual memory, kB; `None` for kernel threads.
    pub vm_size_kb: Option<u64>,
    /// `VmHWM`: peak resident set, kB; `None` for kernel threads.
    pub vm_hwm_kb: Option<u64>,
    /// `VmRSS`: resident set, kB; `None` for kernel threads.
    pub vm_rss_kb: Option<u64>,
    /// `Threads`.
    pub threads: u32,
}
