//! `vcgencmd commands`: the commands this firmware knows.
//!
//! ```text
//! commands="commands, set_logging, bootloader_config, bootloader_version, …"
//! ```
//! One long line; the list depends on the firmware (70 names on Pi 4
//! firmware of 2024, 64 on Pi 3 firmware of 2018).

use edgestat_core::name::push;
use edgestat_core::pi::Commands;
use nom::Parser;
use nom::branch::alt;
use nom::bytes::complete::tag;
use nom::combinator::{eof, opt, peek, rest};
use nom::sequence::{preceded, terminated};

use super::{reject_firmware_error, word};
use crate::error::{Error, ErrorKind};
use crate::lex::{self, Res, fail};

const FIELD: &str = "commands";

/// Parses a `commands` reply into the names in printed order.
pub fn parse(input: &[u8]) -> Result<Commands, Error> {
    reject_firmware_error(input, FIELD)?;
    let line = lex::trim(input);
    if line.is_empty() {
        return Err(Error::new(ErrorKind::Empty, FIELD));
    }
    let (_, list) = quoted_list(line).map_err(|_| Error::syntax(FIELD))?;
    let mut out = Commands::default();
    if list.is_empty() {
        return Ok(out);
    }
    // One name at a time, so that a bad name or one too many fails where
    // it stands, after the names before it.
    let (mut rest, mut name) = list_name(list).map_err(|_| Error::syntax(FIELD))?;
    loop {
        push(&mut out.names, lex::name(name, FIELD)?, FIELD)?;
        if rest.is_empty() {
            return Ok(out);
        }
        (rest, name) = next_name(rest).map_err(|_| Error::syntax(FIELD))?;
    }
}

/// `commands="<list>"`, whose closing quote is the last byte of the line:
/// the list.
fn quoted_list(line: &[u8]) -> Res<'_, &[u8]> {
    match line.strip_suffix(b"\"") {
        Some(body) => preceded(tag("commands=\""), rest).parse(body),
        None => fail(line),
    }
}

/// `,` and the next name.
fn next_name(input: &[u8]) -> Res<'_, &[u8]> {
    preceded(tag(","), list_name).parse(input)
}

/// One space at most, then a whole name: a comma or the list's end follows.
fn list_name(input: &[u8]) -> Res<'_, &[u8]> {
    let end = peek(alt((tag(","), eof)));
    terminated(preceded(opt(tag(" ")), word), end).parse(input)
}
