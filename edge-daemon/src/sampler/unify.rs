//! Which source wins, per quantity, in one place. The sampler reads every
//! source into [`Readings`]; [`sample`] turns them into the model's host
//! concepts. Every surface renders what this decides.
//!
//! | quantity | first | else |
//! |---|---|---|
//! | CPU usage per core | `/proc/stat` deltas | tegrastats' per-core load |
//! | CPU frequency per core | cpufreq `scaling_cur_freq` | tegrastats' `@MHz` |
//! | offline CPUs | sysfs `cpu/present` less `/proc/stat`'s | tegrastats' `off` |
//! | RAM, swap | `/proc/meminfo` | tegrastats' `RAM`, `SWAP` |
//! | GPU load | sysfs `load` | tegrastats' `GR3D_FREQ` share |
//! | GPU frequency | devfreq `cur_freq` | tegrastats' `GR3D_FREQ …@MHz` |
//! | temperatures | thermal zones | tegrastats' sensors |
//! | rail power | INA3221 | a Pi 5's PMIC (current × voltage), else tegrastats |
//! | under-voltage | `get_throttled` bit 0 | the `rpi_volt` hwmon alarm |
//!
//! sysfs and /proc come first: they are read at the sample's own instant,
//! while a tool's line can be up to three of its intervals old.

use std::collections::HashMap;

use edgestat_core::Name;
use edgestat_core::linux::{MemInfo, NetDev, Wireless};
use edgestat_core::pi::Pmic;
use edgestat_core::sysfs::{ChannelKind, CpuSet, GpuLoad, Ina3221, ThermalZone};
use edgestat_core::tegra::{Core as TegraCore, TegraSample};

use crate::model::{
    Core, Cpu, Gpu, Memory, NetInterface, PiReadings, Rail, Ram, Swap, Temperature, Throttling,
    Wifi,
};
use crate::sources::sysfs::MAX_THERMAL_ZONES;

/// What the sources gave this round, before any choice is made.
#[derive(Debug, Default)]
pub struct Readings {
    /// Usage per CPU from `/proc/stat` (empty when it failed).
    pub cpu: Cpu,
    /// cpufreq's current frequency per CPU id, kHz.
    pub cpu_freqs: HashMap<u32, Option<u32>>,
    /// The CPUs the board has (`devices/system/cpu/present`).
    pub cpus_present: Option<CpuSet>,
    /// `/proc/meminfo`.
    pub meminfo: Option<MemInfo>,
    /// Thermal zones, in zone order.
    pub thermal: heapless::Vec<ThermalZone, MAX_THERMAL_ZONES>,
    /// INA3221 power monitors.
    pub ina3221: Vec<Ina3221>,
    /// The GPU's sysfs `load`.
    pub gpu_load: Option<GpuLoad>,
    /// The GPU's devfreq frequency, Hz.
    pub gpu_freq_hz: Option<u64>,
    /// The `rpi_volt` under-voltage alarm.
    pub under_voltage: Option<bool>,
    /// `/proc/net/dev`, with each interface's rates.
    pub net: Option<NetReading>,
    /// `/proc/net/wireless`.
    pub wireless: Option<Wireless>,
    /// The latest tegrastats line, if fresh.
    pub tegra: Option<TegraSample>,
    /// The latest vcgencmd round, if fresh.
    pub pi: Option<PiReadings>,
}

/// `/proc/net/dev` and each interface's receive and transmit rates, bytes
/// per second, in the same order (`None` before two readings).
#[derive(Debug)]
pub struct NetReading {
    /// The counters.
    pub dev: NetDev,
    /// The rates.
    pub rates: Vec<Option<(u64, u64)>>,
}

/// CPUs: `/proc/stat`'s usage with cpufreq's frequencies and the present
/// CPUs it does not list (offline), else tegrastats' cores; a frequency
/// cpufreq lacks comes from tegrastats.
pub fn cpu(r: &Readings) -> Cpu {
    let tegra = r.tegra.as_ref();
    if r.cpu.cores.is_empty() {
        return tegra.map(tegra_cpu).unwrap_or_default();
    }
    let mut cpu = r.cpu.clone();
    for core in &mut cpu.cores {
        core.freq_khz = r.cpu_freqs.get(&core.id).copied().flatten();
    }
    if let Some(present) = &r.cpus_present {
        add_offline(&mut cpu, present);
    }
    if let Some(tegra) = tegra {
        let from_tegra = tegra_cpu(tegra);
        for core in cpu.cores.iter_mut().filter(|c| c.online && c.freq_khz.is_none()) {
            core.freq_khz =
                from_tegra.cores.iter().find(|t| t.id == core.id).and_then(|t| t.freq_khz);
        }
    }
    cpu
}

