//! The HTTP transport: a hyper server on smol ([`server`]), the request
//! pipeline ([`app`]: host check, route, rate limit, token, query) and the
//! route table ([`route`]). It carries bytes the hub renders from the
//! sample, and hands Socket.IO, `/api/ws` and `/deploy` to the endpoints
//! the composition root wires in.

mod app;
mod limit;
mod query;
pub mod route;
pub mod server;

pub use app::{App, Endpoints};
pub use limit::RateLimiter;
