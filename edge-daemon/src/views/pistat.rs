//! Seed 001 (piStat): `/stats`, `/processes`, `/network/interfaces` and
//! `/storage/devices`, in that README's exact shapes. Sizes are bytes, clocks Hz, temperatures °C, timestamps
//! Unix seconds. A value this host cannot give is `null`, never made up.

use edgestat_core::json::Scaled;
use edgestat_core::pi::Throttled;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::json::{Milli, SeqOf, UnixSecs, tenths};
use crate::model::{Process, Sample};

/// The top-level keys of `/stats`, in the README's order; `fields=` picks
/// among them.
pub const STATS_FIELDS: [&str; 16] = [
    "cpu_temp",
    "cpu_freq",
    "cpu_usage",
    "per_cpu_usage",
    "memory",
    "swap",
    "disk",
    "disk_io",
    "uptime",
    "load_avg",
    "timestamp",
    "gpu",
    "power",
    "clocks",
    "network",
    "hardware",
];

/// `/stats`, optionally only the `fields` named.
pub struct Stats<'a> {
    /// The sample.
    pub sample: &'a Sample,
    /// The `fields=` filter, already checked against [`STATS_FIELDS`].
    pub fields: Option<&'a [String]>,
}

impl Serialize for Stats<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let s = self.sample;
        let wanted = |key: &str| self.fields.is_none_or(|f| f.iter().any(|k| k == key));
        let mut map = serializer.serialize_map(None)?;
        for key in STATS_FIELDS.iter().copied().filter(|k| wanted(k)) {
            match key {
                "cpu_temp" => map.serialize_entry(key, &celsius(s, &["cpu", "soc"]))?,
                "cpu_freq" => map.serialize_entry(key, &cpu_freq_mhz(s))?,
                "cpu_usage" => map.serialize_entry(key, &s.cpu.total_per_mille.map(tenths))?,
                "per_cpu_usage" => map.serialize_entry(
                    key,
                    // psutil lists online CPUs only.
                    &SeqOf(|| s.cpu.online().map(|c| c.per_mille.map(tenths))),
                )?,
                "memory" => map.serialize_entry(key, &memory(s))?,
                "swap" => map.serialize_entry(key, &swap(s))?,
                "disk" => map.serialize_entry(key, &root_disk(s))?,
                "disk_io" => map.serialize_entry(key, &DiskIo(s, false))?,
                "uptime" => map.serialize_entry(key, &uptime(s))?,
                "load_avg" => map.serialize_entry(
                    key,
                    &s.load.map(|l| {
                        [l.load1_centi, l.load5_centi, l.load15_centi]
                            .map(|c| Scaled(c.into(), 100))
                    }),
                )?,
                "timestamp" => map.serialize_entry(key, &UnixSecs(s.unix_micros))?,
                "gpu" => map.serialize_entry(key, &Gpu(s))?,
                "power" => map.serialize_entry(key, &Power(s))?,
                "clocks" => map.serialize_entry(key, &Clocks(s))?,
                "network" => map.serialize_entry(key, &Network(s))?,
                "hardware" => map.serialize_entry(key, &Hardware(s))?,
                _ => {}
            }
        }
        map.end()
    }
}

/// The first readable temperature among `roles`, °C.
fn celsius(s: &Sample, roles: &[&str]) -> Option<Milli> {
    s.temperature(roles).map(|m| Milli(m.into()))
}

/// The mean of the CPUs' current frequencies, MHz (psutil's `cpu_freq()`),
/// else the firmware's ARM clock.
fn cpu_freq_mhz(s: &Sample) -> Option<Milli> {
    let khz = s.cpu.mean_freq_khz().or_else(|| s.pi.as_ref()?.arm_hz.map(|hz| hz / 1000))?;
    Some(Milli(i64::try_from(khz).unwrap_or(i64::MAX)))
}

#[derive(Serialize)]
struct Usage {
    total: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    available: Option<u64>,
    used: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    free: Option<u64>,
    percent: Scaled,
}

/// Percent of `part` in `whole`, one decimal.
fn share(part: u64, whole: u64) -> Scaled {
    let tenths = (u128::from(part) * 1000).checked_div(u128::from(whole)).unwrap_or(0);
    Scaled(i64::try_from(tenths).unwrap_or(0), 10)
}

/// piStat's `memory` is psutil's `virtual_memory()`: its `used` here is
/// the model's RAM used (total − available), so `used` + `available` =
/// `total` as in the seed's example.
fn memory(s: &Sample) -> Option<Usage> {
    let ram = s.memory.ram?;
    let (total, used) = (ram.total_kb * 1024, ram.used_kb * 1024);
    Some(Usage {
        total,
        available: Some(ram.available_kb() * 1024),
        used,
        free: None,
        percent: share(used, total),
    })
}

fn swap(s: &Sample) -> Option<Usage> {
    let swap = s.memory.swap?;
    let (total, used) = (swap.total_kb * 1024, swap.used_kb * 1024);
    Some(Usage {
        total,
        available: None,
        used,
        free: Some(swap.free_kb() * 1024),
        percent: share(used, total),
    })
}

