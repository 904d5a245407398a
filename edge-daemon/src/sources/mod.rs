//! Sources: the only code that touches the host.
//!
//! Everything here reads files under configurable roots ([`Roots`]), so a
//! Jetson, a Pi or a generic Linux host can be run and tested on any
//! machine against a fixture tree, and hands the bytes to the pure parsers
//! of `edgestat-parsers`.

mod fs;
pub mod platform;

pub use fs::{READ_BUF, Roots, read};
