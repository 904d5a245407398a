//! sysfs files, one module per file kind: pure functions over contents.
//!
//! | module | files | real contents |
//! |---|---|---|
//! | [`thermal`] | `/sys/class/thermal/thermal_zone<N>/{type,temp}` | `cpu-thermal`, `44388` |
//! | [`ina3221`] | `…/ina3221x/<bus>-<addr>/iio:device<N>/*` (L4T ≤ 32), `…/ina3221/<bus>-<addr>/hwmon/hwmon<N>/*` (L4T ≥ 34) | `POM_5V_IN`, `32760 ma`, `sum of shunt voltages` |
//! | [`gpu_load`] | `/sys/devices/gpu.0/load` and the per-board paths | `1000` |
//! | [`cpulist`] | `/sys/devices/system/cpu/{present,online,offline}` | `0-3,6` |
//! | [`cpufreq`] | `/sys/devices/system/cpu/cpu<N>/cpufreq/scaling_cur_freq`, … | `1510400` |
//! | [`devfreq`] | `/sys/class/devfreq/<dev>/cur_freq` (Thor `gpu-gpc-0`) | `1575000000` |
//! | [`alarm`] | hwmon `*_alarm`, e.g. the Pi's `in0_lcrit_alarm` | `0` |
//!
//! No I/O happens here: the daemon reads the files (under a configurable
//! root) and passes their bytes. A file that failed to read is passed as a
//! [`ReadFault`](edgestat_core::sysfs::ReadFault) where a function takes
//! one, so one unreadable attribute empties one value, not a whole device.
//! Contents are one value and a newline; surrounding whitespace is ignored,
//! anything else left over is an error.

pub mod alarm;
pub mod cpufreq;
pub mod cpulist;
pub mod devfreq;
pub mod gpu_load;
pub mod ina3221;
pub mod thermal;

use crate::error::{Error, ErrorKind};
use crate::lex::{self, Res, uint};

/// An optionally negative decimal integer.
fn signed(input: &[u8]) -> Res<'_, i64> {
    let (body, negative) = match input.strip_prefix(b"-") {
        Some(rest) => (rest, true),
        None => (input, false),
    };
    let (rest, value) = uint(body)?;
    match i64::try_from(value) {
        Ok(v) => Ok((rest, if negative { -v } else { v })),
        Err(_) => lex::fail(input),
    }
}

/// A whole file holding one decimal integer that must fit `T`.
fn integer<T: TryFrom<i64>>(input: &[u8], field: &'static str) -> Result<T, Error> {
    let value = lex::complete(input, field, signed)?;
    T::try_from(value).map_err(|_| Error::new(ErrorKind::Range, field))
}

/// A whole file holding one name without inner line breaks (`cpu-thermal`,
/// `sum of shunt voltages`).
fn text(input: &[u8], field: &'static str) -> Result<edgestat_core::Name, Error> {
    let body = lex::trim(input);
    if body.is_empty() {
        return Err(Error::new(ErrorKind::Empty, field));
    }
    // A line break or other control byte inside is a second value.
    if body.iter().any(|&b| b.is_ascii_control() && b != b'\t') {
        return Err(Error::new(ErrorKind::Trailing, field));
    }
    lex::name(body, field)
}
