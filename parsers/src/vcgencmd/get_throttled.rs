//! `vcgencmd get_throttled`: the throttling bit field.
//!
//! ```text
//! throttled=0x50005
//! ```
//! Lower-case hex without padding (`0x0`, `0x50000`, `0x60002`).

use edgestat_core::pi::Throttled;

use nom::Parser;
use nom::bytes::complete::tag;
use nom::sequence::preceded;

use super::one_line;
use crate::error::{Error, ErrorKind};
use crate::lex::{Res, hex};

const FIELD: &str = "get_throttled";

/// Parses a `get_throttled` reply into its bit field.
pub fn parse(input: &[u8]) -> Result<Throttled, Error> {
    let raw = one_line(input, FIELD, throttled)?;
    let raw = u32::try_from(raw).map_err(|_| Error::new(ErrorKind::Range, FIELD))?;
    Ok(Throttled::from_raw(raw))
}

/// `throttled=0x<hex>`.
fn throttled(input: &[u8]) -> Res<'_, u64> {
    preceded(tag("throttled="), hex).parse(input)
}
