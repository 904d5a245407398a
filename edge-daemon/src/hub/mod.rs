//! The hub: what every transport shares, so that none imports another.
//!
//! - the sampler's output ([`Shared`]) and each view's bytes for it,
//!   rendered at most once per sample ([`Hub::rendered`]) and, for HTTP,
//!   reused for the response cache's lifetime ([`Hub::cached`]);
//! - the daemon's counters, each written by the transport it counts;
//! - the contracts the composition root wires: [`Live`] (the live clients,
//!   which push keeps) and [`Endpoint`] (a request the HTTP server routes
//!   to another transport: Socket.IO, `/api/ws`, `/deploy`);
//! - the response vocabulary ([`reply`]) and bearer-token checks
//!   ([`auth`]) of everything answered over HTTP.

pub mod auth;
mod renders;
pub mod reply;

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper::Request;
use hyper::body::{Bytes, Incoming};

use crate::model::Sample;
use crate::sampler::Shared;
use crate::views::monitor::Daemon;
use crate::views::{Context, Doc, Facts};
pub use reply::Reply;

/// Query parameters, decoded, in order.
pub type Params = [(String, String)];

/// A request the HTTP server hands to another transport.
pub trait Endpoint {
    /// Answers `request` (its query already decoded into `params`).
    fn serve<'a>(
        &'a self,
        request: Request<Incoming>,
        params: &'a Params,
    ) -> Pin<Box<dyn Future<Output = Reply> + 'a>>;
}

/// The client at the other end of a request's connection: its address,
/// for per-client limits, and for a handler that waits (a Socket.IO
/// long-poll) whether it is still there before it hands over what it would
/// otherwise lose. Carried in each request's extensions.
///
/// The HTTP server answers requests whose client has shut down its sending
/// side (`nc -N`), so it no longer drops a request on the client's FIN;
/// this is how a long-poll notices a client that went away instead.
#[derive(Debug, Clone)]
pub struct Peer {
    stream: smol::net::TcpStream,
    ip: std::net::IpAddr,
}

impl Peer {
    /// The client at `ip` on `stream`.
    pub fn new(stream: smol::net::TcpStream, ip: std::net::IpAddr) -> Self {
        Peer { stream, ip }
    }

    /// The client's address (an IPv4-mapped IPv6 address as IPv4).
    pub fn ip(&self) -> std::net::IpAddr {
        self.ip
    }

    /// Whether the client has closed its side: its FIN arrived and no data
    /// is waiting, or the connection was reset.
    pub fn gone(&self) -> bool {
        use nix::sys::socket::{MsgFlags, recv};
        use std::os::fd::AsRawFd;
        let mut byte = [0u8; 1];
        let flags = MsgFlags::MSG_PEEK | MsgFlags::MSG_DONTWAIT;
        match recv(self.stream.as_raw_fd(), &mut byte, flags) {
            Ok(0) => true,
            Ok(_) => false,
            Err(e) => e != nix::errno::Errno::EAGAIN && e != nix::errno::Errno::EINTR,
        }
    }
}

/// The live clients (Socket.IO sessions and `/api/ws` sockets), as the
/// push transport counts them.
pub trait Live {
    /// Clients connected now.
    fn clients(&self) -> u32;
    /// Clients allowed at once (`--max-connections`).
    fn max_clients(&self) -> u32;
}

/// The daemon's counters. HTTP writes the connection and cache counts.
#[derive(Debug, Default)]
pub struct Counters {
    /// HTTP connections accepted since start.
    pub accepted: Cell<u64>,
    /// HTTP connections closed since start.
    pub closed: Cell<u64>,
    /// HTTP connections open now.
    pub open: Cell<u32>,
    /// Responses served from bytes already rendered.
    pub cache_hits: Cell<u64>,
    /// Responses that needed a render.
    pub cache_misses: Cell<u64>,
    /// Documents rendered since start, over every transport.
    pub renders: Cell<u64>,
    /// HTTP connections closed at once because their client address held
    /// its share already.
    pub refused_per_ip: Cell<u64>,
}

