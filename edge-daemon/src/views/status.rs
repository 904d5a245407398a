//! Seed 000 (tegrastats-api): `/api/status` and its sections, in that
//! document's exact shapes. Also the Socket.IO `tegrastats_update` payload
//! and the `status` of `/api/ws`'s stats message: the same bytes.
//!
//! ```json
//! {"cpu":{"cores":[{"id":0,"usage":15,"freq":1200}]},"gpu":{"gr3d_freq":850},
//!  "memory":{"ram":{"used":2514,"total":62841,"unit":"MB"},
//!            "swap":{"used":0,"total":31421,"unit":"MB","cached":0}},
//!  "temperature":{"cpu":47.125,"tj":47.125},
//!  "power":{"VDD_IN":{"current":4940,"average":4940,"unit":"mW"}},
//!  "timestamp":"2025-10-03T06:33:49.223455Z"}
//! ```
//! Additive keys: `cpu.usage` (all cores), `cores[].online`, `gpu.load`,
//! `power.<rail>.peak` where the board reports one, and on a Jetson with
//! tegrastats running, `tegrastats`: the whole latest line as
//! `edgestat parse tegrastats` writes it (EMC, engines, APE, …).

use edgestat_core::json::unique_key;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::json::{Iso, MapOf, Milli, SeqOf};
use crate::model::Sample;

/// Which part of the status a route returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// `/api/status`: everything.
    Status,
    /// `/api/cpu`.
    Cpu,
    /// `/api/memory`.
    Memory,
    /// `/api/temperature`.
    Temperature,
    /// `/api/power`.
    Power,
}

/// The response object of `section`.
pub struct Status<'a>(pub &'a Sample, pub Section);

impl Serialize for Status<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Status(s, section) = *self;
        let all = section == Section::Status;
        let mut map = serializer.serialize_map(None)?;
        if all || section == Section::Cpu {
            map.serialize_entry("cpu", &Cpu(s))?;
        }
        if all {
            map.serialize_entry("gpu", &Gpu(s))?;
        }
        if all || section == Section::Memory {
            map.serialize_entry("memory", &Memory(s))?;
        }
        if all || section == Section::Temperature {
            map.serialize_entry("temperature", &Temperatures(s))?;
        }
        if all || section == Section::Power {
            map.serialize_entry("power", &Power(s))?;
        }
        map.serialize_entry("timestamp", &Iso(s.unix_micros))?;
        if all {
            if let Some(tegra) = &s.tegra {
                map.serialize_entry("tegrastats", tegra.as_ref())?;
            }
        }
        map.end()
    }
}

/// Percent, rounded, from per mille.
fn percent(per_mille: u16) -> u16 {
    (per_mille + 5) / 10
}

struct Cpu<'a>(&'a Sample);

impl Serialize for Cpu<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Core {
            id: u32,
            usage: Option<u16>,
            freq: Option<u32>,
            online: bool,
        }
        let cpu = &self.0.cpu;
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry(
            "cores",
            &SeqOf(|| {
                cpu.cores.iter().map(|c| Core {
                    id: c.id,
                    usage: c.per_mille.map(percent),
                    freq: c.freq_khz.map(|khz| (khz + 500) / 1000),
                    online: c.online,
                })
            }),
        )?;
        map.serialize_entry("usage", &cpu.total_per_mille.map(percent))?;
        map.end()
    }
}

struct Gpu<'a>(&'a Sample);

impl Serialize for Gpu<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let gpu = self.0.gpu;
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry(
            "gr3d_freq",
            &gpu.freq_hz.map(|hz| u32::try_from((hz + 500_000) / 1_000_000).unwrap_or(u32::MAX)),
        )?;
        map.serialize_entry("load", &gpu.load_per_mille.map(percent))?;
        map.end()
    }
}

struct Memory<'a>(&'a Sample);

impl Serialize for Memory<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Ram {
            used: u64,
            total: u64,
            unit: &'static str,
        }
        #[derive(Serialize)]
        struct Swap {
            used: u64,
            total: u64,
            unit: &'static str,
            cached: Option<u64>,
        }
        let memory = self.0.memory;
        let mb = |kb: u64| kb / 1024;
        let ram =
            memory.ram.map(|r| Ram { used: mb(r.used_kb), total: mb(r.total_kb), unit: "MB" });
        let swap = memory.swap.map(|s| Swap {
            used: mb(s.used_kb),
            total: mb(s.total_kb),
            unit: "MB",
            cached: s.cached_kb.map(mb),
        });
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("ram", &ram)?;
        map.serialize_entry("swap", &swap)?;
        map.end()
    }
}

struct Temperatures<'a>(&'a Sample);

impl Serialize for Temperatures<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let temps = &self.0.temperatures;
        let names = || temps.iter().map(|t| t.role.as_str());
        MapOf(|| {
            temps.iter().enumerate().map(move |(i, t)| {
                (unique_key(names(), i, true), t.milli_celsius.map(|m| Milli(m.into())))
            })
        })
        .serialize(serializer)
    }
}

struct Power<'a>(&'a Sample);

impl Serialize for Power<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Rail {
            current: u32,
            average: u32,
            unit: &'static str,
            #[serde(skip_serializing_if = "Option::is_none")]
            peak: Option<u32>,
        }
        let rails = &self.0.rails;
        let names = || rails.iter().map(|r| r.name.as_str());
        MapOf(|| {
            rails.iter().enumerate().map(move |(i, r)| {
                let rail = Rail {
                    current: r.power_mw,
                    average: r.average_mw,
                    unit: "mW",
                    peak: r.peak_mw,
                };
                (unique_key(names(), i, false), rail)
            })
        })
        .serialize(serializer)
    }
}
