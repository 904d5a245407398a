//! Engine.IO 4 and Socket.IO 5 packets, as python-socketio and
//! socket.io-client speak them: pure encoding and decoding.
//!
//! ```text
//! 0{"sid":"…","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000,"maxPayload":65536}
//! 2            ping (server → client)        3      pong
//! 40           Socket.IO CONNECT to "/"      40{"sid":"…"}  its acknowledgement
//! 42["tegrastats_update",{…}]                an event
//! 2probe / 3probe / 5                        the websocket upgrade
//! ```
//! A long-polling payload joins packets with the record separator 0x1E.

/// The record separator between packets of one polling payload.
pub const SEPARATOR: char = '\u{1e}';

/// One Engine.IO packet received from a client, with the Socket.IO packet
/// inside a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming<'a> {
    /// `1`: the client closes the session.
    Close,
    /// `2` or `2probe`: a ping (clients send `2probe` while upgrading).
    Ping {
        /// `probe` or empty.
        data: &'a str,
    },
    /// `3`: the answer to the server's ping.
    Pong,
    /// `5`: the upgrade to websocket is complete.
    Upgrade,
    /// `6`: nothing.
    Noop,
    /// `40`, `40{…}`: Socket.IO CONNECT to the default namespace.
    Connect,
    /// `40/ns,…`: CONNECT to another namespace, which this server has not.
    ConnectNamespace {
        /// The namespace asked for.
        namespace: &'a str,
    },
    /// `41`: Socket.IO DISCONNECT.
    Disconnect,
    /// `42…`, `43…`: an event or acknowledgement from the client; this
    /// server only pushes, so it is accepted and ignored.
    Event,
}

/// Why a packet was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketError {
    /// Empty packet.
    Empty,
    /// An Engine.IO type other than 1–6, or an open packet from a client.
    UnknownType,
    /// A Socket.IO packet type this server does not accept (binary events,
    /// CONNECT_ERROR from a client, …).
    UnsupportedSocketIo,
}

impl core::fmt::Display for PacketError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            PacketError::Empty => "empty packet",
            PacketError::UnknownType => "unknown Engine.IO packet type",
            PacketError::UnsupportedSocketIo => "unsupported Socket.IO packet",
        })
    }
}

/// Decodes one packet (one websocket text frame, or one record of a
/// polling payload).
pub fn decode(packet: &str) -> Result<Incoming<'_>, PacketError> {
    let mut chars = packet.chars();
    let kind = chars.next().ok_or(PacketError::Empty)?;
    let rest = chars.as_str();
    Ok(match kind {
        '1' => Incoming::Close,
        '2' => Incoming::Ping { data: rest },
        '3' => Incoming::Pong,
        '5' => Incoming::Upgrade,
        '6' => Incoming::Noop,
        '4' => socket_io(rest)?,
        _ => return Err(PacketError::UnknownType),
    })
}

/// A Socket.IO packet inside an Engine.IO message.
fn socket_io(packet: &str) -> Result<Incoming<'_>, PacketError> {
    let mut chars = packet.chars();
    let kind = chars.next().ok_or(PacketError::Empty)?;
    let rest = chars.as_str();
    let namespace = rest.strip_prefix('/').map(|ns| ns.split(',').next().unwrap_or_default());
    match (kind, namespace) {
        ('0', None | Some("")) => Ok(Incoming::Connect),
        ('0', Some(namespace)) => Ok(Incoming::ConnectNamespace { namespace }),
        ('1', _) => Ok(Incoming::Disconnect),
        ('2' | '3', _) => Ok(Incoming::Event),
        _ => Err(PacketError::UnsupportedSocketIo),
    }
}

/// The handshake's open packet.
pub fn open(
    sid: &str,
    websocket_upgrade: bool,
    ping_interval_ms: u64,
    ping_timeout_ms: u64,
    max_payload: usize,
) -> String {
    let upgrades = if websocket_upgrade { r#"["websocket"]"# } else { "[]" };
    format!(
        r#"0{{"sid":"{sid}","upgrades":{upgrades},"pingInterval":{ping_interval_ms},"pingTimeout":{ping_timeout_ms},"maxPayload":{max_payload}}}"#
    )
}

/// The Socket.IO CONNECT acknowledgement for the default namespace.
pub fn connected(socket_sid: &str) -> String {
    format!(r#"40{{"sid":"{socket_sid}"}}"#)
}

/// The refusal of a namespace this server does not serve.
pub fn namespace_refused(namespace: &str) -> String {
    let escaped: String =
        namespace.chars().filter(|c| *c != '"' && *c != '\\' && !c.is_control()).collect();
    format!(r#"44/{escaped},{{"message":"Invalid namespace"}}"#)
}

/// An event to the default namespace: `42["name",<json>]`.
pub fn event(name: &str, json: &[u8]) -> Vec<u8> {
    let mut packet = Vec::with_capacity(json.len() + name.len() + 8);
    packet.extend_from_slice(b"42[\"");
    packet.extend_from_slice(name.as_bytes());
    packet.extend_from_slice(b"\",");
    packet.extend_from_slice(json);
    packet.push(b']');
    packet
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_packets() {
        assert_eq!(decode("2probe"), Ok(Incoming::Ping { data: "probe" }));
        assert_eq!(decode("3"), Ok(Incoming::Pong));
        assert_eq!(decode("5"), Ok(Incoming::Upgrade));
        assert_eq!(decode("40"), Ok(Incoming::Connect));
        assert_eq!(decode("40{}"), Ok(Incoming::Connect));
        assert_eq!(decode("40/,{}"), Ok(Incoming::Connect));
        assert_eq!(
            decode("40/admin,{\"token\":1}"),
            Ok(Incoming::ConnectNamespace { namespace: "admin" })
        );
        assert_eq!(decode("41"), Ok(Incoming::Disconnect));
        assert_eq!(decode("42[\"hello\",1]"), Ok(Incoming::Event));
        assert_eq!(decode("1"), Ok(Incoming::Close));
        assert_eq!(decode(""), Err(PacketError::Empty));
        assert_eq!(decode("0{}"), Err(PacketError::UnknownType));
        assert_eq!(decode("9"), Err(PacketError::UnknownType));
        assert_eq!(decode("4"), Err(PacketError::Empty));
        assert_eq!(
            decode("451-[\"bin\",{\"_placeholder\":true,\"num\":0}]"),
            Err(PacketError::UnsupportedSocketIo)
        );
    }

    #[test]
    fn server_packets() {
        assert_eq!(
            open("abc", true, 25000, 5000, 65536),
            r#"0{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000,"maxPayload":65536}"#
        );
        assert_eq!(connected("xyz"), r#"40{"sid":"xyz"}"#);
        assert_eq!(event("tegrastats_update", b"{\"a\":1}"), br#"42["tegrastats_update",{"a":1}]"#);
        assert_eq!(namespace_refused("ad\"min"), r#"44/admin,{"message":"Invalid namespace"}"#);
    }
}
