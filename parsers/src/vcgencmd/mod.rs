//! Raspberry Pi `vcgencmd` replies, one module per command.
//!
//! Each module has one `parse(&[u8])` that takes the command's whole
//! stdout and returns its [`edgestat_core::pi`] model:
//!
//! | module | command | real output |
//! |---|---|---|
//! | [`measure_temp`] | `measure_temp` | `temp=42.8'C` |
//! | [`measure_clock`] | `measure_clock <clock>` | `frequency(48)=600169920` |
//! | [`measure_volts`] | `measure_volts [core\|sdram_c\|sdram_i\|sdram_p]` | `volt=0.8600V` |
//! | [`get_throttled`] | `get_throttled` | `throttled=0x50005` |
//! | [`get_mem`] | `get_mem arm\|gpu` | `arm=948M` |
//! | [`version`] | `version` | `Feb 29 2024 12:24:53` + `Copyright …` + `version f4e2… (clean) (release) (start)` |
//! | [`get_config`] | `get_config int\|str\|<name>` | `arm_freq=1200`, `desired_osc_freq=0x36ee80` |
//! | [`codec_enabled`] | `codec_enabled <codec>` | `H264=enabled` |
//! | [`get_camera`] | `get_camera` | `supported=0 detected=0, libcamera interfaces=0` |
//! | [`commands`] | `commands` | `commands="commands, set_logging, …"` |
//! | [`pmic_read_adc`] | `pmic_read_adc` (Pi 5) | `  VDD_CORE_A current(7)=0.94657990A` |
//! | [`firmware_error`] | any | `error=2 error_msg="Invalid arguments"` |
//!
//! Any command may print the firmware error line instead of its value.
//! Every command's `parse` then fails with
//! [`ErrorKind::Firmware(code)`](crate::ErrorKind::Firmware) in the field
//! named after the command; [`firmware_error::parse`] reads the line itself.

/// The commands this module parses, by the name vcgencmd takes.
pub const COMMANDS: [&str; 11] = [
    "measure_temp",
    "measure_clock",
    "measure_volts",
    "get_throttled",
    "get_mem",
    "version",
    "get_config",
    "codec_enabled",
    "get_camera",
    "commands",
    "pmic_read_adc",
];

pub mod codec_enabled;
pub mod commands;
pub mod firmware_error;
pub mod get_camera;
pub mod get_config;
pub mod get_mem;
pub mod get_throttled;
pub mod measure_clock;
pub mod measure_temp;
pub mod measure_volts;
pub mod pmic_read_adc;
pub mod version;

use nom::Parser;
use nom::bytes::complete::take_while1;

use crate::error::{Error, ErrorKind};
use crate::lex::{self, Res};

/// Fails with the firmware's error code in `field` when `input` is the
/// `error=<n> error_msg="…"` line instead of a value.
fn reject_firmware_error(input: &[u8], field: &'static str) -> Result<(), Error> {
    if !lex::trim(input).starts_with(b"error=") {
        return Ok(());
    }
    match firmware_error::parse(input) {
        Ok(e) => Err(Error::new(ErrorKind::Firmware(e.code), field)),
        Err(_) => Err(Error::syntax(field)),
    }
}

/// Runs a one-line grammar over a whole reply, after the firmware-error check.
fn one_line<'a, T>(
    input: &'a [u8],
    field: &'static str,
    parser: impl FnOnce(&'a [u8]) -> Res<'a, T>,
) -> Result<T, Error> {
    reject_firmware_error(input, field)?;
    lex::complete(input, field, parser)
}

/// A name in vcgencmd replies (`arm`, `H264`, `3V3_SYS`, `get_mem`).
fn word(input: &[u8]) -> Res<'_, &[u8]> {
    take_while1(is_word).parse(input)
}

/// A name character in vcgencmd replies.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}
