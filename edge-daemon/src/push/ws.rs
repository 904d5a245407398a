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
use hyper::header::{HOST, HeaderMap, ORIGIN};
use smol::stream::StreamExt;

use super::Push;
use super::upgrade::{Socket, close, send};
use crate::http::json::to_bytes;
use crate::http::monitor_api::{SPEED_HISTORY_SECONDS, SpeedHistory};

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
    let host = headers.get(HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin.split_once("://").map(|(_, rest)| rest.trim_end_matches('/'));
    host.is_some_and(|host| origin_host.is_some_and(|o| o.eq_ignore_ascii_case(host)))
}

/// Serves one `/api/ws` client until it leaves.
pub async fn serve(push: Rc<Push>, mut socket: Socket) {
    if !push.admit() {
        let frame = CloseFrame { code: CloseCode::Error, reason: "Server full".into() };
        close(&mut socket, Some(frame)).await;
        return;
    }
    push.ws_clients.set(push.ws_clients.get() + 1);
    run(&push, &mut socket).await;
    push.ws_clients.set(push.ws_clients.get().saturating_sub(1));
}

async fn run(push: &Push, socket: &mut Socket) {
    let since = crate::sampler::now_micros() - i64::from(SPEED_HISTORY_SECONDS) * 1_000_000;
    let points: Vec<_> = push.shared.with_ring(|r| r.since(since).copied().collect());
    let history =
        SpeedHistory { points: &points, started_unix_micros: push.shared.started_unix_micros };
    let Some(history) = to_bytes(&Typed("history", &history)) else { return };
    if !send(socket, Message::text(String::from_utf8_lossy(&history).into_owned())).await {
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
                if !send(socket, Message::text(payload.to_string())).await {
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
            Next::Frame(Some(Ok(Message::Close(_))) | None | Some(Err(_))) => return,
            Next::Frame(Some(Ok(_))) => last_heard = Instant::now(),
        }
    }
}

/// `{"type": "<kind>", "payload": <value>}`.
pub struct Typed<'a, T>(pub &'static str, pub &'a T);

impl<T: serde::Serialize> serde::Serialize for Typed<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("type", self.0)?;
        map.serialize_entry("payload", self.1)?;
        map.end()
    }
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
        let allowed = ["https://dash.example".to_owned()];
        assert!(origin_allowed(&headers("10.0.0.5:58090", Some("https://dash.example")), &allowed));
        assert!(!origin_allowed(
            &headers("10.0.0.5:58090", Some("http://10.0.0.5:58090")),
            &allowed
        ));
    }
}
