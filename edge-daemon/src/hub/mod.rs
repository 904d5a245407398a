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
