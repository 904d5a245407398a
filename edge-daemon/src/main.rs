//! `edgestat`: command-line dispatch only.
//!
//! Each subcommand lives in its own module; this file maps the first
//! argument to one of them and turns its outcome into an exit code.

use std::process::ExitCode;

mod agent;
mod client;
mod config;
mod detect;
mod http;
mod log;
mod parse;
mod push;
mod run;
mod sampler;
mod sources;

const USAGE: &str = "\
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

`edgestat parse` exits 0 when all input parsed and 1 otherwise; bad usage exits 2.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.split_first() {
        Some((&"parse", rest)) => parse::main(rest),
        Some((&"detect", rest)) => detect::main(rest),
        Some((&"run", rest)) => run::main(rest),
        Some((&"config", rest)) => config::main(rest),
        Some((&"test", rest)) => client::test(rest),
        Some((&"monitor", rest)) => client::monitor(rest),
        Some((&("--version" | "-V"), _)) => {
            println!("edgestat {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some((&("--help" | "-h" | "help"), _)) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some((other, _)) => usage_error(&format!("unknown command `{other}`")),
        None => usage_error("a command is required"),
    }
}

/// Prints `message` and the usage to stderr; exit code 2.
fn usage_error(message: &str) -> ExitCode {
    eprint!("edgestat: {message}\n\n{USAGE}");
    ExitCode::from(2)
}