/// `ip` with an IPv4-mapped IPv6 address as the IPv4 one, so that a
/// client counts once whichever socket family it came in on.
pub fn client_ip(ip: std::net::IpAddr) -> std::net::IpAddr {
    match ip {
        std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, std::net::IpAddr::V4),
        v4 => v4,
    }
}

/// Adds one to `counter`.
pub fn bump(counter: &Cell<u64>) {
    counter.set(counter.get().saturating_add(1));
}

/// Why a document could not be had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    /// No sample yet (503).
    Starting,
    /// The document outgrew the largest response (500).
    TooLarge,
}

/// The hub.
pub struct Hub {
    /// The sampler's output.
    pub shared: Arc<Shared>,
    /// What the views say about the daemon itself.
    pub facts: Facts,
    /// The daemon's counters.
    pub counters: Counters,
    cache_ttl: Duration,
    renders: RefCell<renders::Renders>,
    live: RefCell<Option<Rc<dyn Live>>>,
}

impl Hub {
    /// A hub over `shared`; HTTP reuses a document's bytes for `cache_ttl`
    /// (zero: only within one sample).
    pub fn new(shared: Arc<Shared>, facts: Facts, cache_ttl: Duration) -> Self {
        Hub {
            shared,
            facts,
            counters: Counters::default(),
            cache_ttl,
            renders: RefCell::default(),
            live: RefCell::new(None),
        }
    }

    /// Wires the live transport's client count.
    pub fn set_live(&self, live: Rc<dyn Live>) {
        *self.live.borrow_mut() = Some(live);
    }

    /// The latest sample; `None` until the first one.
    pub fn latest(&self) -> Option<Arc<Sample>> {
        self.shared.latest()
    }

    /// Live clients now.
    pub fn live_clients(&self) -> u32 {
        self.live.borrow().as_ref().map_or(0, |l| l.clients())
    }

    /// The daemon's figures for seed 004.
    pub fn daemon(&self) -> Daemon {
        let live = self.live.borrow();
        let c = &self.counters;
        Daemon {
            active_clients: live.as_ref().map_or(0, |l| l.clients()),
            max_clients: live.as_ref().map_or(0, |l| l.max_clients()),
            accepted: c.accepted.get(),
            closed: c.closed.get(),
            open: c.open.get(),
            cache_hits: c.cache_hits.get(),
            cache_misses: c.cache_misses.get(),
        }
    }

    /// The bytes of `doc` for `sample`, rendered once for that sample and
    /// shared by every transport that asks.
    pub fn rendered(&self, doc: &Doc, sample: &Sample) -> Result<Bytes, Unavailable> {
        if let Some(bytes) = self.renders.borrow().get(doc, sample.seq, None) {
            return Ok(bytes);
        }
        self.render(doc, sample)
    }

    /// HTTP's view of `doc`: bytes rendered for the latest sample, or for
    /// an older one within the cache lifetime (never for `/metrics`, whose
    /// scraper keeps its own time); `fresh` skips the older ones (piStat's
    /// `cache=false`). Counts a hit or a miss.
    pub fn cached(&self, doc: &Doc, fresh: bool) -> Result<Bytes, Unavailable> {
        let latest = self.latest().ok_or(Unavailable::Starting)?;
        let ttl = (!fresh && *doc != Doc::Metrics).then_some(self.cache_ttl);
        let kept = self.renders.borrow().get(doc, latest.seq, ttl.map(|t| (t, Instant::now())));
        if let Some(bytes) = kept {
            bump(&self.counters.cache_hits);
            return Ok(bytes);
        }
        bump(&self.counters.cache_misses);
        self.render(doc, &latest)
    }

    /// `/api/ws`'s stats message for `sample`: the seed 004 stats with the
    /// very bytes of `/api/status` spliced in.
    pub fn ws_stats(&self, sample: &Sample) -> Result<Bytes, Unavailable> {
        let status = self.rendered(&Doc::Status(crate::views::Section::Status), sample)?;
        let pools = self.rendered(&Doc::MonitorPools, sample)?;
        Ok(crate::views::ws_stats(&pools, &status))
    }

