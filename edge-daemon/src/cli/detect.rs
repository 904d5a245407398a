//! `edgestat detect`: which board edgestat sees, as one JSON object.
//!
//! ```console
//! $ edgestat detect
//! {"kind":"jetson","l4t":"36.4.4","model":"NVIDIA Jetson AGX Orin Developer Kit"}
//! ```
//! Takes the same root flags as the daemon, so a fixture tree or a board's
//! copied `/sys`, `/proc` and `/etc` can be inspected from any machine.

use std::io::Write;
use std::process::ExitCode;

use crate::sources::{READ_BUF, board};

/// Largest JSON this prints: a Raspberry Pi with its model and decoded revision.
const MAX_JSON: usize = 1024;

/// Runs `edgestat detect [--sysfs DIR] [--procfs DIR] [--rootfs DIR]`.
pub fn main(args: &[&str]) -> ExitCode {
    if crate::config::help::asked(args) {
        print!(
            "{}",
            crate::config::help::render(
                "edgestat detect [FLAGS]",
                "Prints which board this is (a Jetson and its L4T release, a Raspberry Pi and its \
                 revision, or Linux) as one JSON object, from the same files the daemon reads. \
                 The flags point it at a copied tree.",
                &crate::config::rows_of(&["sysfs", "procfs", "rootfs"]),
            )
        );
        return ExitCode::SUCCESS;
    }
    let roots = match crate::config::roots(args) {
        Ok(roots) => roots,
        Err(message) => return crate::cli::usage_error(&message),
    };
    let mut buf = vec![0u8; READ_BUF];
    let detected = board::platform(&roots, &mut buf);
    let mut json = [0u8; MAX_JSON];
    let written = edgestat_core::json::to_slice(&detected, &mut json)
        .map_err(|e| e.to_string())
        .and_then(|len| {
            let mut out = std::io::stdout().lock();
            out.write_all(json.get(..len).unwrap_or_default())
                .and_then(|()| out.write_all(b"\n"))
                .map_err(|e| e.to_string())
        });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("edgestat: {e}");
            ExitCode::from(1)
        }
    }
}
