//! The firmware's error reply, printed instead of any command's value.
//!
//! ```text
//! error=2 error_msg="Invalid arguments"
//! error=1 error_msg="Command not registered"
//! ```

use edgestat_core::name::bounded;
use edgestat_core::pi::FirmwareError;

use super::tag;
use crate::error::{Error, ErrorKind};
use crate::lex::{self, Res, fail, uint};

const FIELD: &str = "error";

/// Parses an `error=<n> error_msg="<text>"` line.
pub fn parse(input: &[u8]) -> Result<FirmwareError, Error> {
    let (code, message) = lex::complete(input, FIELD, error)?;
    let code = i32::try_from(code).map_err(|_| Error::new(ErrorKind::Range, FIELD))?;
    let message = bounded(lex::utf8(message, FIELD)?, "error_msg")?;
    Ok(FirmwareError { code, message })
}

fn error(input: &[u8]) -> Res<'_, (i64, &[u8])> {
    let (input, ()) = tag(input, b"error=")?;
    let (input, negative) = match input.strip_prefix(b"-") {
        Some(rest) => (rest, true),
        None => (input, false),
    };
    let (input, code) = uint(input)?;
    let Ok(code) = i64::try_from(code) else {
        return fail(input);
    };
    let (input, ()) = tag(input, b" error_msg=\"")?;
    let end = input.iter().position(|&b| b == b'"');
    match end.and_then(|e| Some((input.get(..e)?, input.get(e + 1..)?))) {
        Some((message, rest)) => Ok((rest, (if negative { -code } else { code }, message))),
        None => fail(input),
    }
}
