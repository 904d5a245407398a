//! One sample of the whole host: what every surface reads.
//!
//! The sampler builds one [`Snapshot`] per interval and publishes it whole;
//! surfaces never see a half-updated sample and never read a source.

use std::sync::Arc;

use edgestat_core::Name;
use edgestat_core::linux::{Interface, LoadAvg, MemInfo, NetDev, TcpStats, Uptime, Wireless};
use edgestat_core::sysfs::{GpuLoad, Ina3221, ThermalZone};
use edgestat_core::tegra::TegraSample;

use crate::sources::processes::ProcessTable;
use crate::sources::storage::{Filesystem, MAX_FILESYSTEMS};
use crate::sources::sysfs::MAX_THERMAL_ZONES;
use crate::sources::vcgencmd::PiReadings;

/// One sample.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// 1 for the first published sample, then counting up.
    pub seq: u64,
    /// When it was taken: microseconds since the Unix epoch (UTC).
    pub unix_micros: i64,
    /// CPU usage from the difference with the previous `/proc/stat`.
    pub cpu: CpuUse,
    /// `/proc/meminfo`.
    pub memory: Option<MemInfo>,
    /// `/proc/loadavg`.
    pub load: Option<LoadAvg>,
    /// `/proc/uptime`.
    pub uptime: Option<Uptime>,
    /// Thermal zones, in zone order.
    pub thermal: heapless::Vec<ThermalZone, MAX_THERMAL_ZONES>,
    /// INA3221 power monitors.
    pub ina3221: Vec<Ina3221>,
    /// Temperatures by sensor role (`cpu`, `gpu`, `soc0`, `tj`, …): the
    /// thermal zones, else tegrastats' sensors.
    pub temperatures: Vec<TempReading>,
    /// Power per rail: INA3221 rails, else a Pi 5's PMIC, else tegrastats.
    pub rails: Vec<RailPower>,
    /// GPU load (sysfs).
    pub gpu_load: Option<GpuLoad>,
    /// GPU frequency (devfreq), Hz.
    pub gpu_freq_hz: Option<u64>,
    /// `/proc/net/dev` with per-interface rates.
    pub net: Option<NetDev>,
    /// Receive and transmit rates per interface of `net`, bytes per second,
    /// in the same order; `None` on the first sample.
    pub net_rates: Vec<Option<(u64, u64)>>,
    /// Wi-Fi signal per wireless interface (`/proc/net/wireless`).
    pub wireless: Option<Wireless>,
    /// TCP counters (`/proc/net/snmp`).
    pub tcp: Option<TcpStats>,
    /// Disk I/O over whole disks.
    pub disk_io: Option<DiskIo>,
    /// Mounted block-device filesystems.
    pub filesystems: heapless::Vec<Filesystem, MAX_FILESYSTEMS>,
    /// The Pi firmware's under-voltage alarm (sysfs `rpi_volt`).
    pub under_voltage: Option<bool>,
    /// The latest tegrastats line, when a fresh one exists.
    pub tegra: Option<Box<TegraSample>>,
    /// The latest vcgencmd round, when a fresh one exists.
    pub pi: Option<PiReadings>,
    /// The process table, while clients ask for it.
    pub processes: Option<Arc<ProcessTable>>,
    /// The daemon's own resident memory, kB (`/proc/self/status`).
    pub own_rss_kb: Option<u64>,
    /// Collectors that failed this round: the collector and why.
    pub faults: Vec<(Collector, String)>,
}

/// The collectors `/api/health` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Collector {
    /// /proc files.
    Procfs,
    /// sysfs files.
    Sysfs,
    /// statvfs of mounted filesystems.
    Storage,
    /// The process table.
    Processes,
    /// The tegrastats child.
    Tegrastats,
    /// vcgencmd.
    Vcgencmd,
}

impl Collector {
    /// Its name in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Collector::Procfs => "procfs",
            Collector::Sysfs => "sysfs",
            Collector::Storage => "storage",
            Collector::Processes => "processes",
            Collector::Tegrastats => "tegrastats",
            Collector::Vcgencmd => "vcgencmd",
        }
    }
}

/// One temperature sensor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TempReading {
    /// Its role, lower-case, without a `-thermal` suffix: `cpu-thermal`
    /// becomes `cpu`, Nano's `CPU-therm` too.
    pub name: Name,
    /// milli-°C; `None` when the sensor did not answer (an Orin `cv0`
    /// zone's EAGAIN, tegrastats' `-256C`).
    pub milli_celsius: Option<i32>,
}

/// One power rail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RailPower {
    /// The rail's label as the board names it (`VDD_GPU_SOC`, `POM_5V_IN`,
    /// `VDD_CORE`).
    pub name: Name,
    /// Power now, mW.
    pub current_mw: u32,
    /// Mean power, mW: since the daemon started for sysfs and PMIC rails,
    /// since tegrastats started for its rails (as tegrastats prints it).
    pub average_mw: u32,
    /// Peak power, mW, where the source reports one (JetPack 7 tegrastats).
    pub peak_mw: Option<u32>,
}

/// CPU usage of the whole machine and of each CPU.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CpuUse {
    /// All CPUs together, per mille; `None` without two readings.
    pub total_per_mille: Option<u16>,
    /// Each CPU `/proc/stat` lists, in its order.
    pub cores: Vec<CoreUse>,
}

/// One CPU.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CoreUse {
    /// The `N` of `cpuN`.
    pub id: u32,
    /// Busy per mille since the previous sample.
    pub per_mille: Option<u16>,
    /// `scaling_cur_freq`, kHz.
    pub freq_khz: Option<u32>,
    /// Whether the CPU is online (an nvpmodel mode can turn cores off).
    pub online: bool,
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

impl Snapshot {
    /// Adds a fault of `collector`.
    pub fn fault(&mut self, collector: Collector, why: impl ToString) {
        self.faults.push((collector, why.to_string()));
    }

    /// Each interface with its receive and transmit rates (bytes per
    /// second; `None` before two readings).
    pub fn interfaces(&self) -> impl Iterator<Item = (&Interface, Option<(u64, u64)>)> {
        let interfaces = self.net.iter().flat_map(|net| net.interfaces.iter());
        interfaces.enumerate().map(|(i, n)| (n, self.net_rates.get(i).copied().flatten()))
    }

    /// Receive and transmit rates summed over every interface but
    /// loopback, bytes per second; an interface without a rate yet (new,
    /// or its counter wrapped) is left out. `None` before two readings.
    pub fn network_rates(&self) -> Option<(u64, u64)> {
        let rates = self.interfaces().filter(|(i, _)| i.name != "lo").filter_map(|(_, r)| r);
        rates.fold(None, |sum: Option<(u64, u64)>, (rx, tx)| {
            let (r, t) = sum.unwrap_or_default();
            Some((r.saturating_add(rx), t.saturating_add(tx)))
        })
    }

    /// Bytes received and sent since boot over every interface but loopback.
    pub fn network_totals(&self) -> Option<(u64, u64)> {
        let net = self.net.as_ref()?;
        Some(net.interfaces.iter().filter(|i| i.name != "lo").fold((0u64, 0u64), |(r, t), i| {
            (r.saturating_add(i.rx_bytes), t.saturating_add(i.tx_bytes))
        }))
    }
}
