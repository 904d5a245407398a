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

use nom::Parser;
use nom::bytes::complete::tag;
use nom::combinator::map;
use nom::sequence::delimited;

use super::one_line;
use crate::error::Error;
use crate::lex::{Res, u32, uint};

const FIELD: &str = "measure_clock";

/// Parses a `measure_clock` reply into the clock id and Hz.
pub fn parse(input: &[u8]) -> Result<ClockReading, Error> {
    one_line(input, FIELD, clock)
}

/// `frequency(<id>)=<Hz>`.
fn clock(input: &[u8]) -> Res<'_, ClockReading> {
    map((clock_id, uint), |(id, hz)| ClockReading { id, hz }).parse(input)
}

/// `frequency(<id>)=`: the firmware's clock number.
fn clock_id(input: &[u8]) -> Res<'_, u32> {
    delimited(tag("frequency("), u32, tag(")=")).parse(input)
}
