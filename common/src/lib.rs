//! # edgestat-common: what the two binaries share
//!
//! `edgestat` (the daemon and its seed 003 agent) and `edgestat-fleet` (the
//! manager) both need these; each piece is written once, here:
//!
//! | module | what |
//! |---|---|
//! | [`report`] | seed 003's `/heartbeat` and `/resource` bodies: the agent writes them, the manager reads and checks them (feature `receive`) |
//! | [`time`] | the clock, and UTC dates and ISO 8601 times from Unix time |
//! | [`log`] | one line per event on stderr, under a level set at start |
//! | [`toml`] | a strict reader for the flat TOML subset of both config files |
//! | [`net`] | the local address towards a peer |
//! | [`body`] | reading an HTTP request body with a size and time limit |
//!
//! A std crate, unlike `edgestat-core`: the no_std model and its wire
//! helpers stay there.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod body;
pub mod log;
pub mod net;
pub mod report;
pub mod time;
pub mod toml;
