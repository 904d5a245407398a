//! `/socket.io/` over HTTP: the Engine.IO handshake, long-polling GET and
//! POST, and the websocket upgrade, dispatched to the [`Hub`].
//!
//! [`Hub`]: super::socketio::Hub

use std::rc::Rc;

use hyper::body::{Body as _, Incoming};
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};

use super::socketio::{Attach, Closed, MAX_PAYLOAD, Poll};
use super::{Push, upgrade};
use crate::hub::reply::{Body, Reply};

/// Engine.IO's error body: `{"code":N,"message":"…"}` with 400 (or 403).
fn error(status: StatusCode, code: u8, message: &str) -> Reply {
    let body = format!(r#"{{"code":{code},"message":"{message}"}}"#);
    let mut reply = Response::new(Body::from(body));
    *reply.status_mut() = status;
    reply.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    reply
}

fn text(body: String) -> Reply {
    let mut reply = Response::new(Body::from(body));
    reply.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=UTF-8"));
    reply
}

/// Answers one request to `/socket.io/`: any method reaches here, so
/// that a wrong one gets Engine.IO's own answer.
pub async fn serve(
    push: &Rc<Push>,
    mut request: Request<Incoming>,
    params: &[(String, String)],
) -> Reply {
    let param = |name: &str| params.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    if param("EIO") != Some("4") {
        return error(StatusCode::BAD_REQUEST, 5, "Unsupported protocol version");
    }
    let transport = match param("transport") {
        Some(t @ ("polling" | "websocket")) => t,
        _ => return error(StatusCode::BAD_REQUEST, 0, "Transport unknown"),
    };
    let sid = param("sid").map(str::to_owned);
    let bad = || error(StatusCode::BAD_REQUEST, 3, "Bad request");
    let unknown = || error(StatusCode::BAD_REQUEST, 1, "Session ID unknown");
    match (request.method().clone(), transport, sid) {
        (Method::GET, "polling", None) => {
            let ip = super::peer_ip(&request);
            if !push.admit(ip) {
                return error(StatusCode::FORBIDDEN, 4, "Connection limit reached");
            }
            let (_, open) = push.socketio.open(true, ip);
            text(open)
        }
        (Method::GET, "polling", Some(sid)) => {
            let Some(session) = push.socketio.get(&sid) else { return unknown() };
            let peer = request.extensions().get::<crate::hub::Peer>().cloned();
            match push.socketio.poll(&session, peer).await {
                Poll::Payload(payload) => text(payload),
                Poll::Overlapping | Poll::Upgraded => bad(),
            }
        }
        (Method::POST, "polling", Some(sid)) => {
            let session = push.socketio.get(&sid);
            if request.body().size_hint().lower() > MAX_PAYLOAD as u64 {
                // Announced over maxPayload: refused unread, and the session
                // (if there is one) ends.
                if let Some(session) = session {
                    push.socketio.close(&session, Closed::ByServer);
                }
                return error(StatusCode::PAYLOAD_TOO_LARGE, 3, "Payload too large");
            }
            let Some(session) = session else { return unknown() };
            // Up to maxPayload, whether announced or chunked; over it the
            // session ends, as the protocol says.
            let body =
                match edgestat_common::body::read_body(request.into_body(), MAX_PAYLOAD).await {
                    Ok(body) => body,
                    Err(e) => {
                        push.socketio.close(&session, Closed::ByServer);
                        let status =
                            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
                        return error(status, 3, "Payload too large or too slow");
                    }
                };
            let Ok(body) = std::str::from_utf8(&body) else {
                push.socketio.close(&session, Closed::ByServer);
                return bad();
            };
            match push.socketio.receive(&session, body) {
                Ok(()) => text("ok".into()),
                Err(_) => bad(),
            }
        }
        (Method::GET, "websocket", sid) => {
            if !upgrade::is_upgrade(request.headers()) {
                return bad();
            }
            if !super::ws::origin_allowed(request.headers(), &push.allowed_origins) {
                return error(StatusCode::FORBIDDEN, 4, "Origin not allowed");
            }
            let (session, open, upgrading) = match sid {
                Some(sid) => {
                    let Some(session) = push.socketio.get(&sid) else { return unknown() };
                    match push.socketio.attach_websocket(&session) {
                        Attach::Attached => (Some(session), None, true),
                        Attach::Busy => {
                            return error(
                                StatusCode::BAD_REQUEST,
                                3,
                                "A websocket is already attached",
                            );
                        }
                        // Accepted, then closed at once.
                        Attach::Upgraded => (None, None, true),
                    }
                }
                None => {
                    let ip = super::peer_ip(&request);
                    if !push.admit(ip) {
                        return error(StatusCode::FORBIDDEN, 4, "Connection limit reached");
                    }
                    let (session, open) = push.socketio.open(false, ip);
                    (Some(session), Some(open), false)
                }
            };
            match upgrade::accept(&mut request) {
                Ok((reply, socket)) => {
                    let task_push = push.clone();
                    push.ex
                        .spawn(async move {
                            match (socket.await, session) {
                                (Some(socket), Some(session)) => {
                                    task_push
                                        .socketio
                                        .serve_websocket(session, socket, upgrading, open)
                                        .await;
                                }
                                (Some(mut socket), None) => upgrade::close(&mut socket, None).await,
                                (None, Some(session)) => {
                                    task_push.socketio.close(&session, Closed::ByServer);
                                }
                                (None, None) => {}
                            }
                        })
                        .detach();
                    reply
                }
                Err(message) => {
                    if let Some(session) = session {
                        push.socketio.close(&session, Closed::ByServer);
                    }
                    error(StatusCode::BAD_REQUEST, 3, message)
                }
            }
        }
        // A handshake is a GET.
        (Method::POST, "polling", None) => {
            error(StatusCode::BAD_REQUEST, 2, "Bad handshake method")
        }
        (Method::GET | Method::POST, _, _) => bad(),
        _ => error(StatusCode::BAD_REQUEST, 2, "Bad handshake method"),
    }
}
