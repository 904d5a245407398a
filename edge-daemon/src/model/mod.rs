//! The model: one [`Sample`] of the host in host concepts (CPU, memory,
//! GPU, temperatures, power rails, throttling, network, disks,
//! filesystems, processes), plus the board's identity ([`Board`]), read
//! once at start.
//!
//! The sampler is the only writer: it builds one `Sample` per interval,
//! deciding per quantity which source wins (`sampler::unify`), and
//! publishes it whole. Every view renders from a `Sample` and nothing else,
//! so each quantity below has one definition, stated where it is declared,
//! and every surface shows the same value for it.
//!
//! Units are the sources' integers (kB, milli-°C, mW, Hz, per mille);
//! views convert at their edge.

mod board;
mod fault;
mod history;
mod pi;
mod processes;
mod storage;

use std::sync::Arc;

use edgestat_core::Name;
use edgestat_core::linux::{Interface, LoadAvg, TcpStats};
use edgestat_core::pi::Throttled;
use edgestat_core::tegra::TegraSample;

pub use board::{Board, Platform};
pub use fault::{Collector, Degraded, Fault, describe};
pub use history::{Point, RING_LEN, Ring};
pub use pi::PiReadings;
pub use processes::{Process, ProcessTable};
pub use storage::{Filesystem, MAX_FILESYSTEMS};

/// One sample of the whole host.
#[derive(Debug, Clone, Default)]
pub struct Sample {
    /// 1 for the first published sample, then counting up.
    pub seq: u64,
    /// When it was taken: microseconds since the Unix epoch (UTC).
    pub unix_micros: i64,
    /// The board, read once at start.
    pub board: Arc<Board>,
    /// CPU usage and frequency, per core and in all.
    pub cpu: Cpu,
    /// The load average (`/proc/loadavg`).
    pub load: Option<LoadAvg>,
    /// Time since boot, centiseconds (`/proc/uptime`).
    pub uptime_cs: Option<u64>,
    /// RAM and swap.
    pub memory: Memory,
    /// The integrated GPU (a Jetson's GR3D).
    pub gpu: Gpu,
    /// Temperatures by sensor role, in zone order.
    pub temperatures: Vec<Temperature>,
    /// Power by rail.
    pub rails: Vec<Rail>,
    /// Throttling and under-voltage.
    pub throttling: Throttling,
    /// Interfaces and TCP counters.
    pub network: Network,
    /// Disk I/O over whole disks.
    pub disk_io: Option<DiskIo>,
    /// Mounted block-device filesystems.
    pub filesystems: Vec<Filesystem>,
    /// The process table, while clients ask for it.
    pub processes: Option<Arc<ProcessTable>>,
    /// The daemon's own resident memory, kB.
    pub own_rss_kb: Option<u64>,
    /// The latest tegrastats line as parsed, for the views that echo the
    /// tool's own figures (EMC, engines, APE); `None` when no fresh line.
    pub tegra: Option<Box<TegraSample>>,
    /// The latest vcgencmd round (clocks, core voltage, GPU memory split,
    /// firmware), for the views that echo them; `None` when no fresh round.
    pub pi: Option<PiReadings>,
    /// Sources that failed this round, and why.
    pub faults: Vec<Degraded>,
}

/// CPU usage of the whole machine and of each CPU.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cpu {
    /// All CPUs together, per mille, between this sample and the previous
    /// one (`/proc/stat`); `None` without two readings.
    pub total_per_mille: Option<u16>,
    /// Every CPU the board has, online or not, in id order.
    pub cores: Vec<Core>,
}

/// One CPU.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Core {
    /// The `N` of `cpuN`.
    pub id: u32,
    /// Busy per mille since the previous sample (`/proc/stat`, else
    /// tegrastats' per-core load).
    pub per_mille: Option<u16>,
    /// Current frequency, kHz (cpufreq `scaling_cur_freq`, else
    /// tegrastats' `@MHz`).
    pub freq_khz: Option<u32>,
    /// Whether the CPU is online (an nvpmodel mode can turn cores off).
    pub online: bool,
}

impl Cpu {
    /// The online CPUs.
    pub fn online(&self) -> impl Iterator<Item = &Core> {
        self.cores.iter().filter(|c| c.online)
    }

