//! The mainline hwmon driver `ina3221` (L4T ≥ 34: Orin, Thor carriers).
//!
//! ```text
//! /sys/bus/i2c/drivers/ina3221/1-0040/hwmon/hwmon3/in1_label     VDD_GPU_SOC
//! /sys/bus/i2c/drivers/ina3221/1-0040/hwmon/hwmon3/in1_input     5072
//! /sys/bus/i2c/drivers/ina3221/1-0040/hwmon/hwmon3/curr1_input   568
//! /sys/bus/i2c/drivers/ina3221/1-0040/hwmon/hwmon3/in7_label     sum of shunt voltages
//! ```
//! Channels 1–3: `in<ch>_label`, `in<ch>_input` (bus mV), `curr<ch>_input`
//! (mA), `curr<ch>_max` and `curr<ch>_crit` (mA), `curr<ch>_max_alarm` and
//! `curr<ch>_crit_alarm`, and `in<ch+3>_input` (shunt µV). The summation
//! channel 7 has `in7_label`, `in7_input` (µV) and `curr4_input`,
//! `curr4_crit`, `curr4_crit_alarm`. There is no power file: power is
//! [`power_mw`](edgestat_core::sysfs::power_mw) of `in<ch>_input` and
//! `curr<ch>_input` (exact, rounded to the nearest mW, halves away from 0).

use edgestat_core::sysfs::{Ina3221, Ina3221Driver, ReadFault};

use super::{Attr, Slots, numbered};
use crate::error::{Error, ErrorKind};

/// Model slot of the summation channel.
const SUM_SLOT: usize = 3;
/// The driver's voltage channel number of the summation channel.
const SUM_CHANNEL: u8 = 7;

/// Reads one `hwmon<N>` directory given as `(file name, contents)` pairs.
pub fn parse_dir<'a>(
    files: impl IntoIterator<Item = (&'a str, Result<&'a [u8], ReadFault>)>,
) -> Result<Ina3221, Error> {
    let mut slots = Slots::new();
    for (name, file) in files {
        let Some((n, attr, is_in)) = classify(name) else {
            continue;
        };
        let (slot, attr) = match (is_in, n, attr) {
            (true, 1..=3, _) | (false, 1..=3, _) => (n - 1, attr),
            (true, 4..=6, Attr::MilliVolts) => (n - 4, Attr::ShuntMicroVolts),
            (true, 4..=6, _) => continue,
            (true, 7, Attr::MilliVolts) => (SUM_SLOT, Attr::ShuntMicroVolts),
            (true, 7, _) | (false, 4, _) => (SUM_SLOT, attr),
            _ => return Err(Error::new(ErrorKind::Capacity, "ina3221 channels")),
        };
        let channel = match slot {
            SUM_SLOT => SUM_CHANNEL,
            s => u8::try_from(s + 1).unwrap_or(u8::MAX),
        };
        slots.apply(slot, channel, attr, file)?;
    }
    slots.finish(Ina3221Driver::Hwmon)
}

/// `in<n>_<attr>` or `curr<n>_<attr>`: the number, the attribute, and
/// whether it is an `in` file.
fn classify(name: &str) -> Option<(usize, Attr, bool)> {
    const IN: [(&str, Attr); 2] = [("_label", Attr::Label), ("_input", Attr::MilliVolts)];
    const CURR: [(&str, Attr); 5] = [
        ("_input", Attr::MilliAmps),
        ("_max", Attr::MaxMilliAmps),
        ("_crit", Attr::CritMilliAmps),
        ("_max_alarm", Attr::MaxAlarm),
        ("_crit_alarm", Attr::CritAlarm),
    ];
    let found = IN
        .iter()
        .find_map(|&(s, a)| Some((numbered(name, "in", s)?, a, true)))
        .or_else(|| CURR.iter().find_map(|&(s, a)| Some((numbered(name, "curr", s)?, a, false))))?;
    Some((usize::try_from(found.0).ok()?, found.1, found.2))
}
