//! # edgestat: the daemon as a library
//!
//! The rooms of `edgestat run`, along its one-way flow (ARCHITECTURE.md
//! draws it and says what each room may import):
//!
//! ```text
//! sources ─► sampler ─► model ─► views ─► hub ─► transports (http, push, agent)
//! ```
//!
//! | room | what |
//! |---|---|
//! | [`sources`] | the only code that reads the host: files under configurable roots, the tool children |
//! | [`sampler`] | the one loop: reads every source per interval, decides which source wins per quantity, publishes one [`model::Sample`] |
//! | [`model`] | the sample in host concepts, one definition per quantity, and the board |
//! | [`views`] | pure functions from a sample to each wire format's bytes |
//! | [`hub`] | what the transports share: each view's bytes once per sample, the counters, the endpoint contract |
//! | [`http`], [`push`], [`agent`] | transports: HTTP, Socket.IO and `/api/ws`, seed 003's agent |
//! | [`config`] | every setting, from flags, the environment, `.env` and TOML |
//! | [`run`] | `edgestat run`: wires the rooms together |
//! | [`cli`] | the other commands |

pub mod agent;
pub mod cli;
pub mod config;
pub mod http;
pub mod hub;
pub mod model;
pub mod push;
pub mod run;
pub mod sampler;
pub mod sources;
pub mod views;
