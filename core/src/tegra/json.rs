//! A tegrastats sample as the seed 000 `GET /api/status` object.
//!
//! ```json
//! {"timestamp":"2025-10-26T05:10:54","cpu":{"cores":[{"id":0,"usage":5,"freq":729,"online":true}]},
//!  "gpu":{"gr3d_freq":305,"load":0,"gpc_freqs":[305,305]},
//!  "memory":{"ram":{"used":6879,"total":62841,"unit":"MB","lfb":{..}},"swap":{..},"iram":null},
//!  "temperature":{"cpu":47.687},"power":{"VDD_GPU_SOC":{"current":2801,"average":2801,"unit":"mW"}},
//!  "emc":{"load":0,"freq":2133},"engines":{"NVENC":{"online":false,"load":null,"freq":null}},
//!  "ape":174,"mts":null}
//! ```
//! Rules: temperature keys are lower-cased and `-256C` is `null`; JetPack 7
//! peaks go in `temperature_peak`; rail keys are as printed; a repeated name
//! gets `_2`, `_3`, …; tokens the parser did not know go in `unknown`.

use serde::ser::{SerializeMap, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use super::{Core, Cpu, Emc, Engine, EngineState, Gr3d, Iram, Lfb, Rail, Ram, Swap, TegraSample};
use super::{Reading, Temperature, Unknown};
use crate::json::{Milli, unique_key};

impl Serialize for TegraSample {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("timestamp", &self.timestamp)?;
        map.serialize_entry("cpu", &self.cpu)?;
        map.serialize_entry("gpu", &GpuView(self.gpus.first()))?;
        for gpu in self.gpus.iter().skip(1) {
            let key = unique_key(core::iter::once(gpu.name.as_str()), 0, true);
            map.serialize_entry(key.as_str(), &GpuView(Some(gpu)))?;
        }
        map.serialize_entry("memory", &Memory(self))?;
        map.serialize_entry("temperature", &Temperatures(&self.temperatures, false))?;
        if self.temperatures.iter().any(|t| t.peak.is_some()) {
            map.serialize_entry("temperature_peak", &Temperatures(&self.temperatures, true))?;
        }
        map.serialize_entry("power", &Rails(&self.rails))?;
        map.serialize_entry("emc", &EmcView(self.emc.as_ref()))?;
        map.serialize_entry("engines", &Engines(&self.engines))?;
        map.serialize_entry("ape", &self.ape)?;
        map.serialize_entry("mts", &self.mts.map(|m| Pair(m.fg, m.bg)))?;
        if self.unknown.count > 0 {
            map.serialize_entry("unknown", &self.unknown)?;
        }
        map.end()
    }
}

impl Serialize for Cpu {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Cores<'a>(&'a Cpu);
        impl Serialize for Cores<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(Some(self.0.cores.len()))?;
                for (id, core) in self.0.cores.iter().enumerate() {
                    seq.serialize_element(&CoreView { id, core, shared: self.0.shared_freq_mhz })?;
                }
                seq.end()
            }
        }
        let mut s = serializer.serialize_struct("Cpu", 1)?;
        s.serialize_field("cores", &Cores(self))?;
        s.end()
    }
}

struct CoreView<'a> {
    id: usize,
    core: &'a Core,
    shared: Option<u32>,
}

impl Serialize for CoreView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (usage, freq, online) = match *self.core {
            Core::Off => (None, None, false),
            Core::On { load, freq_mhz } => (Some(load), freq_mhz.or(self.shared), true),
        };
        let mut s = serializer.serialize_struct("Core", 4)?;
        s.serialize_field("id", &self.id)?;
        s.serialize_field("usage", &usage)?;
        s.serialize_field("freq", &freq)?;
        s.serialize_field("online", &online)?;
        s.end()
    }
}

struct GpuView<'a>(Option<&'a Gr3d>);

impl Serialize for GpuView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let empty: &[u32] = &[];
        let (freq, load, freqs) = match self.0 {
            Some(g) => (g.freqs_mhz.first().copied(), g.load, g.freqs_mhz.as_slice()),
            None => (None, None, empty),
        };
        let mut s = serializer.serialize_struct("Gpu", 3)?;
        s.serialize_field("gr3d_freq", &freq)?;
        s.serialize_field("load", &load)?;
        s.serialize_field("gpc_freqs", freqs)?;
        s.end()
    }
}

struct Memory<'a>(&'a TegraSample);

impl Serialize for Memory<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Memory", 3)?;
        s.serialize_field("ram", &self.0.ram)?;
        s.serialize_field("swap", &self.0.swap)?;
        s.serialize_field("iram", &self.0.iram)?;
        s.end()
    }
}

