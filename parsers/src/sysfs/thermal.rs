//! Thermal zones: `/sys/class/thermal/thermal_zone<N>/type` and `temp`.
//!
//! ```text
//! thermal_zone0/type   cpu-thermal
//! thermal_zone0/temp   44388
//! ```
//! `temp` is milli-°C as a decimal integer and a newline, negative below
//! 0 °C. Reading it can fail: `EINVAL` on a Pi 3B+ with a 64-bit 5.10
//! kernel, `EAGAIN` on Orin `cv0..cv2-thermal` while the CV cluster is off.
//! The caller reads the file and passes the failure as a
//! [`ReadFault`] to [`zone`]; it is never turned into a reading. On Orin
//! the `cv*` zones can also read exactly `0`: that is what the kernel
//! returned, and it is kept as a real 0 °C reading.

use edgestat_core::Name;
use edgestat_core::sysfs::{ReadFault, ThermalZone};

use crate::error::Error;

/// Parses a `temp` file into milli-°C.
pub fn parse_temp(input: &[u8]) -> Result<i32, Error> {
    super::integer(input, "temp")
}

/// Parses a `type` file into the zone's name.
pub fn parse_type(input: &[u8]) -> Result<Name, Error> {
    super::text(input, "type")
}

/// Builds zone `index` from its `type` contents and its `temp` contents or
/// read failure.
pub fn zone(
    index: u32,
    type_file: &[u8],
    temp_file: Result<&[u8], ReadFault>,
) -> Result<ThermalZone, Error> {
    let name = parse_type(type_file)?;
    let milli_celsius = match temp_file {
        Ok(contents) => Ok(parse_temp(contents)?),
        Err(fault) => Err(fault),
    };
    Ok(ThermalZone { index, name, milli_celsius })
}