/// CPU cores from tegrastats, for a host whose `/proc/stat` failed.
fn tegra_cpu(tegra: &TegraSample) -> Cpu {
    let cores = tegra
        .cpu
        .cores
        .iter()
        .zip(0u32..)
        .map(|(core, id)| match *core {
            TegraCore::Off => Core { id, per_mille: None, freq_khz: None, online: false },
            TegraCore::On { load, freq_mhz } => Core {
                id,
                per_mille: Some(load.saturating_mul(10)),
                freq_khz: freq_mhz.or(tegra.cpu.shared_freq_mhz).map(|f| f.saturating_mul(1000)),
                online: true,
            },
        })
        .collect();
    Cpu { total_per_mille: None, cores }
}

/// Adds the present CPUs `/proc/stat` does not list (offline ones) to
/// `cpu`, in id order, so seed 000's `cores` keeps every core, as
/// tegrastats prints `off` for them.
fn add_offline(cpu: &mut Cpu, present: &CpuSet) {
    for id in present.iter() {
        if !cpu.cores.iter().any(|c| c.id == id) {
            cpu.cores.push(Core { id, per_mille: None, freq_khz: None, online: false });
        }
    }
    cpu.cores.sort_by_key(|c| c.id);
}

/// RAM and swap: `/proc/meminfo`, else tegrastats. RAM used is total −
/// `MemAvailable` ([`Ram::used_kb`]).
pub fn memory(meminfo: Option<&MemInfo>, tegra: Option<&TegraSample>) -> Memory {
    let mb = |mb: u32| u64::from(mb) * 1024;
    let ram = meminfo
        .and_then(|m| {
            let total_kb = m.mem_total_kb?;
            let used_kb = match m.mem_available_kb {
                Some(available) => total_kb.saturating_sub(available),
                None => m.used_kb()?,
            };
            Some(Ram { total_kb, used_kb })
        })
        .or_else(|| {
            let t = tegra?;
            Some(Ram { total_kb: mb(t.ram.total_mb), used_kb: mb(t.ram.used_mb) })
        });
    let swap = meminfo
        .and_then(|m| {
            let (total_kb, free_kb) = (m.swap_total_kb?, m.swap_free_kb?);
            Some(Swap {
                total_kb,
                used_kb: total_kb.saturating_sub(free_kb),
                cached_kb: m.swap_cached_kb,
            })
        })
        .or_else(|| {
            let t = tegra?.swap?;
            Some(Swap {
                total_kb: mb(t.total_mb),
                used_kb: mb(t.used_mb),
                cached_kb: t.cached_mb.map(mb),
            })
        });
    Memory { ram, swap }
}

/// The GPU: sysfs load and devfreq frequency, else tegrastats' GR3D.
pub fn gpu(r: &Readings) -> Gpu {
    let tegra_gpu = r.tegra.as_ref().and_then(|t| t.gpus.first());
    Gpu {
        load_per_mille: r
            .gpu_load
            .map(|l| l.per_mille)
            .or_else(|| tegra_gpu.and_then(|g| g.load).map(|pct| pct.saturating_mul(10))),
        freq_hz: r.gpu_freq_hz.or_else(|| {
            tegra_gpu.and_then(|g| g.freqs_mhz.first()).map(|&mhz| u64::from(mhz) * 1_000_000)
        }),
    }
}

/// Suffixes thermal zone types carry after the sensor's role.
const ZONE_SUFFIXES: [&str; 4] = ["-thermal", "_thermal", "-therm", "_therm"];

/// The role of a thermal zone type: `cpu-thermal` → `cpu`,
/// `CPU-therm` → `cpu`, `PMIC-Die` → `pmic-die`.
pub fn zone_role(zone_type: &str) -> Name {
    let base = ZONE_SUFFIXES.iter().find_map(|s| zone_type.strip_suffix(s)).unwrap_or(zone_type);
    let mut name = Name::new();
    for c in base.chars().map(|c| c.to_ascii_lowercase()) {
        if name.push(c).is_err() {
            break;
        }
    }
    name
}

/// The thermal zones by role, else tegrastats' sensors (lower-cased as
/// tegrastats-api does). A reading of tegrastats' `-256C` sentinel is
/// `None` from either source.
pub fn temperatures(zones: &[ThermalZone], tegra: Option<&TegraSample>) -> Vec<Temperature> {
    const SENTINEL: i32 = edgestat_core::tegra::Reading::SENTINEL_MILLI;
    if !zones.is_empty() {
        return zones
            .iter()
            .map(|z| Temperature {
                role: zone_role(&z.name),
                milli_celsius: z.milli_celsius.ok().filter(|&m| m != SENTINEL),
            })
            .collect();
    }
    let Some(tegra) = tegra else { return Vec::new() };
    tegra
        .temperatures
        .iter()
        .map(|t| Temperature { role: zone_role(&t.name), milli_celsius: t.current.milli() })
        .collect()
}

