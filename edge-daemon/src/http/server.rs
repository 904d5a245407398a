//! The listener: hyper 1 (HTTP/1.1) on smol, one task per connection, with
//! hard bounds and a graceful shutdown.
//!
//! - At most `max_http_connections` connections are served at once; more wait
//!   in the kernel's accept backlog, costing the daemon nothing.
//! - A client must send its request head within [`HEADER_TIMEOUT`] (the
//!   slowloris guard; hyper enforces it only with a timer set) and in at
//!   most [`MAX_HEAD`] bytes (else 431).
//! - On shutdown the listener closes, idle connections close, and requests
//!   in flight finish, for up to [`DRAIN_TIMEOUT`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::pin::pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use event_listener::Event;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use smol::LocalExecutor;
use smol::lock::Semaphore;
use smol::net::TcpListener;
use smol_hyper::rt::{FuturesIo, SmolTimer};

use edgestat_common::log::{Level, log};

use super::App;
use crate::hub::{Peer, bump, client_ip};

/// Time a client has to send a whole request head.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Largest request head (request line and headers), bytes.
pub const MAX_HEAD: usize = 8 * 1024;

/// hyper's read buffer per connection (its minimum is 8 KiB).
pub const READ_BUF: usize = 16 * 1024;

/// Each connection's kernel send buffer, bytes (the kernel doubles it for
/// bookkeeping). A full `/stats` or `/api/status` answer is under 8 KiB.
pub const SEND_BUF: usize = 32 * 1024;

/// How long shutdown waits for requests in flight.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// Tells the server to stop; cloneable across threads.
#[derive(Debug, Clone, Default)]
pub struct Shutdown(Arc<(AtomicBool, Event)>);

impl Shutdown {
    /// Starts the shutdown.
    pub fn trigger(&self) {
        self.0.0.store(true, Ordering::SeqCst);
        self.0.1.notify(usize::MAX);
    }

    /// Resolves once shutdown has started.
    pub async fn wait(&self) {
        loop {
            let listener = self.0.1.listen();
            if self.0.0.load(Ordering::SeqCst) {
                return;
            }
            listener.await;
        }
    }
}

/// Serves `listener` until `shutdown`, then drains: at most
/// `max_connections` at once, and at most `per_ip` of them from one client
/// address (one more is closed at once, so one client cannot take every
/// slot, whatever answers its requests get).
pub async fn serve(
    ex: &LocalExecutor<'_>,
    listener: TcpListener,
    app: Rc<App>,
    (max_connections, per_ip): (u32, u32),
    shutdown: Shutdown,
) {
    let held: Rc<RefCell<HashMap<IpAddr, u32>>> = Rc::default();
    let slots = usize::try_from(max_connections.max(1)).unwrap_or(usize::MAX);
    let permits = Arc::new(Semaphore::new(slots));
    let mut builder = http1::Builder::new();
    builder
        .timer(SmolTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_header_size(MAX_HEAD)
        .max_buf_size(READ_BUF)
        .keep_alive(true)
        // A client that sends its request and then shuts down its write
        // side (`nc -N`, some scripts) still gets the answer.
        .half_close(true);
    let builder = Rc::new(builder);
    loop {
        let accepted = smol::future::or(
            async {
                let permit = permits.acquire_arc().await;
                Some((listener.accept().await, permit))
            },
            async {
                shutdown.wait().await;
                None
            },
        )
        .await;
        let Some((accepted, permit)) = accepted else { break };
        let (stream, peer): (_, SocketAddr) = match accepted {
            Ok(pair) => pair,
            Err(e) => {
                // EMFILE and friends: back off instead of spinning.
                log!(Level::Error, "accept: {e}");
                smol::Timer::after(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(local) = stream.local_addr() else { continue };
        let ip = client_ip(peer.ip());
        {
            let mut held = held.borrow_mut();
            let count = held.entry(ip).or_default();
            if *count >= per_ip {
                bump(&app.hub.counters.refused_per_ip);
                continue; // the stream and its permit are dropped: closed
            }
            *count += 1;
        }
        let (app, builder, shutdown, held) =
            (app.clone(), builder.clone(), shutdown.clone(), held.clone());
        ex.spawn(async move {
            let _ = stream.set_nodelay(true);
            // A fixed send buffer: Linux otherwise grows it up to tcp_wmem's
            // maximum (4 MiB) for a client that does not read, and a live
            // client would be fed a backlog minutes old instead of blocking
            // and being handed the newest sample when it reads again.
            let _ = nix::sys::socket::setsockopt(&stream, nix::sys::socket::sockopt::SndBuf, &SEND_BUF);
            let counters = &app.hub.counters;
            counters.open.set(counters.open.get() + 1);
            bump(&counters.accepted);
            let client = Peer::new(stream.clone(), ip);
            let service = service_fn(|mut request: hyper::Request<hyper::body::Incoming>| {
                let app = app.clone();
                request.extensions_mut().insert(client.clone());
                async move { Ok::<_, std::convert::Infallible>(app.handle(request, peer, local).await) }
            });
            let mut connection =
                pin!(builder.serve_connection(FuturesIo::new(stream), service).with_upgrades());
            let finished = smol::future::or(async { Some(connection.as_mut().await) }, async {
                shutdown.wait().await;
                None
            })
            .await;
            if finished.is_none() {
                connection.as_mut().graceful_shutdown();
                let _ = smol::future::or(connection.as_mut(), async {
                    smol::Timer::after(DRAIN_TIMEOUT).await;
                    Ok(())
                })
                .await;
            }
            let counters = &app.hub.counters;
            counters.open.set(counters.open.get().saturating_sub(1));
            bump(&counters.closed);
            {
                let mut held = held.borrow_mut();
                if let Some(count) = held.get_mut(&ip) {
                    *count = count.saturating_sub(1);
                    if *count == 0 {
                        held.remove(&ip);
                    }
                }
            }
            drop(permit);
        })
        .detach();
    }
    drop(listener);
    // Drain: every permit back means every connection has finished.
    let drained = async {
        for _ in 0..slots {
            permits.acquire_arc().await.forget();
        }
    };
    smol::future::or(drained, async {
        smol::Timer::after(DRAIN_TIMEOUT + Duration::from_secs(1)).await;
    })
    .await;
}
