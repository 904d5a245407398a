//! `vcgencmd codec_enabled <codec>`: whether a hardware codec is licensed.
//!
//! ```text
//! H264=enabled
//! MPG2=disabled
//! ```

use edgestat_core::pi::Codec;

use super::{is_word, one_line, tag, take_while1};
use crate::error::Error;
use crate::lex::{self, Res, fail};

const FIELD: &str = "codec_enabled";

/// Parses a `codec_enabled` reply into the codec name and its state.
pub fn parse(input: &[u8]) -> Result<Codec, Error> {
    let (codec, enabled) = one_line(input, FIELD, codec)?;
    Ok(Codec { codec: lex::name(codec, FIELD)?, enabled })
}

fn codec(input: &[u8]) -> Res<'_, (&[u8], bool)> {
    let (input, name) = take_while1(input, is_word)?;
    let (input, ()) = tag(input, b"=")?;
    if let Some(rest) = input.strip_prefix(b"enabled") {
        Ok((rest, (name, true)))
    } else if let Some(rest) = input.strip_prefix(b"disabled") {
        Ok((rest, (name, false)))
    } else {
        fail(input)
    }
}