/// Running means of rail power since the daemon started.
#[derive(Debug, Default)]
pub struct RailAverages(HashMap<Name, (u64, u64)>);

impl RailAverages {
    /// Adds a reading of `name` and returns its mean so far.
    fn observe(&mut self, name: &Name, mw: u32) -> u32 {
        let (sum, count) = self.0.entry(name.clone()).or_default();
        *sum += u64::from(mw);
        *count += 1;
        u32::try_from(*sum / *count).unwrap_or(u32::MAX)
    }
}

/// The power rails: INA3221 rails (not `NC`, not the shunt sum), else a
/// Pi 5's PMIC rails (current × voltage), else tegrastats' rails.
pub fn rails(
    ina3221: &[Ina3221],
    pmic: Option<&Pmic>,
    tegra: Option<&TegraSample>,
    averages: &mut RailAverages,
) -> Vec<Rail> {
    let mut out = Vec::new();
    let channels = ina3221.iter().flat_map(|d| d.channels.iter());
    for channel in channels.filter(|c| c.kind == ChannelKind::Rail) {
        let (Some(name), Some(mw)) = (&channel.label, channel.milliwatts) else { continue };
        let mw = u32::try_from(mw).unwrap_or(0);
        out.push(Rail {
            name: name.clone(),
            power_mw: mw,
            average_mw: averages.observe(name, mw),
            peak_mw: None,
            millivolts: channel.millivolts,
            milliamps: channel.milliamps,
        });
    }
    if !out.is_empty() {
        return out;
    }
    if let Some(pmic) = pmic {
        for rail in &pmic.rails {
            let (Some(current), Some(volts)) = (rail.current, rail.volts) else { continue };
            // nA × nV = 10^-18 W; mW is 10^-3 W.
            let mw = i128::from(current.nano) * i128::from(volts.nano) / 1_000_000_000_000_000;
            let mw = u32::try_from(mw).unwrap_or(0);
            out.push(Rail {
                name: rail.name.clone(),
                power_mw: mw,
                average_mw: averages.observe(&rail.name, mw),
                peak_mw: None,
                millivolts: i32::try_from(volts.nano / 1_000_000).ok(),
                milliamps: i32::try_from(current.nano / 1_000_000).ok(),
            });
        }
        return out;
    }
    let Some(tegra) = tegra else { return out };
    tegra
        .rails
        .iter()
        .map(|r| Rail {
            name: r.name.clone(),
            power_mw: r.current_mw,
            average_mw: r.average_mw,
            peak_mw: r.peak_mw,
            millivolts: None,
            milliamps: None,
        })
        .collect()
}

/// Throttling: the Pi's `get_throttled` bits; under-voltage now from bit
/// 0, else from the `rpi_volt` alarm.
pub fn throttling(pi: Option<&PiReadings>, alarm: Option<bool>) -> Throttling {
    let bits = pi.and_then(|p| p.throttled);
    Throttling { bits, under_voltage: bits.map(|b| b.under_voltage()).or(alarm) }
}

