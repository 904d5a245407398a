//! The commands besides `run`: `parse`, `detect`, `test`, `monitor`, and
//! the usage text they share.

pub mod client;
pub mod detect;
pub mod parse;

use std::process::ExitCode;

/// What `edgestat --help` prints.
pub const USAGE: &str = "\
edgestat: a light system monitor for Jetson, Raspberry Pi and Linux edge devices

Usage:
  edgestat run [flags]                 the daemon: samples this host once per interval and
                                       serves the REST APIs (default http://127.0.0.1:58090)
  edgestat config [flags]              the effective configuration and where each value came from
  edgestat test [-h HOST] [-p PORT] [-e ENDPOINT] [--token T]
                                       query a running daemon once (default /api/status)
  edgestat monitor [-h HOST] [-p PORT] [-d SECONDS] [--token T]
                                       one summary line per second from a running daemon
  edgestat parse tegrastats            one JSON line per tegrastats line on stdin
  edgestat parse vcgencmd <cmd> [arg]  one JSON object for vcgencmd <cmd> output on stdin
  edgestat detect [--sysfs DIR] [--procfs DIR] [--rootfs DIR]
                                       which board this is (Jetson and its L4T release,
                                       Raspberry Pi, or Linux), as JSON
  edgestat --version | --help

`edgestat COMMAND --help` lists a command's flags, their defaults and variables.

`edgestat parse` exits 0 when all input parsed and 1 otherwise; bad usage exits 2.
";

/// Prints `message` and the usage to stderr; exit code 2.
pub fn usage_error(message: &str) -> ExitCode {
    eprint!("edgestat: {message}\n\n{USAGE}");
    ExitCode::from(2)
}
