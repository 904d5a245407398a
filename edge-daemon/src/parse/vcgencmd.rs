//! `edgestat parse vcgencmd <command> [arg]` (in progress).

use std::io::{BufRead, Write};
use std::process::ExitCode;

/// A vcgencmd command line as given to `edgestat parse vcgencmd`.
pub struct Request;

impl Request {
    /// Reads `<command> [arg]`.
    pub fn from_args(_args: &[&str]) -> Result<Self, String> {
        Err("not yet".into())
    }
}

/// Parses `input` as the output of `request`.
pub fn convert(_request: &Request, _input: impl BufRead, _output: impl Write) -> ExitCode {
    ExitCode::from(1)
}
