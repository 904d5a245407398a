//! One value per role, whatever the board: the sampler reads sysfs first
//! and falls back to the tools (tegrastats, vcgencmd) only for what sysfs
//! lacks, so every facade renders the same choice.

use std::collections::HashMap;

use edgestat_core::Name;
use edgestat_core::pi::Pmic;
use edgestat_core::sysfs::{ChannelKind, Ina3221, ThermalZone};
use edgestat_core::tegra::{Core, TegraSample};

use super::{CoreUse, CpuUse, RailPower, TempReading};

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
pub fn temperatures(zones: &[ThermalZone], tegra: Option<&TegraSample>) -> Vec<TempReading> {
    const SENTINEL: i32 = edgestat_core::tegra::Reading::SENTINEL_MILLI;
    if !zones.is_empty() {
        return zones
            .iter()
            .map(|z| TempReading {
                name: zone_role(&z.name),
                milli_celsius: z.milli_celsius.ok().filter(|&m| m != SENTINEL),
            })
            .collect();
    }
    let Some(tegra) = tegra else { return Vec::new() };
    tegra
        .temperatures
        .iter()
        .map(|t| TempReading { name: zone_role(&t.name), milli_celsius: t.current.milli() })
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
) -> Vec<RailPower> {
    let mut out = Vec::new();
    let channels = ina3221.iter().flat_map(|d| d.channels.iter());
    for channel in channels.filter(|c| c.kind == ChannelKind::Rail) {
        let (Some(name), Some(mw)) = (&channel.label, channel.milliwatts) else { continue };
        let mw = u32::try_from(mw).unwrap_or(0);
        let average_mw = averages.observe(name, mw);
        out.push(RailPower { name: name.clone(), current_mw: mw, average_mw, peak_mw: None });
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
            let average_mw = averages.observe(&rail.name, mw);
            out.push(RailPower {
                name: rail.name.clone(),
                current_mw: mw,
                average_mw,
                peak_mw: None,
            });
        }
        return out;
    }
    let Some(tegra) = tegra else { return out };
    tegra
        .rails
        .iter()
        .map(|r| RailPower {
            name: r.name.clone(),
            current_mw: r.current_mw,
            average_mw: r.average_mw,
            peak_mw: r.peak_mw,
        })
        .collect()
}

/// CPU cores from tegrastats, for a host whose `/proc/stat` failed.
pub fn tegra_cpu(tegra: &TegraSample) -> CpuUse {
    let cores = tegra
        .cpu
        .cores
        .iter()
        .zip(0u32..)
        .map(|(core, id)| match *core {
            Core::Off => CoreUse { id, per_mille: None, freq_khz: None, online: false },
            Core::On { load, freq_mhz } => CoreUse {
                id,
                per_mille: Some(load.saturating_mul(10)),
                freq_khz: freq_mhz.or(tegra.cpu.shared_freq_mhz).map(|f| f.saturating_mul(1000)),
                online: true,
            },
        })
        .collect();
    CpuUse { total_per_mille: None, cores }
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
        assert_eq!((from_tegra[1].name.as_str(), from_tegra[1].milli_celsius), ("gpu", None));
        let mut averages = RailAverages::default();
        let rails = rails(&[], None, Some(&tegra), &mut averages);
        assert_eq!((rails[0].current_mw, rails[0].average_mw), (4940, 4940));
        let cpu = tegra_cpu(&tegra);
        assert_eq!(
            cpu.cores[0],
            CoreUse { id: 0, per_mille: Some(0), freq_khz: Some(2_201_000), online: true }
        );
    }

    #[test]
    fn rail_means_run_since_start() {
        let mut averages = RailAverages::default();
        let name = Name::try_from("VDD_IN").unwrap();
        assert_eq!(averages.observe(&name, 4000), 4000);
        assert_eq!(averages.observe(&name, 5000), 4500);
    }
}

/// Adds the present CPUs `/proc/stat` does not list (offline ones) to
/// `cpu`, in id order, so seed 000's `cores` keeps every core, as
/// tegrastats prints `off` for them.
pub fn add_offline(cpu: &mut CpuUse, present: &edgestat_core::sysfs::CpuSet) {
    for id in present.iter() {
        if !cpu.cores.iter().any(|c| c.id == id) {
            cpu.cores.push(CoreUse { id, per_mille: None, freq_khz: None, online: false });
        }
    }
    cpu.cores.sort_by_key(|c| c.id);
}

#[cfg(test)]
mod offline_tests {
    use super::*;

    #[test]
    fn offline_cores_are_kept() {
        // TX2 with the Denver cores off: /proc/stat lists cpu0, cpu3-5.
        let online = |id| CoreUse { id, per_mille: Some(100), freq_khz: None, online: true };
        let mut cpu = CpuUse {
            total_per_mille: Some(100),
            cores: vec![online(0), online(3), online(4), online(5)],
        };
        let present = edgestat_parsers::sysfs::cpulist::parse(b"0-5\n").unwrap();
        add_offline(&mut cpu, &present);
        let shown: Vec<(u32, bool)> = cpu.cores.iter().map(|c| (c.id, c.online)).collect();
        assert_eq!(shown, [(0, true), (1, false), (2, false), (3, true), (4, true), (5, true)]);
    }
}
