//! The listener: hyper 1 (HTTP/1.1) on smol, one task per connection, at
//! most [`MAX_CONNECTIONS`] at once, a request head within
//! [`HEADER_TIMEOUT`].

use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use smol::lock::Semaphore;
use smol::net::TcpListener;
use smol_hyper::rt::{FuturesIo, SmolTimer};

use crate::api::App;
use edgestat_common::log::{Level, log};

/// Connections served at once; more wait in the kernel's backlog.
pub const MAX_CONNECTIONS: usize = 512;

/// Time a client has to send a request head.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Largest request head, bytes.
pub const MAX_HEAD: usize = 8 * 1024;

/// Serves `listener` forever.
pub async fn serve(ex: Arc<smol::Executor<'static>>, listener: TcpListener, app: Arc<App>) {
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut builder = http1::Builder::new();
    builder
        .timer(SmolTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_buf_size(MAX_HEAD.max(8192))
        .keep_alive(true);
    let builder = Arc::new(builder);
    loop {
        let permit = permits.acquire_arc().await;
        let (stream, peer) = match listener.accept().await {
            Ok((stream, peer)) => (stream, peer.ip()),
            Err(e) => {
                log!(Level::Error, "accept: {e}");
                smol::Timer::after(Duration::from_millis(100)).await;
                continue;
            }
        };
        let (app, builder) = (app.clone(), builder.clone());
        ex.spawn(async move {
            let _ = stream.set_nodelay(true);
            let service = service_fn(move |request| {
                let app = app.clone();
                async move { Ok::<_, std::convert::Infallible>(app.handle(request, peer).await) }
            });
            let _ = builder.serve_connection(FuturesIo::new(stream), service).await;
            drop(permit);
        })
        .detach();
    }
}
