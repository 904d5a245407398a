//! # edgestat-parsers: the parser layer
//!
//! Pure functions from bytes to [`edgestat_core`] model values: one module per
//! data source, each with a public `parse(&[u8]) -> Result<T, Error>` and its
//! grammar kept private. No I/O happens here; the daemon reads files and
//! runs tools, then hands the bytes to these functions.
//!
//! Grammars: nom combinators where a grammar reads best that way
//! ([`vcgencmd`], [`nv_tegra_release`]); whitespace-separated columns for
//! the /proc tables ([`procfs`]); and small hand-written byte scanners on the
//! hot path of [`tegrastats`], which must parse a million lines a second
//! (its `scan` module says what nom cost there).
//!
//! Promises:
//! - `#![no_std]`, no `alloc`, no `unsafe`.
//! - Never panics, whatever the input (fuzzed; `unwrap`, `expect`, `panic`
//!   and slice indexing are denied by lint).
//! - Rejects leftover input instead of ignoring it.
//! - Unknown sensors, rails and engines are data, not errors: one odd token
//!   never drops a whole tegrastats line.
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable
    )
)]

mod error;
mod lex;

pub mod nv_tegra_release;
pub mod procfs;
pub mod sysfs;
pub mod tegrastats;
pub mod vcgencmd;

pub use error::{Error, ErrorKind};