/// The interfaces with their rates, and which are Wi-Fi: listed in
/// `/proc/net/wireless` (with its signal), or named `wl…` (not associated:
/// no signal).
pub fn interfaces(net: Option<&NetReading>, wireless: Option<&Wireless>) -> Vec<NetInterface> {
    let Some(NetReading { dev, rates }) = net else { return Vec::new() };
    dev.interfaces
        .iter()
        .enumerate()
        .map(|(i, counters)| {
            let reading =
                wireless.and_then(|w| w.interfaces.iter().find(|w| w.name == counters.name));
            let wifi = match reading {
                Some(w) => Some(Wifi { signal_dbm: Some(w.level_dbm) }),
                None if counters.name.starts_with("wl") => Some(Wifi { signal_dbm: None }),
                None => None,
            };
            NetInterface {
                counters: counters.clone(),
                rates: rates.get(i).copied().flatten(),
                wifi,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use edgestat_core::sysfs::ReadFault;
    use edgestat_parsers::tegrastats;

    #[test]
    fn zone_types_become_roles() {
        let roles: Vec<Name> = [
            "cpu-thermal",
            "soc0-thermal",
            "tj-thermal",
            "CPU-therm",
            "PMIC-Die",
            "thermal-fan-est",
        ]
        .iter()
        .map(|t| zone_role(t))
        .collect();
        assert_eq!(roles, ["cpu", "soc0", "tj", "cpu", "pmic-die", "thermal-fan-est"]);
    }

    #[test]
    fn zones_win_over_tegrastats_and_failures_are_null() {
        let zone = |index, name: &str, t| ThermalZone {
            index,
            name: Name::try_from(name).unwrap(),
            milli_celsius: t,
        };
        let zones =
            [zone(0, "cpu-thermal", Ok(47_125)), zone(2, "cv0-thermal", Err(ReadFault::Again))];
        let line =
            b"RAM 2448/62840MB (lfb 2x4MB) CPU [0%@2201] cpu@42C gpu@-256C VDD_IN 4940mW/4940mW";
        let tegra = tegrastats::parse(line).unwrap();
        let from_zones = temperatures(&zones, Some(&tegra));
        assert_eq!(from_zones.len(), 2);
        assert_eq!(from_zones[0].milli_celsius, Some(47_125));
        assert_eq!(from_zones[1].milli_celsius, None);
        let from_tegra = temperatures(&[], Some(&tegra));
        assert_eq!(from_tegra[0].milli_celsius, Some(42_000));
        assert_eq!((from_tegra[1].role.as_str(), from_tegra[1].milli_celsius), ("gpu", None));
        let mut averages = RailAverages::default();
        let rails = rails(&[], None, Some(&tegra), &mut averages);
        assert_eq!((rails[0].power_mw, rails[0].average_mw), (4940, 4940));
        let readings = Readings { tegra: Some(tegra), ..Readings::default() };
        let cpu = cpu(&readings);
        assert_eq!(
            cpu.cores[0],
            Core { id: 0, per_mille: Some(0), freq_khz: Some(2_201_000), online: true }
        );
        let memory = memory(None, readings.tegra.as_ref());
        assert_eq!(memory.ram, Some(Ram { total_kb: 62840 * 1024, used_kb: 2448 * 1024 }));
    }

    #[test]
    fn tegrastats_fills_what_sysfs_lacks() {
        let line =
            b"RAM 2448/62840MB (lfb 2x4MB) CPU [10%@1200,20%@1300] GR3D_FREQ 37%@[918] cpu@42C";
        let tegra = tegrastats::parse(line).unwrap();
        let mut stat = Cpu {
            total_per_mille: Some(150),
            cores: (0..2)
                .map(|id| Core { id, per_mille: Some(100), freq_khz: None, online: true })
                .collect(),
        };
        stat.cores[0].per_mille = Some(120);
        let mut r = Readings { cpu: stat, tegra: Some(tegra), ..Readings::default() };
        r.cpu_freqs.insert(0, Some(2_201_600));
        let cpu = cpu(&r);
        // /proc/stat's usage stays; cpufreq's frequency wins, tegrastats
        // fills the one it lacks.
        assert_eq!(
            cpu.cores[0],
            Core { id: 0, per_mille: Some(120), freq_khz: Some(2_201_600), online: true }
        );
        assert_eq!(cpu.cores[1].freq_khz, Some(1_300_000));
        assert_eq!(gpu(&r), Gpu { load_per_mille: Some(370), freq_hz: Some(918_000_000) });
        r.gpu_load = Some(GpuLoad { per_mille: 5 });
        r.gpu_freq_hz = Some(306_000_000);
        assert_eq!(gpu(&r), Gpu { load_per_mille: Some(5), freq_hz: Some(306_000_000) });
    }

    #[test]
    fn rail_means_run_since_start() {
        let mut averages = RailAverages::default();
        let name = Name::try_from("VDD_IN").unwrap();
        assert_eq!(averages.observe(&name, 4000), 4000);
        assert_eq!(averages.observe(&name, 5000), 4500);
    }

    #[test]
    fn offline_cores_are_kept() {
        // TX2 with the Denver cores off: /proc/stat lists cpu0, cpu3-5.
        let online = |id| Core { id, per_mille: Some(100), freq_khz: None, online: true };
        let mut cpu = Cpu {
            total_per_mille: Some(100),
            cores: vec![online(0), online(3), online(4), online(5)],
        };
        let present = edgestat_parsers::sysfs::cpulist::parse(b"0-5\n").unwrap();
        add_offline(&mut cpu, &present);
        let shown: Vec<(u32, bool)> = cpu.cores.iter().map(|c| (c.id, c.online)).collect();
        assert_eq!(shown, [(0, true), (1, false), (2, false), (3, true), (4, true), (5, true)]);
    }
}