fn root_disk(s: &Sample) -> Option<Usage> {
    let fs = s.root_filesystem()?;
    Some(Usage {
        total: fs.total,
        available: None,
        used: fs.used,
        free: Some(fs.free),
        percent: Scaled(fs.percent_milli() / 100, 10),
    })
}

fn uptime(s: &Sample) -> Option<Scaled> {
    s.uptime_cs.map(|cs| Scaled(i64::try_from(cs).unwrap_or(i64::MAX), 100))
}

/// `disk_io`; with the read and write times on `/storage/devices`.
struct DiskIo<'a>(&'a Sample, bool);

impl Serialize for DiskIo<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Some(io) = self.0.disk_io else { return serializer.serialize_none() };
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("read_count", &io.read_count)?;
        map.serialize_entry("write_count", &io.write_count)?;
        map.serialize_entry("read_bytes", &io.read_bytes)?;
        map.serialize_entry("write_bytes", &io.write_bytes)?;
        if self.1 {
            map.serialize_entry("read_time", &io.read_time_ms)?;
            map.serialize_entry("write_time", &io.write_time_ms)?;
        }
        map.end()
    }
}

struct Gpu<'a>(&'a Sample);

impl Serialize for Gpu<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let s = self.0;
        let pi = s.pi.as_ref();
        let mut map = serializer.serialize_map(None)?;
        // On a Pi the GPU shares the SoC sensor; a Jetson has its own zone.
        map.serialize_entry("temperature", &celsius(s, &["gpu", "cpu"]))?;
        map.serialize_entry(
            "memory",
            &pi.and_then(|p| p.gpu_mem_mb).map(|mb| u64::from(mb) << 20),
        )?;
        map.serialize_entry("v3d_clock", &pi.and_then(|p| p.v3d_hz))?;
        map.serialize_entry("load", &s.gpu.load_per_mille.map(tenths))?;
        map.end()
    }
}

struct Power<'a>(&'a Sample);

impl Serialize for Power<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let s = self.0;
        let bits = s.throttling.bits;
        let bit = |f: fn(Throttled) -> bool| bits.map(f);
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(
            "core_voltage",
            &s.pi.as_ref().and_then(|p| p.core_microvolts).map(|uv| Scaled(uv.into(), 1_000_000)),
        )?;
        map.serialize_entry("under_voltage", &s.throttling.under_voltage)?;
        map.serialize_entry("throttled", &bit(Throttled::throttled))?;
        map.serialize_entry("freq_capped", &bit(Throttled::arm_freq_capped))?;
        map.serialize_entry("soft_temp_limit", &bit(Throttled::soft_temp_limit))?;
        map.serialize_entry("under_voltage_occurred", &bit(Throttled::under_voltage_occurred))?;
        map.serialize_entry("throttled_occurred", &bit(Throttled::throttled_occurred))?;
        map.serialize_entry("freq_capped_occurred", &bit(Throttled::arm_freq_capped_occurred))?;
        map.serialize_entry("soft_temp_limit_occurred", &bit(Throttled::soft_temp_limit_occurred))?;
        map.serialize_entry("throttled_raw", &bits.map(|b| b.raw))?;
        map.end()
    }
}

struct Clocks<'a>(&'a Sample);

impl Serialize for Clocks<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let pi = self.0.pi.as_ref();
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("arm", &pi.and_then(|p| p.arm_hz))?;
        map.serialize_entry("core", &pi.and_then(|p| p.core_hz))?;
        map.serialize_entry("sdram", &None::<u64>)?;
        map.end()
    }
}

/// The interfaces by name, as `/stats.network` and `/network/interfaces`.
pub struct Network<'a>(pub &'a Sample);

impl Serialize for Network<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Interface {
            bytes_sent: u64,
            bytes_recv: u64,
            packets_sent: u64,
            packets_recv: u64,
            errin: u64,
            errout: u64,
            dropin: u64,
            dropout: u64,
            bytes_sent_per_sec: Option<u64>,
            bytes_recv_per_sec: Option<u64>,
            /// Wi-Fi interfaces only: dBm, null when not measured.
            #[serde(skip_serializing_if = "Option::is_none")]
            signal_strength: Option<Option<i32>>,
        }
        let s = self.0;
        let mut map = serializer.serialize_map(None)?;
        for i in &s.network.interfaces {
            let n = &i.counters;
            let interface = Interface {
                bytes_sent: n.tx_bytes,
                bytes_recv: n.rx_bytes,
                packets_sent: n.tx_packets,
                packets_recv: n.rx_packets,
                errin: n.rx_errs,
                errout: n.tx_errs,
                dropin: n.rx_drop,
                dropout: n.tx_drop,
                bytes_sent_per_sec: i.rates.map(|r| r.1),
                bytes_recv_per_sec: i.rates.map(|r| r.0),
                signal_strength: i.wifi.map(|w| w.signal_dbm),
            };
            map.serialize_entry(i.name(), &interface)?;
        }
        // TCP connections established (CurrEstab of /proc/net/snmp).
        map.serialize_entry("active_connections", &s.network.tcp.map(|t| t.curr_estab))?;
        map.end()
    }
}

