//! `edgestat`: command-line dispatch only.
//!
//! Each subcommand lives in the library (`edgestat::run`,
//! `edgestat::cli::*`, `edgestat::config`); this file maps the first
//! argument to one of them and turns its outcome into an exit code.

use std::process::ExitCode;

use edgestat::cli::{self, USAGE, usage_error};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.split_first() {
        Some((&"parse", rest)) => cli::parse::main(rest),
        Some((&"detect", rest)) => cli::detect::main(rest),
        Some((&"run", rest)) => edgestat::run::main(rest),
        Some((&"config", rest)) => edgestat::config::main(rest),
        Some((&"test", rest)) => cli::client::test(rest),
        Some((&"monitor", rest)) => cli::client::monitor(rest),
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
