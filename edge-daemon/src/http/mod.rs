//! The HTTP surfaces: a hyper server on smol ([`server`]) and one module
//! per facade, each rendering the sampler's latest [`Snapshot`] into one
//! seed's exact shapes.
//!
//! | module | serves |
//! |---|---|
//! | [`tegrastats_api`] | seed 000: `/api/health`, `/api/status`, `/api/cpu`, `/api/memory`, `/api/temperature`, `/api/power` |
//! | [`pistat`] | seed 001: `/stats`, `/processes`, `/network/interfaces`, `/storage/devices`, `/health`, `/` |
//! | [`metrics`] | Prometheus: `/metrics` |
//! | [`monitor_api`] | seed 004: `/api/stats`, `/api/speed-history`, `/api/config`, `/api/performance`, `/api/connection-pool-stats`, `/api/memory-pool-stats`, `/api/user-stats` (and the `/api/ws` payload) |
//! | [`app`] | the request pipeline: host check, routing, token, rate limit, cache |
//!
//! [`Snapshot`]: crate::sampler::Snapshot

mod app;
mod cache;
pub mod json;
mod limit;
pub mod metrics;
pub mod monitor_api;
pub mod pistat;
mod query;
pub mod reply;
mod route;
pub mod server;
pub mod tegrastats_api;

pub use app::{App, read_body};
pub use cache::Cache;
pub use limit::RateLimiter;
