//! `vcgencmd measure_clock <clock>`: one clock's frequency.
//!
//! ```text
//! frequency(48)=600169920
//! ```
//! The id in parentheses is the firmware's clock number and differs between
//! boards (Pi 4 `arm` is 48, every Pi 5 clock prints 0), so it is data, not
//! a key. The clock's name is the command argument; serialize the result
//! with [`edgestat_core::pi::NamedClock`].

use edgestat_core::pi::ClockReading;

use super::{one_line, tag};
use crate::error::Error;
use crate::lex::{Res, u32, uint};

const FIELD: &str = "measure_clock";

/// Parses a `measure_clock` reply into the clock id and Hz.
pub fn parse(input: &[u8]) -> Result<ClockReading, Error> {
    one_line(input, FIELD, clock)
}

fn clock(input: &[u8]) -> Res<'_, ClockReading> {
    let (input, ()) = tag(input, b"frequency(")?;
    let (input, id) = u32(input)?;
    let (input, ()) = tag(input, b")=")?;
    let (input, hz) = uint(input)?;
    Ok((input, ClockReading { id, hz }))
}
