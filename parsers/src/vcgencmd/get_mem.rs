//! `vcgencmd get_mem arm|gpu`: one side of the ARM/GPU memory split.
//!
//! ```text
//! arm=948M
//! ```
//! Without an argument the firmware answers
//! `error=2 error_msg="Invalid arguments"`.

use edgestat_core::pi::Memory;

use super::{is_word, one_line, tag, take_while1};
use crate::error::Error;
use crate::lex::{self, Res, u32};

const FIELD: &str = "get_mem";

/// Parses a `get_mem` reply into the region name and MB.
pub fn parse(input: &[u8]) -> Result<Memory, Error> {
    let (region, mb) = one_line(input, FIELD, mem)?;
    Ok(Memory { region: lex::name(region, FIELD)?, mb })
}

fn mem(input: &[u8]) -> Res<'_, (&[u8], u32)> {
    let (input, region) = take_while1(input, is_word)?;
    let (input, ()) = tag(input, b"=")?;
    let (input, mb) = u32(input)?;
    let (input, ()) = tag(input, b"M")?;
    Ok((input, (region, mb)))
}
