//! The websocket handshake over hyper (RFC 6455 §4.2.2), and the stream
//! on the upgraded connection.

use async_tungstenite::WebSocketStream;
use async_tungstenite::tungstenite::handshake::derive_accept_key;
use async_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use hyper::body::Incoming;
use hyper::header::{
    CONNECTION, HeaderMap, HeaderValue, SEC_WEBSOCKET_ACCEPT, SEC_WEBSOCKET_KEY,
    SEC_WEBSOCKET_VERSION, UPGRADE,
};
use hyper::{Request, Response, StatusCode};

use super::io::UpgradedIo;
use crate::hub::reply::{Body, Reply};

/// Largest message a client may send. Clients only send pings, pongs and
/// small control packets.
pub const MAX_MESSAGE: usize = 64 * 1024;

/// A websocket on an upgraded HTTP connection.
pub type Socket = WebSocketStream<UpgradedIo>;

/// How long one message may take to go out. A client that reads nothing
/// fills its small send buffer and then blocks the write; past this it is
/// dropped rather than held.
pub const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// Sends `message` within [`SEND_TIMEOUT`]; `false` if it failed or timed out.
pub async fn send(socket: &mut Socket, message: async_tungstenite::tungstenite::Message) -> bool {
    smol::future::or(async { socket.send(message).await.is_ok() }, async {
        smol::Timer::after(SEND_TIMEOUT).await;
        false
    })
    .await
}

/// Whether `headers` ask for a websocket upgrade.
pub fn is_upgrade(headers: &HeaderMap) -> bool {
    let has_token = |name, token: &str| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
    };
    has_token(CONNECTION, "upgrade") && has_token(UPGRADE, "websocket")
}

/// Accepts the handshake of `request`: the 101 reply to return now, and
/// a future for the websocket once hyper hands the connection over.
/// `Err` is a 400 for a malformed handshake.
pub fn accept(
    request: &mut Request<Incoming>,
) -> Result<(Reply, impl Future<Output = Option<Socket>> + 'static), &'static str> {
    let headers = request.headers();
    if headers.get(SEC_WEBSOCKET_VERSION).and_then(|v| v.to_str().ok()) != Some("13") {
        return Err("Sec-WebSocket-Version must be 13");
    }
    let key = headers.get(SEC_WEBSOCKET_KEY).ok_or("Sec-WebSocket-Key is missing")?;
    let accept = derive_accept_key(key.as_bytes());
    let upgrading = hyper::upgrade::on(request);
    let mut reply = Response::new(Body::default());
    *reply.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let h = reply.headers_mut();
    h.insert(CONNECTION, HeaderValue::from_static("Upgrade"));
    h.insert(UPGRADE, HeaderValue::from_static("websocket"));
    h.insert(SEC_WEBSOCKET_ACCEPT, HeaderValue::from_str(&accept).map_err(|_| "bad key")?);
    let socket = async move {
        let upgraded = upgrading.await.ok()?;
        let config = WebSocketConfig::default()
            .read_buffer_size(4 * 1024)
            .write_buffer_size(0)
            .max_write_buffer_size(256 * 1024)
            .max_message_size(Some(MAX_MESSAGE))
            .max_frame_size(Some(MAX_MESSAGE));
        Some(
            WebSocketStream::from_raw_socket(UpgradedIo(upgraded), Role::Server, Some(config))
                .await,
        )
    };
    Ok((reply, socket))
}

/// Closes with `frame` within [`SEND_TIMEOUT`] (a client that reads nothing
/// cannot hold the task).
pub async fn close(
    socket: &mut Socket,
    frame: Option<async_tungstenite::tungstenite::protocol::CloseFrame>,
) {
    smol::future::or(
        async {
            let _ = socket.close(frame).await;
        },
        async {
            smol::Timer::after(SEND_TIMEOUT).await;
        },
    )
    .await;
}
