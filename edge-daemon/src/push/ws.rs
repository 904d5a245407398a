//! `/api/ws` (alias `/ws`), seed 004's websocket: the speed history on
//! connect, then `{"type":"stats","payload":…}` once per sample.
//!
//! - Origin: a browser's `Origin` must be in `--allowed-origins`, or, when
//!   that is empty, name the same host the request was sent to. Clients
//!   that send no `Origin` (scripts, not browsers) are not subject to it.
//! - Over the client cap the socket is accepted and closed with 1011
//!   "Server full", as the seed does.
//! - Ping frames every [`PING_EVERY`]; a client silent for
//!   [`IDLE_TIMEOUT`] is closed.
//! - A client is sent the newest payload when it can take one; a slow
//!   reader never makes a queue grow.

use std::rc::Rc;
use std::time::{Duration, Instant};

use async_tungstenite::tungstenite::Message;
use async_tungstenite::tungstenite::protocol::CloseFrame;
use async_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use edgestat_common::time::now_micros;
use hyper::body::Incoming;
use hyper::header::{HOST, HeaderMap, ORIGIN};
use hyper::{Request, StatusCode};
use smol::stream::StreamExt;

use super::Push;
use super::upgrade::{Socket, close, send};
use crate::hub::reply::{self, Reply};
use crate::views::Doc;

/// Ping frames are sent this often.
pub const PING_EVERY: Duration = Duration::from_secs(20);

/// A client that sends nothing (not even a pong) for this long is closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// Whether a request with these headers may open the websocket.
pub fn origin_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let Some(origin) = headers.get(ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true; // not a browser
    };
    if !allowed.is_empty() {
        return allowed.iter().any(|a| a.eq_ignore_ascii_case(origin));
    }
    // The same host means the page came from this daemon, which speaks
    // plain http: `https://` or any other scheme is another origin.
    let host = headers.get(HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin.strip_prefix("http://").map(|rest| rest.trim_end_matches('/'));
    host.is_some_and(|host| origin_host.is_some_and(|o| o.eq_ignore_ascii_case(host)))
}

/// `/api/ws`: the Origin check, then the websocket handshake; the socket
/// is served on its own task.
pub fn upgrade(push: &Rc<Push>, mut request: Request<Incoming>, ip: std::net::IpAddr) -> Reply {
    let now = now_micros();
    if !origin_allowed(request.headers(), &push.allowed_origins) {
        return reply::error(StatusCode::FORBIDDEN, "Origin not allowed", now);
    }
    if !super::upgrade::is_upgrade(request.headers()) {
        return reply::error(StatusCode::BAD_REQUEST, "WebSocket upgrade required", now);
    }
    match super::upgrade::accept(&mut request) {
        Ok((reply, socket)) => {
            let task_push = push.clone();
            push.ex
                .spawn(async move {
                    if let Some(socket) = socket.await {
                        serve(task_push, socket, ip).await;
                    }
                })
                .detach();
            reply
        }
        Err(message) => reply::error(StatusCode::BAD_REQUEST, message, now),
    }
}

/// Serves one `/api/ws` client from `ip` until it leaves.
pub async fn serve(push: Rc<Push>, mut socket: Socket, ip: std::net::IpAddr) {
    if !push.admit(ip) {
        let frame = CloseFrame { code: CloseCode::Error, reason: "Server full".into() };
        close(&mut socket, Some(frame)).await;
        return;
    }
    push.count_ws(ip, 1);
    run(&push, &mut socket).await;
    push.count_ws(ip, -1);
}

async fn run(push: &Push, socket: &mut Socket) {
    // The speed history of the latest sample: `/api/speed-history`'s bytes.
    let history = match push.hub.latest() {
        Some(sample) => push.hub.rendered(&Doc::SpeedHistory, &sample).ok(),
        None => crate::views::json::to_bytes(&crate::views::monitor::SpeedHistory {
            points: &[],
            started_unix_micros: push.hub.facts.started_unix_micros,
        }),
    };
    let Some(history) = history else { return };
    if !send(socket, text(&crate::views::ws_history(&history))).await {
        return;
    }
    let mut sent = 0;
    let mut last_heard = Instant::now();
    let mut next_ping = Instant::now() + PING_EVERY;
    loop {
        let listener = push.ws_changed.listen();
        let newest = push.ws_payload.borrow().clone();
        if let Some((seq, payload)) = newest {
            if seq > sent {
                sent = seq;
                if !send(socket, text(&payload)).await {
                    return;
                }
            }
        }
        let now = Instant::now();
        if now.duration_since(last_heard) > IDLE_TIMEOUT {
            let frame = CloseFrame { code: CloseCode::Away, reason: "idle timeout".into() };
            close(socket, Some(frame)).await;
            return;
        }
        if now >= next_ping {
            next_ping = now + PING_EVERY;
            if !send(socket, Message::Ping(Vec::new().into())).await {
                return;
            }
        }
        enum Next {
            Frame(Option<Result<Message, async_tungstenite::tungstenite::Error>>),
            Tick,
        }
        let wake = next_ping.min(last_heard + IDLE_TIMEOUT);
        let next = smol::future::or(async { Next::Frame(socket.next().await) }, async {
            smol::future::or(listener, async {
                smol::Timer::at(wake).await;
            })
            .await;
            Next::Tick
        })
        .await;
        match next {
            Next::Tick => {}
            Next::Frame(Some(Ok(Message::Close(_)))) => {
                // Echo the client's Close (RFC 6455 §5.5.1) before going:
                // tungstenite queues the reply and writes it as the stream
                // is read on to its end.
                smol::future::or(async { while let Some(Ok(_)) = socket.next().await {} }, async {
                    smol::Timer::after(super::upgrade::SEND_TIMEOUT).await;
                })
                .await;
                return;
            }
            Next::Frame(None | Some(Err(_))) => return,
            Next::Frame(Some(Ok(_))) => last_heard = Instant::now(),
        }
    }
}

/// A text message of JSON bytes (views write valid UTF-8).
fn text(json: &[u8]) -> Message {
    Message::text(String::from_utf8_lossy(json).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    fn headers(host: &str, origin: Option<&'static str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(HOST, HeaderValue::from_str(host).unwrap());
        if let Some(origin) = origin {
            h.insert(ORIGIN, HeaderValue::from_static(origin));
        }
        h
    }

    #[test]
    fn origins() {
        assert!(origin_allowed(&headers("10.0.0.5:58090", None), &[]), "no Origin: not a browser");
        assert!(origin_allowed(&headers("10.0.0.5:58090", Some("http://10.0.0.5:58090")), &[]));
        assert!(!origin_allowed(&headers("10.0.0.5:58090", Some("http://evil.example")), &[]));
        // The same host and port under another scheme is another origin.
        for origin in ["https://10.0.0.5:58090", "evil://10.0.0.5:58090", "10.0.0.5:58090"] {
            assert!(!origin_allowed(&headers("10.0.0.5:58090", Some(origin)), &[]), "{origin}");
        }
        let allowed = ["https://dash.example".to_owned()];
        assert!(origin_allowed(&headers("10.0.0.5:58090", Some("https://dash.example")), &allowed));
        assert!(!origin_allowed(
            &headers("10.0.0.5:58090", Some("http://10.0.0.5:58090")),
            &allowed
        ));
    }
}
