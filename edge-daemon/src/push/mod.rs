//! The live transport: Socket.IO at `/socket.io/` (seed 000) and the
//! websocket at `/api/ws` (seed 004). Clients are served from the
//! sampler's published samples; a new client adds no collection work and
//! no rendering work: every client of a surface gets the same bytes, which
//! the hub renders once per sample (Socket.IO's update is `/api/status`'s
//! very body).

mod engineio;
mod io;
pub mod socketio;
mod socketio_http;
pub mod upgrade;
pub mod ws;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::io::Read as _;
use std::net::IpAddr;
use std::pin::Pin;
use std::rc::Rc;

use event_listener::Event;
use hyper::Request;
use hyper::body::{Bytes, Incoming};
use smol::LocalExecutor;

use crate::hub::{self, Hub, Params, Reply};
use crate::views::{Doc, Section};

/// The push surfaces and their shared client cap.
pub struct Push {
    /// Socket.IO sessions.
    pub socketio: socketio::Hub,
    /// `/api/ws` clients now.
    pub ws_clients: Cell<u32>,
    /// `/api/ws` clients now, by address.
    ws_by_ip: RefCell<HashMap<IpAddr, u32>>,
    /// The newest `/api/ws` stats message, by sample.
    pub ws_payload: RefCell<Option<(u64, Bytes)>>,
    /// Notified when `ws_payload` changes.
    pub ws_changed: Event,
    /// Browser origins allowed on `/api/ws` (empty: same host).
    pub allowed_origins: Vec<String>,
    /// The sample and its rendered views.
    pub hub: Rc<Hub>,
    /// Live clients allowed at once, over all push surfaces
    /// (`--max-connections`).
    pub max_clients: u32,
    /// Live clients one address may hold (`--max-connections-per-ip`).
    pub max_per_ip: u32,
    /// Clients refused at the cap, since start.
    pub refused: Cell<u64>,
    /// Where websocket tasks run.
    pub ex: Rc<LocalExecutor<'static>>,
}

impl Push {
    /// Push surfaces over `hub`, capped at `(max_clients, max_per_ip)`,
    /// spawning on `ex`.
    pub fn new(
        hub: Rc<Hub>,
        (max_clients, max_per_ip): (u32, u32),
        allowed_origins: Vec<String>,
        ex: Rc<LocalExecutor<'static>>,
    ) -> Self {
        Push {
            socketio: socketio::Hub::default(),
            ws_clients: Cell::new(0),
            ws_by_ip: RefCell::default(),
            max_per_ip,
            ws_payload: RefCell::new(None),
            ws_changed: Event::new(),
            allowed_origins,
            hub,
            max_clients,
            refused: Cell::new(0),
            ex,
        }
    }

    /// Live clients now, over both surfaces.
    pub fn clients(&self) -> u32 {
        u32::try_from(self.socketio.len()).unwrap_or(u32::MAX).saturating_add(self.ws_clients.get())
    }

    /// Whether one more client from `ip` fits under both caps; counts a
    /// refusal if not.
    pub fn admit(&self, ip: IpAddr) -> bool {
        let from_ip = self
            .socketio
            .from(ip)
            .saturating_add(self.ws_by_ip.borrow().get(&ip).copied().unwrap_or(0));
        let fits = self.clients() < self.max_clients && from_ip < self.max_per_ip;
        if !fits {
            self.refused.set(self.refused.get() + 1);
        }
        fits
    }

    /// Counts an `/api/ws` client from `ip` in (`+1`) or out (`-1`).
    pub fn count_ws(&self, ip: IpAddr, delta: i32) {
        let mut by_ip = self.ws_by_ip.borrow_mut();
        let n = by_ip.entry(ip).or_default();
        *n = n.saturating_add_signed(delta);
        if *n == 0 {
            by_ip.remove(&ip);
        }
        let total = self.ws_clients.get().saturating_add_signed(delta);
        self.ws_clients.set(total);
    }

    /// Hands each published sample's bytes to every connected client, and
    /// keeps the sessions' pings and timeouts. Runs until the daemon stops.
    pub async fn run(self: Rc<Self>) {
        let shared = self.hub.shared.clone();
        let ex = self.ex.clone();
        let watcher = self.clone();
        ex.spawn(async move { watcher.socketio.watch().await }).detach();
        let mut seen = 0;
        loop {
            let listener = shared.published.listen();
            let latest = shared.latest().filter(|s| s.seq > seen);
            let Some(sample) = latest else {
                listener.await;
                continue;
            };
            seen = sample.seq;
            // No work for data nobody reads; and no stale payload kept
            // for a client that joins later.
            if self.socketio.is_empty() {
                self.socketio.forget_update();
            }
            if self.ws_clients.get() == 0 {
                *self.ws_payload.borrow_mut() = None;
            }
            if !self.socketio.is_empty() {
                if let Ok(json) = self.hub.rendered(&Doc::Status(Section::Status), &sample) {
                    self.socketio.publish(sample.seq, &json);
                }
            }
            if self.ws_clients.get() > 0 {
                if let Ok(message) = self.hub.ws_stats(&sample) {
                    *self.ws_payload.borrow_mut() = Some((sample.seq, message));
                    self.ws_changed.notify(usize::MAX);
                }
            }
        }
    }
}

impl hub::Live for Push {
    fn clients(&self) -> u32 {
        Push::clients(self)
    }

    fn max_clients(&self) -> u32 {
        self.max_clients
    }
}

/// `/socket.io/`, as the HTTP server hands it over.
pub struct SocketIo(pub Rc<Push>);

impl hub::Endpoint for SocketIo {
    fn serve<'a>(
        &'a self,
        request: Request<Incoming>,
        params: &'a Params,
    ) -> Pin<Box<dyn Future<Output = Reply> + 'a>> {
        Box::pin(socketio_http::serve(&self.0, request, params))
    }
}

/// `/api/ws`, as the HTTP server hands it over.
pub struct Ws(pub Rc<Push>);

impl hub::Endpoint for Ws {
    fn serve<'a>(
        &'a self,
        request: Request<Incoming>,
        _params: &'a Params,
    ) -> Pin<Box<dyn Future<Output = Reply> + 'a>> {
        Box::pin(async move {
            let ip = peer_ip(&request);
            ws::upgrade(&self.0, request, ip)
        })
    }
}

/// The client's address, as the HTTP transport saw it.
fn peer_ip(request: &Request<Incoming>) -> IpAddr {
    let peer = request.extensions().get::<hub::Peer>();
    peer.map_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), hub::Peer::ip)
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
