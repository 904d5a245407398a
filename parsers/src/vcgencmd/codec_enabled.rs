//! `vcgencmd codec_enabled <codec>`: whether a hardware codec is licensed.
//!
//! ```text
//! H264=enabled
//! MPG2=disabled
//! ```

use edgestat_core::pi::Codec;

use nom::Parser;
use nom::branch::alt;
use nom::bytes::complete::tag;
use nom::combinator::value;
use nom::sequence::separated_pair;

use super::{one_line, word};
use crate::error::Error;
use crate::lex::{self, Res};

const FIELD: &str = "codec_enabled";

/// Parses a `codec_enabled` reply into the codec name and its state.
pub fn parse(input: &[u8]) -> Result<Codec, Error> {
    let (codec, enabled) = one_line(input, FIELD, codec)?;
    Ok(Codec { codec: lex::name(codec, FIELD)?, enabled })
}

/// `<codec>=enabled` or `<codec>=disabled`.
fn codec(input: &[u8]) -> Res<'_, (&[u8], bool)> {
    separated_pair(word, tag("="), state).parse(input)
}

/// `enabled` or `disabled`.
fn state(input: &[u8]) -> Res<'_, bool> {
    alt((value(true, tag("enabled")), value(false, tag("disabled")))).parse(input)
}
