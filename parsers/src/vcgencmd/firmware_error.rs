//! The firmware's error reply, printed instead of any command's value.
//!
//! ```text
//! error=2 error_msg="Invalid arguments"
//! error=1 error_msg="Command not registered"
//! ```

use edgestat_core::name::bounded;
use edgestat_core::pi::FirmwareError;

use nom::Parser;
use nom::bytes::complete::{tag, take_until};
use nom::combinator::{map_opt, opt};
use nom::sequence::{delimited, preceded};

use crate::error::{Error, ErrorKind};
use crate::lex::{self, Res, uint};

const FIELD: &str = "error";

/// Parses an `error=<n> error_msg="<text>"` line.
pub fn parse(input: &[u8]) -> Result<FirmwareError, Error> {
    let (code, message) = lex::complete(input, FIELD, error)?;
    let code = i32::try_from(code).map_err(|_| Error::new(ErrorKind::Range, FIELD))?;
    let message = bounded(lex::utf8(message, FIELD)?, "error_msg")?;
    Ok(FirmwareError { code, message })
}

/// `error=<code> error_msg="<text>"`.
fn error(input: &[u8]) -> Res<'_, (i64, &[u8])> {
    (preceded(tag("error="), code), message).parse(input)
}

/// `-?<digits>`, failing when it does not fit an `i64`.
fn code(input: &[u8]) -> Res<'_, i64> {
    map_opt((opt(tag("-")), uint), |(minus, n)| {
        let n = i64::try_from(n).ok()?;
        Some(if minus.is_some() { -n } else { n })
    })
    .parse(input)
}

/// ` error_msg="<text>"`: the text up to the first quote.
fn message(input: &[u8]) -> Res<'_, &[u8]> {
    delimited(tag(" error_msg=\""), take_until("\""), tag("\"")).parse(input)
}