    /// The mean of the known core frequencies, kHz (psutil's
    /// `cpu_freq().current`).
    pub fn mean_freq_khz(&self) -> Option<u64> {
        let (sum, n) = self
            .cores
            .iter()
            .filter_map(|c| c.freq_khz)
            .fold((0u64, 0u64), |(s, n), f| (s + u64::from(f), n + 1));
        sum.checked_div(n)
    }
}

/// RAM and swap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Memory {
    /// RAM; `None` when neither `/proc/meminfo` nor tegrastats gave it.
    pub ram: Option<Ram>,
    /// Swap (zram included); `None` when unknown.
    pub swap: Option<Swap>,
}

/// RAM, kB.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ram {
    /// `MemTotal`: usable RAM.
    pub total_kb: u64,
    /// **RAM used = `MemTotal` − `MemAvailable`**: what no program can
    /// have without swapping. tegrastats prints the same quantity, psutil's
    /// `percent` is its share, and piStat's example has `used` +
    /// `available` = `total`. A kernel without `MemAvailable` (before 3.14)
    /// counts total − free − buffers − page cache − reclaimable slab.
    pub used_kb: u64,
}

impl Ram {
    /// RAM available without swapping: total − used.
    pub fn available_kb(&self) -> u64 {
        self.total_kb.saturating_sub(self.used_kb)
    }

    /// Used, per mille of total.
    pub fn used_per_mille(&self) -> Option<u64> {
        per_mille(self.used_kb, self.total_kb)
    }
}

/// Swap, kB.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swap {
    /// `SwapTotal`.
    pub total_kb: u64,
    /// Swap used = `SwapTotal` − `SwapFree`.
    pub used_kb: u64,
    /// `SwapCached`: swapped-out pages also in RAM; `None` when unknown.
    pub cached_kb: Option<u64>,
}

impl Swap {
    /// Unused swap: total − used.
    pub fn free_kb(&self) -> u64 {
        self.total_kb.saturating_sub(self.used_kb)
    }

    /// Used, per mille of total.
    pub fn used_per_mille(&self) -> Option<u64> {
        per_mille(self.used_kb, self.total_kb)
    }
}

/// `part` per mille of `whole`, rounded down; `None` for an empty whole.
fn per_mille(part: u64, whole: u64) -> Option<u64> {
    u64::try_from(u128::from(part) * 1000 / u128::from(whole).max(1)).ok().filter(|_| whole > 0)
}

/// The integrated GPU.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Gpu {
    /// Load per mille: the sysfs `load` file, else tegrastats' GR3D share.
    pub load_per_mille: Option<u16>,
    /// Frequency, Hz: devfreq `cur_freq`, else tegrastats' `GR3D_FREQ …@MHz`.
    pub freq_hz: Option<u64>,
}

/// One temperature sensor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Temperature {
    /// Its role, lower-case, without a `-thermal` suffix: `cpu-thermal`
    /// and Nano's `CPU-therm` are both `cpu`.
    pub role: Name,
    /// milli-°C; `None` when the sensor did not answer (an Orin `cv0`
    /// zone's EAGAIN, tegrastats' `-256C`).
    pub milli_celsius: Option<i32>,
}

/// One power rail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rail {
    /// The rail's label as the board names it (`VDD_GPU_SOC`, `POM_5V_IN`,
    /// `VDD_CORE`).
    pub name: Name,
    /// Power now, mW.
    pub power_mw: u32,
    /// Mean power, mW: since the daemon started for sysfs and PMIC rails,
    /// since tegrastats started for its rails (as tegrastats prints it).
    pub average_mw: u32,
    /// Peak power, mW, where the source reports one (JetPack 7 tegrastats).
    pub peak_mw: Option<u32>,
    /// Bus voltage, mV, where the monitor gives it (INA3221, PMIC).
    pub millivolts: Option<i32>,
    /// Current, mA, where the monitor gives it.
    pub milliamps: Option<i32>,
}

/// Throttling, as the firmware and the kernel report it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Throttling {
    /// A Raspberry Pi's `get_throttled` bits.
    pub bits: Option<Throttled>,
    /// Under-voltage now: `get_throttled` bit 0, else the `rpi_volt`
    /// hwmon alarm.
    pub under_voltage: Option<bool>,
}

