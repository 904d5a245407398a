//! `vcgencmd measure_volts [core|sdram_c|sdram_i|sdram_p]`: one voltage.
//!
//! ```text
//! volt=0.8600V
//! ```
//! The firmware prints four decimals of a volt; the model keeps µV.

use edgestat_core::pi::Volts;

use nom::Parser;
use nom::bytes::complete::tag;
use nom::sequence::delimited;

use super::one_line;
use crate::error::{Error, ErrorKind};
use crate::lex::{Res, fixed};

const FIELD: &str = "measure_volts";

/// Parses a `measure_volts` reply into µV.
pub fn parse(input: &[u8]) -> Result<Volts, Error> {
    let micro = one_line(input, FIELD, volt)?;
    let microvolts = u32::try_from(micro).map_err(|_| Error::new(ErrorKind::Range, FIELD))?;
    Ok(Volts { microvolts })
}

/// `volt=<V>V`.
fn volt(input: &[u8]) -> Res<'_, i64> {
    delimited(tag("volt="), microvolts, tag("V")).parse(input)
}

/// Volts with up to six decimals, as µV.
fn microvolts(input: &[u8]) -> Res<'_, i64> {
    fixed(input, 6)
}
