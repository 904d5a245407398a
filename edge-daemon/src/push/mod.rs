//! Live push: Socket.IO at `/socket.io/` (seed 000) and the websocket at
//! `/api/ws` (seed 004). Clients are served from the sampler's published
//! samples; a new client adds no collection work, and all clients of a
//! surface share one rendered update per sample.

mod engineio;
mod io;
pub mod socketio;
mod socketio_http;
pub mod upgrade;
pub mod ws;

pub use socketio_http::serve as serve_socketio;

use std::cell::{Cell, RefCell};
use std::io::Read as _;
use std::rc::Rc;
use std::sync::Arc;

use event_listener::Event;
use smol::LocalExecutor;

use crate::http::json::to_bytes;
use crate::http::monitor_api::{self, Daemon};
use crate::http::tegrastats_api::{Section, View};
use crate::sampler::Shared;

/// The daemon's own connection counters, for seed 004's pool statistics.
#[derive(Debug, Default)]
pub struct Counters {
    /// HTTP connections accepted since start.
    pub accepted: Cell<u64>,
    /// HTTP connections closed since start.
    pub closed: Cell<u64>,
    /// Responses served from the cache.
    pub cache_hits: Cell<u64>,
    /// Responses rendered because no fresh cached one existed.
    pub cache_misses: Cell<u64>,
}

impl Counters {
    /// Adds one to `counter`.
    pub fn bump(counter: &Cell<u64>) {
        counter.set(counter.get().saturating_add(1));
    }
}

/// The push surfaces and their shared client cap.
pub struct Push {
    /// Socket.IO sessions.
    pub socketio: socketio::Hub,
    /// `/api/ws` clients now.
    pub ws_clients: Cell<u32>,
    /// The newest `/api/ws` stats message, by sample.
    pub ws_payload: RefCell<Option<(u64, Rc<str>)>>,
    /// Notified when `ws_payload` changes.
    pub ws_changed: Event,
    /// Browser origins allowed on `/api/ws` (empty: same host).
    pub allowed_origins: Vec<String>,
    /// HTTP connection and cache counters.
    pub counters: Counters,
    /// HTTP connections open now.
    pub open_connections: Cell<u32>,
    /// The sampler's output (for the history a websocket starts with).
    pub shared: Arc<Shared>,
    /// Live clients allowed at once, over all push surfaces
    /// (`--max-connections`).
    pub max_clients: u32,
    /// Clients refused at the cap, since start.
    pub refused: Cell<u64>,
    /// Where websocket tasks run.
    pub ex: Rc<LocalExecutor<'static>>,
}

impl Push {
    /// Push surfaces over `shared`, capped at `max_clients`, spawning on `ex`.
    pub fn new(
        shared: Arc<Shared>,
        max_clients: u32,
        allowed_origins: Vec<String>,
        ex: Rc<LocalExecutor<'static>>,
    ) -> Self {
        Push {
            socketio: socketio::Hub::default(),
            ws_clients: Cell::new(0),
            ws_payload: RefCell::new(None),
            ws_changed: Event::new(),
            allowed_origins,
            counters: Counters::default(),
            open_connections: Cell::new(0),
            shared,
            max_clients,
            refused: Cell::new(0),
            ex,
        }
    }

    /// Live clients now, over both surfaces.
    pub fn clients(&self) -> u32 {
        u32::try_from(self.socketio.len()).unwrap_or(u32::MAX).saturating_add(self.ws_clients.get())
    }

    /// The daemon's figures for seed 004's payloads.
    pub fn daemon(&self) -> Daemon {
        Daemon {
            active_clients: self.clients(),
            max_clients: self.max_clients,
            accepted: self.counters.accepted.get(),
            closed: self.counters.closed.get(),
            open: self.open_connections.get(),
            cache_hits: self.counters.cache_hits.get(),
            cache_misses: self.counters.cache_misses.get(),
        }
    }

    /// Whether one more client fits under the cap; counts a refusal if not.
    pub fn admit(&self) -> bool {
        let fits = self.clients() < self.max_clients;
        if !fits {
            self.refused.set(self.refused.get() + 1);
        }
        fits
    }

    /// Renders each published sample once for every connected client, and
    /// keeps the sessions' pings and timeouts. Runs until the daemon stops.
    pub async fn run(self: Rc<Self>) {
        let shared = self.shared.clone();
        let ex = self.ex.clone();
        let watcher = self.clone();
        ex.spawn(async move { watcher.socketio.watch().await }).detach();
        let mut seen = 0;
        loop {
            let listener = shared.published.listen();
            let latest = shared.latest().filter(|s| s.seq > seen);
            let Some(snapshot) = latest else {
                listener.await;
                continue;
            };
            seen = snapshot.seq;
            // No work for data nobody reads; and no stale payload kept
            // for a client that joins later.
            if self.socketio.len() == 0 {
                self.socketio.forget_update();
            }
            if self.ws_clients.get() == 0 {
                *self.ws_payload.borrow_mut() = None;
            }
            if self.socketio.len() > 0 {
                if let Some(json) = to_bytes(&View(&snapshot, Section::Status)) {
                    self.socketio.publish(snapshot.seq, &json);
                }
            }
            if self.ws_clients.get() > 0 {
                let stats =
                    monitor_api::Stats { snapshot: &snapshot, daemon: self.daemon(), pools: true };
                if let Some(json) = to_bytes(&ws::Typed("stats", &stats)) {
                    let text: Rc<str> = String::from_utf8_lossy(&json).into();
                    *self.ws_payload.borrow_mut() = Some((snapshot.seq, text));
                    self.ws_changed.notify(usize::MAX);
                }
            }
        }
    }
}

/// A random session id: 16 bytes from the kernel as 32 hex digits.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    let filled = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if filled.is_err() {
        // No /dev/urandom (a bare container): the std hasher's random keys.
        use std::hash::{BuildHasher, Hasher};
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        hasher.write_u128(now.map_or(0, |d| d.as_nanos()));
        for (slot, byte) in bytes.iter_mut().zip(hasher.finish().to_le_bytes()) {
            *slot = byte;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
