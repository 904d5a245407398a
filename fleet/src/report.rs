//! Seed 003's reports as the manager receives them: the one definition in
//! `edgestat_common::report`, read and checked whole, with each running
//! container kept as the JSON object the agent sent.

pub use edgestat_common::report::{Heartbeat, MAX_BODY, Usage, heartbeat, resource};

/// A `/resource` report's data.
pub type Resource = edgestat_common::report::Resource<serde_json::Value>;
