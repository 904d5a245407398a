//! sysfs values as JSON: temperatures become °C, everything else keeps its
//! integer with the unit in the key.
//!
//! ```json
//! {"index":0,"type":"cpu-thermal","temp":44.388,"fault":null}
//! {"driver":"hwmon","channels":[{"channel":1,"kind":"rail","label":"VDD_GPU_SOC",
//!   "mv":5072,"ma":568,"mw":2881,"shunt_uv":null,"max_ma":null,"crit_ma":null,
//!   "max_alarm":null,"crit_alarm":null}]}
//! {"load":100.0}
//! ```

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use super::{
    ChannelKind, CpuFreq, DevFreq, GpuLoad, Ina3221, Ina3221Channel, Ina3221Driver, ReadFault,
    ThermalZone,
};
use crate::json::{Milli, Scaled};

impl Serialize for super::CpuSet {
    /// The CPU numbers, as a JSON array.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl Serialize for ReadFault {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl Serialize for ThermalZone {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (temp, fault) = match self.milli_celsius {
            Ok(m) => (Some(Milli(i64::from(m))), None),
            Err(f) => (None, Some(f)),
        };
        let mut s = serializer.serialize_struct("ThermalZone", 4)?;
        s.serialize_field("index", &self.index)?;
        s.serialize_field("type", self.name.as_str())?;
        s.serialize_field("temp", &temp)?;
        s.serialize_field("fault", &fault)?;
        s.end()
    }
}

impl Serialize for Ina3221Driver {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(match self {
            Ina3221Driver::Iio => "iio",
            Ina3221Driver::Hwmon => "hwmon",
        })
    }
}

impl Serialize for ChannelKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(match self {
            ChannelKind::Rail => "rail",
            ChannelKind::NotConnected => "nc",
            ChannelKind::ShuntSum => "shunt_sum",
        })
    }
}

impl Serialize for Ina3221 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Ina3221", 2)?;
        s.serialize_field("driver", &self.driver)?;
        s.serialize_field("channels", &self.channels)?;
        s.end()
    }
}

impl Serialize for Ina3221Channel {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Ina3221Channel", 11)?;
        s.serialize_field("channel", &self.channel)?;
        s.serialize_field("kind", &self.kind)?;
        s.serialize_field("label", &self.label.as_deref())?;
        s.serialize_field("mv", &self.millivolts)?;
        s.serialize_field("ma", &self.milliamps)?;
        s.serialize_field("mw", &self.milliwatts)?;
        s.serialize_field("shunt_uv", &self.shunt_microvolts)?;
        s.serialize_field("max_ma", &self.max_milliamps)?;
        s.serialize_field("crit_ma", &self.crit_milliamps)?;
        s.serialize_field("max_alarm", &self.max_alarm)?;
        s.serialize_field("crit_alarm", &self.crit_alarm)?;
        s.end()
    }
}

impl Serialize for GpuLoad {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("GpuLoad", 1)?;
        s.serialize_field("load", &Scaled(i64::from(self.per_mille), 10))?;
        s.end()
    }
}

impl Serialize for CpuFreq {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("CpuFreq", 1)?;
        s.serialize_field("khz", &self.khz)?;
        s.end()
    }
}

impl Serialize for DevFreq {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("DevFreq", 1)?;
        s.serialize_field("hz", &self.hz)?;
        s.end()
    }
}
