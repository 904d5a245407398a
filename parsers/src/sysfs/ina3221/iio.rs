//! NVIDIA's legacy IIO driver `ina3221x` (L4T ≤ 32: TX1, TX2, Nano, Xavier).
//!
//! ```text
//! /sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0/rail_name_0          POM_5V_IN
//! /sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0/in_power0_input      1020
//! /sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0/warn_current_limit_0 32760 ma
//! ```
//! Channels 0–2, each with `rail_name_<ch>`, `in_current<ch>_input` (mA),
//! `in_voltage<ch>_input` (mV), `in_power<ch>_input` (mW),
//! `warn_current_limit_<ch>` and `crit_current_limit_<ch>` (mA).

use edgestat_core::sysfs::{Ina3221, Ina3221Driver, ReadFault};

use super::{Attr, Slots, numbered};
use crate::error::{Error, ErrorKind};

/// File name patterns: prefix, suffix, attribute.
const FILES: [(&str, &str, Attr); 6] = [
    ("rail_name_", "", Attr::Label),
    ("in_current", "_input", Attr::MilliAmps),
    ("in_voltage", "_input", Attr::MilliVolts),
    ("in_power", "_input", Attr::MilliWatts),
    ("warn_current_limit_", "", Attr::MaxMilliAmps),
    ("crit_current_limit_", "", Attr::CritMilliAmps),
];

/// Reads one `iio:device<N>` directory given as `(file name, contents)` pairs.
pub fn parse_dir<'a>(
    files: impl IntoIterator<Item = (&'a str, Result<&'a [u8], ReadFault>)>,
) -> Result<Ina3221, Error> {
    let mut slots = Slots::new();
    for (name, file) in files {
        let Some((ch, attr)) =
            FILES.iter().find_map(|&(p, s, attr)| Some((numbered(name, p, s)?, attr)))
        else {
            continue;
        };
        let channel = u8::try_from(ch)
            .ok()
            .filter(|&c| c < 3)
            .ok_or(Error::new(ErrorKind::Capacity, "ina3221 channels"))?;
        slots.apply(usize::from(channel), channel, attr, file)?;
    }
    slots.finish(Ina3221Driver::Iio)
}