impl Serialize for Ram {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Ram", 4)?;
        s.serialize_field("used", &self.used_mb)?;
        s.serialize_field("total", &self.total_mb)?;
        s.serialize_field("unit", "MB")?;
        s.serialize_field("lfb", &self.lfb)?;
        s.end()
    }
}

impl Serialize for Lfb {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Lfb", 3)?;
        s.serialize_field("blocks", &self.count)?;
        s.serialize_field("size", &self.size)?;
        s.serialize_field("unit", self.unit.as_str())?;
        s.end()
    }
}

impl Serialize for Swap {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Swap", 4)?;
        s.serialize_field("used", &self.used_mb)?;
        s.serialize_field("total", &self.total_mb)?;
        s.serialize_field("unit", "MB")?;
        s.serialize_field("cached", &self.cached_mb)?;
        s.end()
    }
}

impl Serialize for Iram {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Iram", 4)?;
        s.serialize_field("used", &self.used_kb)?;
        s.serialize_field("total", &self.total_kb)?;
        s.serialize_field("unit", "kB")?;
        s.serialize_field("lfb", &self.lfb_kb)?;
        s.end()
    }
}

struct Temperatures<'a>(&'a [Temperature], bool);

impl Serialize for Temperatures<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (temps, peaks) = (self.0, self.1);
        let names = temps.iter().map(|t| t.name.as_str());
        let mut map = serializer.serialize_map(None)?;
        for (i, t) in temps.iter().enumerate() {
            let reading = if peaks {
                match t.peak {
                    Some(p) => p,
                    None => continue,
                }
            } else {
                t.current
            };
            let key = unique_key(names.clone(), i, true);
            map.serialize_entry(key.as_str(), &celsius(reading))?;
        }
        map.end()
    }
}

/// A reading as °C, `None` for the `-256C` sentinel.
fn celsius(reading: Reading) -> Option<Milli> {
    reading.milli().map(|m| Milli(i64::from(m)))
}

struct Rails<'a>(&'a [Rail]);

impl Serialize for Rails<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let names = self.0.iter().map(|r| r.name.as_str());
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (i, rail) in self.0.iter().enumerate() {
            let key = unique_key(names.clone(), i, false);
            map.serialize_entry(key.as_str(), rail)?;
        }
        map.end()
    }
}

impl Serialize for Rail {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_map(None)?;
        s.serialize_entry("current", &self.current_mw)?;
        s.serialize_entry("average", &self.average_mw)?;
        if let Some(peak) = self.peak_mw {
            s.serialize_entry("peak", &peak)?;
        }
        s.serialize_entry("unit", "mW")?;
        s.end()
    }
}

struct EmcView<'a>(Option<&'a Emc>);

impl Serialize for EmcView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Emc", 2)?;
        s.serialize_field("load", &self.0.map(|e| e.load))?;
        s.serialize_field("freq", &self.0.and_then(|e| e.freq_mhz))?;
        s.end()
    }
}

struct Engines<'a>(&'a [Engine]);

impl Serialize for Engines<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let names = self.0.iter().map(|e| e.name.as_str());
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (i, engine) in self.0.iter().enumerate() {
            let key = unique_key(names.clone(), i, false);
            map.serialize_entry(key.as_str(), &engine.state)?;
        }
        map.end()
    }
}

impl Serialize for EngineState {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (online, load, freq) = match *self {
            EngineState::Off => (false, None, None),
            EngineState::Load { load, freq_mhz } => (true, Some(load), Some(freq_mhz)),
            EngineState::Freq(f) | EngineState::AtFreq(f) => (true, None, Some(f)),
        };
        let mut s = serializer.serialize_struct("Engine", 3)?;
        s.serialize_field("online", &online)?;
        s.serialize_field("load", &load)?;
        s.serialize_field("freq", &freq)?;
        s.end()
    }
}

/// `MTS fg x% bg y%` as `{"fg":x,"bg":y}`.
struct Pair(u16, u16);

impl Serialize for Pair {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Mts", 2)?;
        s.serialize_field("fg", &self.0)?;
        s.serialize_field("bg", &self.1)?;
        s.end()
    }
}

impl Serialize for Unknown {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Unknown", 2)?;
        s.serialize_field("count", &self.count)?;
        s.serialize_field("tokens", &Tokens(self))?;
        s.end()
    }
}

struct Tokens<'a>(&'a Unknown);

impl Serialize for Tokens<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.tokens.len()))?;
        for t in &self.0.tokens {
            seq.serialize_element(t.as_str())?;
        }
        seq.end()
    }
}
