//! `vcgencmd measure_temp`: the SoC temperature.
//!
//! ```text
//! temp=42.8'C
//! ```

use edgestat_core::pi::Temperature;

use nom::Parser;
use nom::bytes::complete::tag;
use nom::sequence::delimited;

use super::one_line;
use crate::error::{Error, ErrorKind};
use crate::lex::{Res, fixed};

const FIELD: &str = "measure_temp";

/// Parses a `measure_temp` reply into milli-°C.
pub fn parse(input: &[u8]) -> Result<Temperature, Error> {
    let milli = one_line(input, FIELD, temp)?;
    let milli_celsius = i32::try_from(milli).map_err(|_| Error::new(ErrorKind::Range, FIELD))?;
    Ok(Temperature { milli_celsius })
}

/// `temp=<°C>'C`.
fn temp(input: &[u8]) -> Res<'_, i64> {
    delimited(tag("temp="), milli_celsius, tag("'C")).parse(input)
}

/// Degrees with up to three decimals, as milli-°C.
fn milli_celsius(input: &[u8]) -> Res<'_, i64> {
    fixed(input, 3)
}
