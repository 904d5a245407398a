//! Sources: the only code that touches the host.
//!
//! Everything here reads files under configurable roots ([`Roots`]) or runs
//! the configured tools, so a Jetson, a Pi or a generic Linux host can be
//! run and tested on any machine against a fixture tree, and hands the bytes
//! to the pure parsers of `edgestat-parsers`. A failure becomes a [`Fault`]
//! for that one part of the sample.

mod fault;
mod fs;
pub mod platform;
pub mod processes;
pub mod procfs;
pub mod storage;
pub mod sysfs;
pub mod tegrastats;
pub mod vcgencmd;

pub use fault::Fault;
pub use fs::{READ_BUF, Roots, numbered_entries, parse_file, read};
