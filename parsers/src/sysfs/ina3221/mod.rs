//! INA3221 triple power monitors on Jetson boards, both driver generations.
//!
//! ```text
//! …/ina3221x/6-0040/iio:device0/rail_name_0          POM_5V_IN
//! …/ina3221x/6-0040/iio:device0/warn_current_limit_0 32760 ma
//! …/ina3221/1-0040/hwmon/hwmon3/in1_label            VDD_GPU_SOC
//! …/ina3221/1-0040/hwmon/hwmon3/in7_label            sum of shunt voltages
//! ```
//! [`iio::parse_dir`] reads NVIDIA's legacy IIO driver `ina3221x`
//! (L4T ≤ 32), [`hwmon::parse_dir`] the mainline hwmon driver `ina3221`
//! (L4T ≥ 34). Both take the directory as `(file name, contents or
//! ReadFault)` pairs in any order: a file that failed to read (`Input/output
//! error`) leaves its one value `None`, files of other attributes (`uevent`,
//! `name`, `samples`, …) are ignored, and an attribute of a channel beyond
//! [`MAX_INA3221_CHANNELS`] is a capacity error. A label `NC` marks an
//! unconnected channel; `sum of shunt voltages` the hwmon summation channel.

pub mod hwmon;
pub mod iio;

use edgestat_core::sysfs::{
    ChannelKind, Ina3221, Ina3221Channel, Ina3221Driver, MAX_INA3221_CHANNELS, ReadFault, power_mw,
};

use crate::error::{Error, ErrorKind};
use crate::lex::{self, Res};

/// The label of the hwmon summation channel (`in7_label`).
pub const SHUNT_SUM_LABEL: &str = "sum of shunt voltages";

/// The label of an unconnected channel.
pub const NOT_CONNECTED_LABEL: &str = "NC";

/// A channel attribute both drivers map their files to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attr {
    Label,
    MilliVolts,
    MilliAmps,
    MilliWatts,
    ShuntMicroVolts,
    MaxMilliAmps,
    CritMilliAmps,
    MaxAlarm,
    CritAlarm,
}

/// Channels being filled, by slot (0–2 the inputs, 3 the summation channel).
struct Slots([Option<Ina3221Channel>; MAX_INA3221_CHANNELS]);

impl Slots {
    const fn new() -> Self {
        Self([None, None, None, None])
    }

    /// Records one file: `slot` is the model position, `channel` the
    /// driver's channel number.
    fn apply(
        &mut self,
        slot: usize,
        channel: u8,
        attr: Attr,
        file: Result<&[u8], ReadFault>,
    ) -> Result<(), Error> {
        let entry =
            self.0.get_mut(slot).ok_or(Error::new(ErrorKind::Capacity, "ina3221 channels"))?;
        let ch = entry.get_or_insert_with(|| Ina3221Channel::new(channel));
        let Ok(contents) = file else { return Ok(()) };
        match attr {
            Attr::Label => ch.label = Some(super::text(contents, "ina3221 label")?),
            Attr::MilliVolts => ch.millivolts = Some(super::integer(contents, "ina3221 voltage")?),
            Attr::MilliAmps => ch.milliamps = Some(super::integer(contents, "ina3221 current")?),
            Attr::MilliWatts => ch.milliwatts = Some(super::integer(contents, "ina3221 power")?),
            Attr::ShuntMicroVolts => {
                ch.shunt_microvolts = Some(super::integer(contents, "ina3221 shunt voltage")?);
            }
            Attr::MaxMilliAmps => ch.max_milliamps = Some(limit(contents, "ina3221 warn limit")?),
            Attr::CritMilliAmps => ch.crit_milliamps = Some(limit(contents, "ina3221 crit limit")?),
            Attr::MaxAlarm => ch.max_alarm = Some(super::alarm::parse(contents)?),
            Attr::CritAlarm => ch.crit_alarm = Some(super::alarm::parse(contents)?),
        }
        Ok(())
    }

    /// Classifies channels, computes hwmon power and keeps the present ones
    /// in slot order.
    fn finish(self, driver: Ina3221Driver) -> Result<Ina3221, Error> {
        let mut out = Ina3221 { driver, channels: heapless::Vec::new() };
        for mut ch in self.0.into_iter().flatten() {
            ch.kind = match ch.label.as_deref() {
                Some(NOT_CONNECTED_LABEL) => ChannelKind::NotConnected,
                Some(SHUNT_SUM_LABEL) => ChannelKind::ShuntSum,
                _ => ChannelKind::Rail,
            };
            if driver == Ina3221Driver::Hwmon && ch.kind != ChannelKind::ShuntSum {
                if let (Some(mv), Some(ma)) = (ch.millivolts, ch.milliamps) {
                    let mw =
                        power_mw(mv, ma).ok_or(Error::new(ErrorKind::Range, "ina3221 power"))?;
                    ch.milliwatts = Some(mw);
                }
            }
            edgestat_core::name::push(&mut out.channels, ch, "ina3221 channels")?;
        }
        if out.channels.is_empty() {
            return Err(Error::missing("ina3221 channels"));
        }
        Ok(out)
    }
}

/// A current limit in mA: `32760`, or the IIO driver's `32760 ma`.
fn limit(input: &[u8], field: &'static str) -> Result<i32, Error> {
    let value = lex::complete(input, field, limit_value)?;
    i32::try_from(value).map_err(|_| Error::new(ErrorKind::Range, field))
}

fn limit_value(input: &[u8]) -> Res<'_, i64> {
    let (rest, value) = super::signed(input)?;
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    let rest = rest.strip_prefix(b"ma").or_else(|| rest.strip_prefix(b"mA")).unwrap_or(rest);
    Ok((rest, value))
}

/// Splits `<prefix><digits><suffix>` and returns the number.
fn numbered(name: &str, prefix: &str, suffix: &str) -> Option<u32> {
    let digits = name.strip_prefix(prefix)?.strip_suffix(suffix)?;
    if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}