/// `/stats.hardware`: the board's model and (when exposed) serial, and the
/// Pi firmware's build date.
struct Hardware<'a>(&'a Sample);

impl Serialize for Hardware<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let firmware = self.0.pi.as_ref().and_then(|p| p.firmware.as_ref()).map(|f| {
            // vcgencmd prints `Sep  3 2020 13:11:43`; piStat passes it on.
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            let d = f.date;
            let month = MONTHS.get(usize::from(d.month).wrapping_sub(1)).copied().unwrap_or("?");
            format!("{month} {} {} {:02}:{:02}:{:02}", d.day, d.year, d.hour, d.minute, d.second)
        });
        let board = &self.0.board;
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("model", &board.model())?;
        map.serialize_entry("serial", &board.serial)?;
        map.serialize_entry("firmware", &firmware)?;
        map.serialize_entry("usb_devices", &None::<u32>)?;
        map.end()
    }
}

/// `/network/interfaces`.
pub struct Interfaces<'a>(pub &'a Sample);

impl Serialize for Interfaces<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("interfaces", &Network(self.0))?;
        map.serialize_entry("timestamp", &UnixSecs(self.0.unix_micros))?;
        map.end()
    }
}

/// `/storage/devices`.
pub struct Storage<'a>(pub &'a Sample);

impl Serialize for Storage<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Device<'a> {
            device: &'a str,
            mountpoint: &'a str,
            filesystem: &'a str,
            total: u64,
            used: u64,
            free: u64,
            percent: Scaled,
        }
        let s = self.0;
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry(
            "devices",
            &SeqOf(|| {
                s.filesystems.iter().map(|f| Device {
                    device: &f.device,
                    mountpoint: &f.mount_point,
                    filesystem: &f.fs_type,
                    total: f.total,
                    used: f.used,
                    free: f.free,
                    percent: Scaled(f.percent_milli() / 100, 10),
                })
            }),
        )?;
        map.serialize_entry("disk_io", &DiskIo(s, true))?;
        map.serialize_entry("timestamp", &UnixSecs(s.unix_micros))?;
        map.end()
    }
}

/// How `/processes` sorts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sort {
    /// Most CPU first (the default).
    Cpu,
    /// Most memory first.
    Memory,
    /// By name.
    Name,
    /// By pid.
    Pid,
    /// Longest running first.
    Time,
}

impl Sort {
    /// The `sort=` values piStat accepts.
    pub const NAMES: [&str; 5] = ["cpu", "memory", "name", "pid", "time"];

    /// Reads a `sort=` value.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "cpu" => Sort::Cpu,
            "memory" => Sort::Memory,
            "name" => Sort::Name,
            "pid" => Sort::Pid,
            "time" => Sort::Time,
            _ => return None,
        })
    }
}

/// `/processes`.
pub struct Processes<'a> {
    /// The processes, already sorted and limited.
    pub processes: Vec<&'a Process>,
    /// `MemTotal`, kB, for `memory_percent`.
    pub mem_total_kb: Option<u64>,
    /// The sample's time.
    pub unix_micros: i64,
}

/// Sorts and cuts the process list as `/processes?sort=&limit=` asks.
pub fn select(processes: &[Process], sort: Sort, limit: Option<usize>) -> Vec<&Process> {
    let mut list: Vec<&Process> = processes.iter().collect();
    match sort {
        Sort::Cpu => list.sort_by_key(|p| std::cmp::Reverse(p.cpu_per_mille.unwrap_or(0))),
        Sort::Memory => list.sort_by_key(|p| std::cmp::Reverse(p.rss_kb)),
        Sort::Name => list.sort_by(|a, b| a.name.cmp(&b.name)),
        Sort::Pid => list.sort_by_key(|p| p.pid),
        Sort::Time => list.sort_by_key(|p| std::cmp::Reverse(p.running_cs)),
    }
    list.truncate(limit.unwrap_or(usize::MAX));
    list
}

impl Serialize for Processes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Entry<'a> {
            pid: u32,
            name: &'a str,
            user: &'a str,
            cpu_percent: Scaled,
            memory_percent: Option<Scaled>,
            running_time: Scaled,
        }
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry(
            "processes",
            &SeqOf(|| {
                self.processes.iter().map(|p| Entry {
                    pid: p.pid,
                    name: &p.name,
                    user: &p.user,
                    // psutil's first call for a process also reads 0.0.
                    cpu_percent: tenths(p.cpu_per_mille.unwrap_or(0)),
                    memory_percent: self.mem_total_kb.map(|total| {
                        let milli = (u128::from(p.rss_kb) * 100_000).checked_div(total.into());
                        Scaled(i64::try_from(milli.unwrap_or(0)).unwrap_or(0) / 100, 10)
                    }),
                    running_time: Scaled(i64::try_from(p.running_cs).unwrap_or(i64::MAX), 100),
                })
            }),
        )?;
        map.serialize_entry("timestamp", &UnixSecs(self.unix_micros))?;
        map.end()
    }
}
