//! `edgestat parse`: convert captured tool output to JSON, offline.
//!
//! Useful on its own for converting logs, and the reference for the JSON
//! rules every REST facade follows.

use std::process::ExitCode;

mod tegrastats;
mod vcgencmd;

/// Runs `edgestat parse <source> …`.
pub fn main(args: &[&str]) -> ExitCode {
    if crate::config::help::asked(args) {
        print!(
            "{}",
            crate::config::help::render(
                "edgestat parse tegrastats < LOG\n       edgestat parse vcgencmd COMMAND [ARG] < OUTPUT",
                &format!(
                    "Converts captured tool output to JSON, offline: one JSON line per tegrastats \
                     line, or one JSON object for the output of `vcgencmd COMMAND [ARG]` \
                     (COMMAND: {}). Exits 0 when all input parsed, 1 otherwise, 2 on bad usage.",
                    edgestat_parsers::vcgencmd::COMMANDS.join(", ")
                ),
                &[],
            )
        );
        return ExitCode::SUCCESS;
    }
    let stdin = std::io::stdin().lock();
    let stdout = std::io::stdout().lock();
    match args.split_first() {
        Some((&"tegrastats", [])) => tegrastats::convert(stdin, stdout),
        Some((&"vcgencmd", rest)) => match vcgencmd::Request::from_args(rest) {
            Ok(request) => vcgencmd::convert(&request, stdin, stdout),
            Err(message) => crate::cli::usage_error(&message),
        },
        Some((other, _)) => crate::cli::usage_error(&format!("cannot parse `{other}`")),
        None => crate::cli::usage_error("parse needs a source: tegrastats or vcgencmd"),
    }
}

/// Exit code for a conversion: 0 when everything parsed, 1 otherwise, and
/// 1 with a message when writing the output failed.
fn outcome(result: std::io::Result<bool>) -> ExitCode {
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("edgestat: {e}");
            ExitCode::from(1)
        }
    }
}
