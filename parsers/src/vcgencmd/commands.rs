//! `vcgencmd commands`: the commands this firmware knows.
//!
//! ```text
//! commands="commands, set_logging, bootloader_config, bootloader_version, …"
//! ```
//! One long line; the list depends on the firmware (70 names on Pi 4
//! firmware of 2024, 64 on Pi 3 firmware of 2018).

use edgestat_core::name::push;
use edgestat_core::pi::Commands;

use super::{is_word, reject_firmware_error};
use crate::error::{Error, ErrorKind};
use crate::lex;

const FIELD: &str = "commands";

/// Parses a `commands` reply into the names in printed order.
pub fn parse(input: &[u8]) -> Result<Commands, Error> {
    reject_firmware_error(input, FIELD)?;
    let line = lex::trim(input);
    if line.is_empty() {
        return Err(Error::new(ErrorKind::Empty, FIELD));
    }
    let list = line
        .strip_prefix(b"commands=\"")
        .and_then(|rest| rest.strip_suffix(b"\""))
        .ok_or(Error::syntax(FIELD))?;
    let mut out = Commands::default();
    if list.is_empty() {
        return Ok(out);
    }
    for item in list.split(|&b| b == b',') {
        let name = item.strip_prefix(b" ").unwrap_or(item);
        if name.is_empty() || !name.iter().all(|&b| is_word(b)) {
            return Err(Error::syntax(FIELD));
        }
        push(&mut out.names, lex::name(name, FIELD)?, FIELD)?;
    }
    Ok(out)
}
