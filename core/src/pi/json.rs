//! vcgencmd replies as the `edgestat parse vcgencmd <command>` JSON objects.
//!
//! ```json
//! {"temp":42.8}
//! {"clock":"arm","id":48,"hz":600169920}
//! {"volts":0.86}
//! {"raw":327685,"under_voltage":true,…,"soft_temp_limit_occurred":false}
//! {"mb":76}
//! {"date":"2024-02-29T12:24:53","hash":"f4e2…","clean":true,"variant":"start"}
//! {"arm_freq":1200,"desired_osc_freq":3600000}
//! {"rails":{"VDD_CORE":{"current":0.9465799,"volts":0.7209762},"EXT5V":{"current":null,"volts":5.11478}}}
//! {"codec":"H264","enabled":true}
//! {"supported":0,"detected":0,"libcamera_interfaces":0}
//! {"commands":["commands","set_logging"]}
//! {"error":{"code":2,"message":"Invalid arguments"}}
//! ```

use serde::ser::{SerializeMap, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use super::{
    AdcReading, Camera, ClockReading, Codec, Commands, Config, ConfigValue, FirmwareError,
    FirmwareVersion, Memory, Pmic, PmicRail, Temperature, Throttled, Volts,
};
use crate::json::{Milli, Scaled};

impl Serialize for Temperature {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Temperature", 1)?;
        s.serialize_field("temp", &Milli(i64::from(self.milli_celsius)))?;
        s.end()
    }
}

/// A [`ClockReading`] with the clock name the caller asked for, serialized
/// as `{"clock":"arm","id":48,"hz":600169920}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NamedClock<'a> {
    /// The `measure_clock` argument (`arm`, `core`, …).
    pub clock: &'a str,
    /// The parsed reply.
    pub reading: &'a ClockReading,
}

impl Serialize for NamedClock<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Clock", 3)?;
        s.serialize_field("clock", self.clock)?;
        s.serialize_field("id", &self.reading.id)?;
        s.serialize_field("hz", &self.reading.hz)?;
        s.end()
    }
}

impl Serialize for ClockReading {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("ClockReading", 2)?;
        s.serialize_field("id", &self.id)?;
        s.serialize_field("hz", &self.hz)?;
        s.end()
    }
}

impl Serialize for Volts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Volts", 1)?;
        s.serialize_field("volts", &Scaled(i64::from(self.microvolts), 1_000_000))?;
        s.end()
    }
}

impl Serialize for Throttled {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Throttled", 9)?;
        s.serialize_field("raw", &self.raw)?;
        s.serialize_field("under_voltage", &self.under_voltage())?;
        s.serialize_field("arm_freq_capped", &self.arm_freq_capped())?;
        s.serialize_field("throttled", &self.throttled())?;
        s.serialize_field("soft_temp_limit", &self.soft_temp_limit())?;
        s.serialize_field("under_voltage_occurred", &self.under_voltage_occurred())?;
        s.serialize_field("arm_freq_capped_occurred", &self.arm_freq_capped_occurred())?;
        s.serialize_field("throttled_occurred", &self.throttled_occurred())?;
        s.serialize_field("soft_temp_limit_occurred", &self.soft_temp_limit_occurred())?;
        s.end()
    }
}

impl Serialize for Memory {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Memory", 1)?;
        s.serialize_field("mb", &self.mb)?;
        s.end()
    }
}

impl Serialize for FirmwareVersion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("FirmwareVersion", 4)?;
        s.serialize_field("date", &self.date)?;
        s.serialize_field("hash", self.hash.as_str())?;
        s.serialize_field("clean", &self.clean)?;
        s.serialize_field("variant", &self.variant.as_ref().map(|v| v.as_str()))?;
        s.end()
    }
}

impl Serialize for Config {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for entry in &self.entries {
            map.serialize_entry(entry.key.as_str(), &entry.value)?;
        }
        map.end()
    }
}

impl Serialize for ConfigValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ConfigValue::Int(v) => serializer.serialize_i64(*v),
            ConfigValue::Str(v) => serializer.serialize_str(v),
        }
    }
}

impl Serialize for Codec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Codec", 2)?;
        s.serialize_field("codec", self.codec.as_str())?;
        s.serialize_field("enabled", &self.enabled)?;
        s.end()
    }
}

impl Serialize for Camera {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Camera", 3)?;
        s.serialize_field("supported", &self.supported)?;
        s.serialize_field("detected", &self.detected)?;
        s.serialize_field("libcamera_interfaces", &self.libcamera_interfaces)?;
        s.end()
    }
}

impl Serialize for Commands {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Names<'a>(&'a Commands);
        impl Serialize for Names<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(Some(self.0.names.len()))?;
                for name in &self.0.names {
                    seq.serialize_element(name.as_str())?;
                }
                seq.end()
            }
        }
        let mut s = serializer.serialize_struct("Commands", 1)?;
        s.serialize_field("commands", &Names(self))?;
        s.end()
    }
}

impl Serialize for Pmic {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Rails<'a>(&'a Pmic);
        impl Serialize for Rails<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.0.rails.len()))?;
                for rail in &self.0.rails {
                    map.serialize_entry(rail.name.as_str(), rail)?;
                }
                map.end()
            }
        }
        let mut s = serializer.serialize_struct("Pmic", 1)?;
        s.serialize_field("rails", &Rails(self))?;
        s.end()
    }
}

/// A nano-unit reading as the decimal it stands for (`946579900` → `0.9465799`).
fn nano(reading: Option<AdcReading>) -> Option<Scaled> {
    reading.map(|r| Scaled(r.nano, 1_000_000_000))
}

impl Serialize for PmicRail {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("PmicRail", 2)?;
        s.serialize_field("current", &nano(self.current))?;
        s.serialize_field("volts", &nano(self.volts))?;
        s.end()
    }
}

impl Serialize for FirmwareError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Inner<'a>(&'a FirmwareError);
        impl Serialize for Inner<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut s = serializer.serialize_struct("Error", 2)?;
                s.serialize_field("code", &self.0.code)?;
                s.serialize_field("message", self.0.message.as_str())?;
                s.end()
            }
        }
        let mut s = serializer.serialize_struct("FirmwareError", 1)?;
        s.serialize_field("error", &Inner(self))?;
        s.end()
    }
}