impl Throttling {
    /// Throttled in any way now (`get_throttled` bits 0 to 3:
    /// under-voltage, frequency capped, throttled, soft temperature
    /// limit), else under-voltage alone where only the alarm is known.
    pub fn any_now(&self) -> Option<bool> {
        self.bits.map(|b| b.raw & 0xf != 0).or(self.under_voltage)
    }
}

/// The network interfaces and TCP counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Network {
    /// Every interface `/proc/net/dev` lists, in its order.
    pub interfaces: Vec<NetInterface>,
    /// TCP counters (`/proc/net/snmp`).
    pub tcp: Option<TcpStats>,
}

/// One interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetInterface {
    /// Its counters since boot.
    pub counters: Interface,
    /// Receive and transmit rates, bytes per second; `None` on its first
    /// sample or when a counter went backwards.
    pub rates: Option<(u64, u64)>,
    /// Wi-Fi: its signal (`/proc/net/wireless`, or named `wl…`); `None`
    /// for a wired interface.
    pub wifi: Option<Wifi>,
}

/// A Wi-Fi interface's radio.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wifi {
    /// Signal level, dBm; `None` when not associated.
    pub signal_dbm: Option<i32>,
}

impl NetInterface {
    /// Its name.
    pub fn name(&self) -> &str {
        &self.counters.name
    }

    /// **Traffic** is every interface but loopback: `lo` carries the
    /// host's talk to itself, not the network's.
    pub fn is_traffic(&self) -> bool {
        self.name() != "lo"
    }
}

impl Network {
    /// The traffic interfaces ([`NetInterface::is_traffic`]).
    pub fn traffic(&self) -> impl Iterator<Item = &NetInterface> {
        self.interfaces.iter().filter(|i| i.is_traffic())
    }

    /// Receive and transmit rates summed over the traffic interfaces,
    /// bytes per second; one without a rate yet is left out. `None` before
    /// two readings.
    pub fn rates(&self) -> Option<(u64, u64)> {
        self.traffic().filter_map(|i| i.rates).fold(None, |sum, (rx, tx)| {
            let (r, t) = sum.unwrap_or_default();
            Some((r.saturating_add(rx), t.saturating_add(tx)))
        })
    }

    /// Bytes received and sent since boot over the traffic interfaces.
    pub fn totals(&self) -> (u64, u64) {
        self.traffic().fold((0, 0), |(r, t), i| {
            (r.saturating_add(i.counters.rx_bytes), t.saturating_add(i.counters.tx_bytes))
        })
    }
}

/// Disk I/O summed over whole disks (partitions, loop and RAM devices left
/// out), as psutil's `disk_io_counters()` reports it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiskIo {
    /// Reads completed.
    pub read_count: u64,
    /// Writes completed.
    pub write_count: u64,
    /// Bytes read (512-byte sectors).
    pub read_bytes: u64,
    /// Bytes written.
    pub write_bytes: u64,
    /// Milliseconds spent reading.
    pub read_time_ms: u64,
    /// Milliseconds spent writing.
    pub write_time_ms: u64,
    /// Read and write rates, bytes per second; `None` on the first sample.
    pub rates: Option<(u64, u64)>,
}

impl Sample {
    /// The first readable temperature among `roles`, milli-°C.
    pub fn temperature(&self, roles: &[&str]) -> Option<i32> {
        roles.iter().find_map(|role| {
            self.temperatures.iter().find(|t| t.role == *role).and_then(|t| t.milli_celsius)
        })
    }

    /// The hottest readable sensor, milli-°C.
    pub fn hottest(&self) -> Option<i32> {
        self.temperatures.iter().filter_map(|t| t.milli_celsius).max()
    }

    /// The rails' power summed, mW; `None` without rails.
    pub fn power_mw(&self) -> Option<u32> {
        self.rails.iter().map(|r| r.power_mw).reduce(u32::saturating_add)
    }

    /// The first rail whose label contains `part` (`CPU`, `GPU`).
    pub fn rail_of(&self, part: &str) -> Option<&Rail> {
        self.rails.iter().find(|r| r.name.contains(part))
    }

    /// The root filesystem.
    pub fn root_filesystem(&self) -> Option<&Filesystem> {
        self.filesystems.iter().find(|f| f.mount_point == "/")
    }

    /// Whether a source failed this round.
    pub fn degraded(&self) -> bool {
        !self.faults.is_empty()
    }
}
