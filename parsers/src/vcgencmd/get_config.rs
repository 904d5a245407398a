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
use nom::Parser;
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while1};
use nom::combinator::{all_consuming, map_opt, map_res, opt, rest};
use nom::sequence::separated_pair;

use super::reject_firmware_error;
use crate::error::{Error, ErrorKind};
use crate::lex::{self, Res, hex, uint};

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
    let (_, (key, value)) = key_value(line).map_err(|_| Error::syntax(FIELD))?;
    let key = bounded(lex::utf8(key, FIELD)?, "get_config key")?;
    let value = match int(value) {
        Some(v) => ConfigValue::Int(v),
        None => ConfigValue::Str(bounded(lex::utf8(value, FIELD)?, "get_config value")?),
    };
    Ok(ConfigEntry { key, value })
}

/// `<key>=<value>`: the key ends at the first `=`, the value is the rest
/// of the line (possibly empty, possibly holding more `=`).
fn key_value(line: &[u8]) -> Res<'_, (&[u8], &[u8])> {
    separated_pair(key, tag("="), rest).parse(line)
}

/// A non-empty key. Keys become JSON object keys, written unescaped: keep
/// them plain (printable ASCII, no quote or backslash).
fn key(input: &[u8]) -> Res<'_, &[u8]> {
    take_while1(|b: u8| b.is_ascii_graphic() && !matches!(b, b'=' | b'"' | b'\\')).parse(input)
}

/// The whole value as an `i64`: `0x` hex, decimal or `-`decimal.
fn int(value: &[u8]) -> Option<i64> {
    all_consuming(alt((hex_int, decimal_int))).parse(value).ok().map(|(_, v)| v)
}

/// `0x<hex>` that fits an `i64`.
fn hex_int(input: &[u8]) -> Res<'_, i64> {
    map_res(hex, i64::try_from).parse(input)
}

/// `-?<digits>` that fits an `i64`.
fn decimal_int(input: &[u8]) -> Res<'_, i64> {
    map_opt((opt(tag("-")), uint), |(minus, n)| {
        let n = i64::try_from(n).ok()?;
        Some(if minus.is_some() { -n } else { n })
    })
    .parse(input)
}
