//! Live push: Socket.IO at `/socket.io/` (seed 000). Clients are served
//! from the sampler's published samples; a new client adds no collection
//! work, and all clients together share one rendered update per sample.

mod engineio;
mod io;
pub mod socketio;
mod socketio_http;
pub mod upgrade;

pub use socketio_http::serve as serve_socketio;

use std::cell::Cell;
use std::io::Read as _;
use std::rc::Rc;
use std::sync::Arc;

use smol::LocalExecutor;

use crate::http::json::to_bytes;
use crate::http::tegrastats_api::{Section, View};
use crate::sampler::Shared;

/// The push surfaces and their shared client cap.
pub struct Push {
    /// Socket.IO sessions.
    pub socketio: socketio::Hub,
    /// Live clients allowed at once, over all push surfaces
    /// (`--max-connections`).
    pub max_clients: u32,
    /// Clients refused at the cap, since start.
    pub refused: Cell<u64>,
    /// Where websocket tasks run.
    pub ex: Rc<LocalExecutor<'static>>,
}

impl Push {
    /// Push surfaces capped at `max_clients`, spawning on `ex`.
    pub fn new(max_clients: u32, ex: Rc<LocalExecutor<'static>>) -> Self {
        Push { socketio: socketio::Hub::default(), max_clients, refused: Cell::new(0), ex }
    }

    /// Live clients now.
    pub fn clients(&self) -> u32 {
        u32::try_from(self.socketio.len()).unwrap_or(u32::MAX)
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
    pub async fn run(self: Rc<Self>, shared: Arc<Shared>) {
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
            if self.clients() == 0 {
                continue; // no work for data nobody reads
            }
            if let Some(json) = to_bytes(&View(&snapshot, Section::Status)) {
                self.socketio.publish(snapshot.seq, &json);
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
