//! `vcgencmd get_config int|str|<name>`: `key=value` lines.
//!
//! ```text
//! arm_freq=1200
//! desired_osc_freq=0x36ee80
//! over_voltage_avs=-23750
//! ```
//! Decimal, negative and `0x` hex values become [`ConfigValue::Int`];
//! anything else, and numbers that do not fit an `i64`, stay text as
//! [`ConfigValue::Str`]. Without an argument the firmware prints its usage
//! line `get_config [config|int|str]`, which is an error here.

use edgestat_core::name::{bounded, push};
use edgestat_core::pi::{Config, ConfigEntry, ConfigValue};

use super::reject_firmware_error;
use crate::error::{Error, ErrorKind};
use crate::lex::{self, hex, uint};

const FIELD: &str = "get_config";

/// The line `get_config` prints when called without an argument.
const USAGE: &[u8] = b"get_config [config|int|str]";

/// Parses a `get_config` reply: one or many `key=value` lines.
pub fn parse(input: &[u8]) -> Result<Config, Error> {
    reject_firmware_error(input, FIELD)?;
    let body = lex::trim(input);
    if body.is_empty() {
        return Err(Error::new(ErrorKind::Empty, FIELD));
    }
    if body == USAGE {
        return Err(Error::missing("get_config argument"));
    }
    let mut config = Config::default();
    for line in lex::lines(body) {
        push(&mut config.entries, entry(lex::trim(line))?, FIELD)?;
    }
    Ok(config)
}

/// One `key=value` line.
fn entry(line: &[u8]) -> Result<ConfigEntry, Error> {
    let eq = line.iter().position(|&b| b == b'=').ok_or(Error::syntax(FIELD))?;
    let (key, value) = match (line.get(..eq), line.get(eq + 1..)) {
        (Some(k), Some(v)) => (k, v),
        _ => return Err(Error::syntax(FIELD)),
    };
    // Keys become JSON object keys, written unescaped: keep them plain.
    let plain = |b: &u8| b.is_ascii_graphic() && !matches!(b, b'"' | b'\\');
    if key.is_empty() || !key.iter().all(plain) {
        return Err(Error::syntax(FIELD));
    }
    let key = bounded(lex::utf8(key, FIELD)?, "get_config key")?;
    let value = match int(value) {
        Some(v) => ConfigValue::Int(v),
        None => ConfigValue::Str(bounded(lex::utf8(value, FIELD)?, "get_config value")?),
    };
    Ok(ConfigEntry { key, value })
}

/// The whole value as an `i64`: decimal, `-`decimal or `0x` hex.
fn int(value: &[u8]) -> Option<i64> {
    let whole = |r: lex::Res<'_, u64>| match r {
        Ok(([], v)) => Some(v),
        _ => None,
    };
    if value.starts_with(b"0x") || value.starts_with(b"0X") {
        return i64::try_from(whole(hex(value))?).ok();
    }
    match value.strip_prefix(b"-") {
        Some(digits) => i64::try_from(whole(uint(digits))?).ok().map(|v| -v),
        None => i64::try_from(whole(uint(value))?).ok(),
    }
}
