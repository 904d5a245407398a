//! `vcgencmd get_mem arm|gpu`: one side of the ARM/GPU memory split.
//!
//! ```text
//! arm=948M
//! ```
//! Without an argument the firmware answers
//! `error=2 error_msg="Invalid arguments"`.

use edgestat_core::pi::Memory;

use nom::Parser;
use nom::bytes::complete::tag;
use nom::sequence::{separated_pair, terminated};

use super::{one_line, word};
use crate::error::Error;
use crate::lex::{self, Res, u32};

const FIELD: &str = "get_mem";

/// Parses a `get_mem` reply into the region name and MB.
pub fn parse(input: &[u8]) -> Result<Memory, Error> {
    let (region, mb) = one_line(input, FIELD, mem)?;
    Ok(Memory { region: lex::name(region, FIELD)?, mb })
}

/// `<region>=<MB>M`.
fn mem(input: &[u8]) -> Res<'_, (&[u8], u32)> {
    separated_pair(word, tag("="), megabytes).parse(input)
}

/// `<n>M`.
fn megabytes(input: &[u8]) -> Res<'_, u32> {
    terminated(u32, tag("M")).parse(input)
}
