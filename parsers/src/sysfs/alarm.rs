//! hwmon alarm files: `0` or `1`.
//!
//! ```text
//! /sys/class/hwmon/hwmon1/in0_lcrit_alarm   0
//! ```
//! On a Raspberry Pi, `in0_lcrit_alarm` of the `rpi_volt` hwmon device is
//! `1` while the supply is under-voltage. The INA3221 `curr<ch>_max_alarm`
//! and `curr<ch>_crit_alarm` files have the same format.

use crate::error::Error;
use crate::lex;

/// Parses an alarm file: `0` is `false`, `1` is `true`.
pub fn parse(input: &[u8]) -> Result<bool, Error> {
    match lex::complete(input, "alarm", lex::uint)? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(Error::syntax("alarm")),
    }
}