    fn render(&self, doc: &Doc, sample: &Sample) -> Result<Bytes, Unavailable> {
        let draw = |ring: Option<&crate::model::Ring>| {
            let cx = Context { facts: &self.facts, daemon: self.daemon(), ring };
            crate::views::render(doc, sample, &cx)
        };
        let bytes = if doc.needs_ring() {
            self.shared.with_ring(|ring| draw(Some(ring)))
        } else {
            draw(None)
        };
        let bytes = bytes.ok_or(Unavailable::TooLarge)?;
        bump(&self.counters.renders);
        self.renders.borrow_mut().put(doc, sample.seq, Instant::now(), bytes.clone());
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Board;
    use crate::views::{Section, monitor};

    fn hub(cache_ttl: Duration) -> Hub {
        let shared = Arc::new(Shared::new(Arc::new(Board::default()), Duration::from_secs(1)));
        let facts = Facts {
            interval_secs: 1.0,
            started_unix_micros: 0,
            monitor_config: monitor::Config {
                speed_history_duration: 60,
                broadcast_interval: 1.0,
                websocket_max_connections: 10,
                websocket_heartbeat_timeout: 60,
                vless_max_connections: 64,
            },
            performance: monitor::Performance {
                buffer_size: 16384,
                tcp_nodelay: true,
                tcp_recv_buffer: None,
                tcp_send_buffer: None,
                stats_batch_size: 65536,
            },
        };
        Hub::new(shared, facts, cache_ttl)
    }

    fn publish(hub: &Hub, seq: u64) -> Arc<Sample> {
        hub.shared.publish(Sample {
            seq,
            unix_micros: 1_000_000 * seq as i64,
            ..Sample::default()
        });
        hub.latest().unwrap()
    }

    #[test]
    fn a_document_is_rendered_once_per_sample_whoever_asks() {
        let hub = hub(Duration::ZERO);
        assert_eq!(hub.cached(&Doc::Metrics, false), Err(Unavailable::Starting));
        let status = Doc::Status(Section::Status);
        let first = publish(&hub, 1);
        // Socket.IO's update, the REST route, /api/ws's message: one render
        // of /api/status, plus one of the pools for /api/ws.
        let pushed = hub.rendered(&status, &first).unwrap();
        let served = hub.cached(&status, true).unwrap();
        let ws = hub.ws_stats(&first).unwrap();
        assert_eq!(pushed, served);
        assert!(ws.windows(pushed.len()).any(|w| w == &pushed[..]), "the same bytes in /api/ws");
        for _ in 0..10 {
            hub.cached(&status, false).unwrap();
            hub.rendered(&status, &first).unwrap();
        }
        assert_eq!(hub.counters.renders.get(), 2, "/api/status once, the pools once");
        let second = publish(&hub, 2);
        let newer = hub.cached(&status, false).unwrap();
        assert_ne!(newer, served, "a new sample, new bytes");
        hub.rendered(&status, &second).unwrap();
        assert_eq!(hub.counters.renders.get(), 3);
    }

    #[test]
    fn the_cache_lifetime_reuses_bytes_across_samples_but_not_for_fresh_asks() {
        let hub = hub(Duration::from_secs(60));
        let status = Doc::Status(Section::Status);
        publish(&hub, 1);
        let old = hub.cached(&status, false).unwrap();
        publish(&hub, 2);
        assert_eq!(hub.cached(&status, false).unwrap(), old, "within the lifetime");
        assert_ne!(hub.cached(&status, true).unwrap(), old, "cache=false: the latest sample");
        assert_eq!(hub.counters.cache_hits.get(), 1);
        assert_eq!(hub.counters.cache_misses.get(), 2);
        publish(&hub, 3);
        let metrics = hub.cached(&Doc::Metrics, false).unwrap();
        publish(&hub, 4);
        assert_ne!(
            hub.cached(&Doc::Metrics, false).unwrap(),
            metrics,
            "/metrics: always the latest"
        );
    }
}
