//! `edgestat parse vcgencmd <command> [arg]`: one JSON object for one reply.
//!
//! stdin holds the whole output of `vcgencmd <command> [arg]`. The object's
//! shape per command is in SUPPORT.md. A firmware error line
//! (`error=2 error_msg="…"`) becomes `{"error":{"code":2,"message":"…"}}`,
//! any other rejected input `{"error":"<reason>"}`; both exit 1.

use std::io::{Read, Write};
use std::process::ExitCode;

use edgestat_core::json;
use edgestat_core::pi::NamedClock;
use edgestat_parsers::vcgencmd::{self as vc, COMMANDS};
use edgestat_parsers::{Error, ErrorKind};
use serde::Serialize;

/// Longest reply read from stdin. `vcgencmd get_config str` and `commands`
/// print a few KiB; anything larger is not a vcgencmd reply.
pub const MAX_INPUT: usize = 64 * 1024;

/// Largest JSON object written: a full `get_config` (128 entries of a
/// 40-byte key and a 64-byte value, escaped) fits.
const MAX_JSON: usize = 48 * 1024;

/// A vcgencmd command line as given to `edgestat parse vcgencmd`.
pub struct Request<'a> {
    command: &'a str,
    arg: Option<&'a str>,
}

impl<'a> Request<'a> {
    /// Reads `<command> [arg]`; `measure_clock` needs its clock name.
    pub fn from_args(args: &[&'a str]) -> Result<Self, String> {
        let (command, arg) = match args {
            [command] => (*command, None),
            [command, arg] => (*command, Some(*arg)),
            [] => return Err(format!("vcgencmd needs a command: {}", COMMANDS.join(", "))),
            _ => return Err("vcgencmd takes a command and at most one argument".into()),
        };
        if !COMMANDS.contains(&command) {
            return Err(format!(
                "unknown vcgencmd command `{command}`; known: {}",
                COMMANDS.join(", ")
            ));
        }
        if command == "measure_clock" && arg.is_none() {
            return Err("measure_clock needs the clock name, e.g. `measure_clock arm`".into());
        }
        Ok(Self { command, arg })
    }
}

/// Parses `input` as the output of `request` and writes one JSON object.
pub fn convert(request: &Request<'_>, input: impl Read, output: impl Write) -> ExitCode {
    super::outcome(convert_reply(request, input, output))
}

fn convert_reply(
    request: &Request<'_>,
    input: impl Read,
    mut output: impl Write,
) -> std::io::Result<bool> {
    let mut reply = Vec::with_capacity(4096);
    input.take(MAX_INPUT as u64 + 1).read_to_end(&mut reply)?;
    let mut buf = vec![0u8; MAX_JSON];
    let written = if reply.len() > MAX_INPUT {
        Err(failure(&reply, Error::new(ErrorKind::Capacity, "vcgencmd reply"), &mut buf))
    } else {
        render(request, &reply, &mut buf)
    };
    let (ok, len) = match written {
        Ok(len) => (true, len),
        Err(len) => (false, len),
    };
    output.write_all(buf.get(..len).unwrap_or_default())?;
    output.write_all(b"\n")?;
    output.flush()?;
    Ok(ok)
}

/// Writes the reply's JSON into `buf`: `Ok(len)` for a value, `Err(len)` for
/// an error object.
fn render(request: &Request<'_>, reply: &[u8], buf: &mut [u8]) -> Result<usize, usize> {
    fn emit<T: Serialize>(
        parsed: Result<T, Error>,
        reply: &[u8],
        buf: &mut [u8],
    ) -> Result<usize, usize> {
        match parsed {
            Ok(value) => match json::to_slice(&value, buf) {
                Ok(len) => Ok(len),
                Err(_) => Err(failure(reply, Error::new(ErrorKind::Capacity, "JSON output"), buf)),
            },
            Err(e) => Err(failure(reply, e, buf)),
        }
    }
    match request.command {
        "measure_temp" => emit(vc::measure_temp::parse(reply), reply, buf),
        "measure_clock" => {
            let clock = request.arg.unwrap_or_default();
            let parsed = vc::measure_clock::parse(reply);
            emit(
                parsed.as_ref().map(|reading| NamedClock { clock, reading }).map_err(|e| *e),
                reply,
                buf,
            )
        }
        "measure_volts" => emit(vc::measure_volts::parse(reply), reply, buf),
        "get_throttled" => emit(vc::get_throttled::parse(reply), reply, buf),
        "get_mem" => emit(vc::get_mem::parse(reply), reply, buf),
        "version" => emit(vc::version::parse(reply), reply, buf),
        "get_config" => emit(vc::get_config::parse(reply), reply, buf),
        "codec_enabled" => emit(vc::codec_enabled::parse(reply), reply, buf),
        "get_camera" => emit(vc::get_camera::parse(reply), reply, buf),
        "commands" => emit(vc::commands::parse(reply), reply, buf),
        "pmic_read_adc" => emit(vc::pmic_read_adc::parse(reply), reply, buf),
        _ => Err(failure(reply, Error::syntax("command"), buf)),
    }
}

/// Writes the error object for `error` into `buf` and returns its length:
/// the firmware's own code and message when vcgencmd printed one.
fn failure(reply: &[u8], error: Error, buf: &mut [u8]) -> usize {
    #[derive(Serialize)]
    struct Reason<'a> {
        error: &'a str,
    }
    let written = match error.kind {
        ErrorKind::Firmware(_) => match vc::firmware_error::parse(reply) {
            Ok(firmware) => json::to_slice(&firmware, buf),
            Err(e) => json::to_slice(&Reason { error: &e.to_string() }, buf),
        },
        _ => json::to_slice(&Reason { error: &error.to_string() }, buf),
    };
    written.unwrap_or(0)
}
