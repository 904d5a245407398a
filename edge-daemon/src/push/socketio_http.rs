//! `/socket.io/` over HTTP: the Engine.IO handshake, long-polling GET and
//! POST, and the websocket upgrade, dispatched to the [`Hub`].
//!
//! [`Hub`]: super::socketio::Hub

use std::rc::Rc;

use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};

use super::socketio::{MAX_PAYLOAD, Poll};
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

/// Answers one request to `/socket.io/`.
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
    match (request.method().clone(), Some(transport), sid) {
        (Method::GET, Some("polling"), None) => {
            if !push.admit() {
                return error(StatusCode::FORBIDDEN, 4, "Connection limit reached");
            }
            let (_, open) = push.socketio.open(true);
            text(open)
        }
        (Method::GET, Some("polling"), Some(sid)) => {
            let Some(session) = push.socketio.get(&sid) else {
                return error(StatusCode::BAD_REQUEST, 1, "Session ID unknown");
            };
            match push.socketio.poll(&session).await {
                Poll::Payload(payload) => text(payload),
                Poll::Overlapping => error(StatusCode::BAD_REQUEST, 3, "Bad request"),
            }
        }
        (Method::POST, Some("polling"), Some(sid)) => {
            let Some(session) = push.socketio.get(&sid) else {
                return error(StatusCode::BAD_REQUEST, 1, "Session ID unknown");
            };
            let body =
                match edgestat_common::body::read_body(request.into_body(), MAX_PAYLOAD).await {
                    Ok(body) => body,
                    Err(e) => {
                        session.close();
                        let status =
                            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
                        return error(status, 3, "Payload too large or too slow");
                    }
                };
            let Ok(body) = std::str::from_utf8(&body) else {
                session.close();
                return error(StatusCode::BAD_REQUEST, 3, "Bad request");
            };
            match push.socketio.receive(&session, body) {
                Ok(()) => text("ok".into()),
                Err(_) => error(StatusCode::BAD_REQUEST, 3, "Bad request"),
            }
        }
        (Method::GET, Some("websocket"), sid) => {
            if !upgrade::is_upgrade(request.headers()) {
                return error(StatusCode::BAD_REQUEST, 3, "Bad request");
            }
            if !super::ws::origin_allowed(request.headers(), &push.allowed_origins) {
                return error(StatusCode::FORBIDDEN, 4, "Origin not allowed");
            }
            let (session, open, upgrading) = match sid {
                Some(sid) => match push.socketio.get(&sid) {
                    Some(session) if push.socketio.attach_websocket(&session) => {
                        (session, None, true)
                    }
                    Some(_) => {
                        return error(
                            StatusCode::BAD_REQUEST,
                            3,
                            "A websocket is already attached",
                        );
                    }
                    None => return error(StatusCode::BAD_REQUEST, 1, "Session ID unknown"),
                },
                None => {
                    if !push.admit() {
                        return error(StatusCode::FORBIDDEN, 4, "Connection limit reached");
                    }
                    let (session, open) = push.socketio.open(false);
                    (session, Some(open), false)
                }
            };
            match upgrade::accept(&mut request) {
                Ok((reply, socket)) => {
                    let task_push = push.clone();
                    push.ex
                        .spawn(async move {
                            match socket.await {
                                Some(socket) => {
                                    task_push
                                        .socketio
                                        .serve_websocket(session, socket, upgrading, open)
                                        .await;
                                }
                                None => session.close(),
                            }
                        })
                        .detach();
                    reply
                }
                Err(message) => {
                    session.close();
                    error(StatusCode::BAD_REQUEST, 3, message)
                }
            }
        }
        (Method::GET | Method::POST, _, _) => error(StatusCode::BAD_REQUEST, 3, "Bad request"),
        _ => error(StatusCode::BAD_REQUEST, 2, "Bad handshake method"),
    }
}
