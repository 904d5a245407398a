//! Sources: the only code that touches the host.
//!
//! Everything here reads files under configurable roots ([`Roots`]) or runs
//! the configured tools, so a Jetson, a Pi or a generic Linux host can be
//! run and tested on any machine against a fixture tree, and hands the bytes
//! to the pure parsers of `edgestat-parsers`. A failure becomes a
//! [`Fault`](crate::model::Fault) for that one part of the sample.

pub mod board;
mod fs;
pub mod processes;
pub mod procfs;
pub mod storage;
pub mod sysfs;
pub mod tegrastats;
pub mod vcgencmd;

pub use fs::{READ_BUF, Roots, numbered_entries, parse_file, read};
