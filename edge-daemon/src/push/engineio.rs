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
    /// `45<n>-…`, `46<n>-…`: a binary event or acknowledgement, whose `n`
    /// attachments follow as binary frames; accepted and ignored, with
    /// them.
    BinaryEvent {
        /// Attachments to follow.
        attachments: usize,
    },
    /// `b<base64>`: a binary message on long-polling; ignored.
    Binary,
}

/// Why a packet was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketError {
    /// Empty packet.
    Empty,
    /// An Engine.IO type other than 1–6, or an open packet from a client.
    UnknownType,
    /// A Socket.IO packet that is not one: an unknown type, a payload that
    /// is not what its type carries, a malformed namespace or ack id.
    InvalidSocketIo,
}

impl core::fmt::Display for PacketError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            PacketError::Empty => "empty packet",
            PacketError::UnknownType => "unknown Engine.IO packet type",
            PacketError::InvalidSocketIo => "invalid Socket.IO packet",
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
        'b' => Incoming::Binary,
        '4' => socket_io(rest)?,
        _ => return Err(PacketError::UnknownType),
    })
}

/// Most attachments a binary packet may announce.
const MAX_ATTACHMENTS: usize = 16;

/// A Socket.IO packet inside an Engine.IO message:
/// `<type>[<attachments>-][/<namespace>,][<ack id>][<JSON>]`.
fn socket_io(packet: &str) -> Result<Incoming<'_>, PacketError> {
    const INVALID: PacketError = PacketError::InvalidSocketIo;
    let mut chars = packet.chars();
    let kind = chars.next().ok_or(PacketError::Empty)?;
    let mut rest = chars.as_str();
    let attachments = if matches!(kind, '5' | '6') {
        let (count, after) = rest.split_once('-').ok_or(INVALID)?;
        rest = after;
        let count: usize = digits(count).ok_or(INVALID)?;
        (count <= MAX_ATTACHMENTS).then_some(count).ok_or(INVALID)?
    } else {
        0
    };
    let namespace = match rest.strip_prefix('/') {
        Some(ns) => {
            let (name, after) = ns.split_once(',').unwrap_or((ns, ""));
            rest = after;
            Some(name)
        }
        None => None,
    };
    let ack_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (ack, payload) = rest.split_at(ack_len);
    let ack_ok = ack.len() <= 10; // fits a u32 as the protocol's ids do
    let is = |open: char, close: char| payload.starts_with(open) && payload.ends_with(close);
    // An event's payload is an array whose first element is its name.
    let event = is('[', ']') && payload[1..].trim_start().starts_with('"');
    match (kind, namespace) {
        ('0', _) if !ack.is_empty() || !(payload.is_empty() || is('{', '}')) => Err(INVALID),
        ('0', None | Some("")) => Ok(Incoming::Connect),
        ('0', Some(namespace)) => Ok(Incoming::ConnectNamespace { namespace }),
        ('1', _) if ack.is_empty() && payload.is_empty() => Ok(Incoming::Disconnect),
        ('2', _) if ack_ok && event => Ok(Incoming::Event),
        ('3', _) if !ack.is_empty() && ack_ok && is('[', ']') => Ok(Incoming::Event),
        ('5', _) if ack_ok && event => Ok(Incoming::BinaryEvent { attachments }),
        ('6', _) if !ack.is_empty() && ack_ok && is('[', ']') => {
            Ok(Incoming::BinaryEvent { attachments })
        }
        _ => Err(INVALID),
    }
}

/// A decimal count, digits only.
fn digits(text: &str) -> Option<usize> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok())?
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
        assert_eq!(decode("42/admin,7[\"hello\"]"), Ok(Incoming::Event));
        assert_eq!(decode("43456[1,\"2\"]"), Ok(Incoming::Event));
        assert_eq!(decode("1"), Ok(Incoming::Close));
        assert_eq!(decode("bAQIDBA=="), Ok(Incoming::Binary));
        assert_eq!(decode(""), Err(PacketError::Empty));
        assert_eq!(decode("0{}"), Err(PacketError::UnknownType));
        assert_eq!(decode("9"), Err(PacketError::UnknownType));
        assert_eq!(decode("4"), Err(PacketError::Empty));
        assert_eq!(
            decode("451-[\"bin\",{\"_placeholder\":true,\"num\":0}]"),
            Ok(Incoming::BinaryEvent { attachments: 1 })
        );
        assert_eq!(
            decode("462-789[{\"_placeholder\":true,\"num\":0}]"),
            Ok(Incoming::BinaryEvent { attachments: 2 })
        );
        // What the Socket.IO suite calls invalid formats: each is refused.
        for bad in [
            "4abc",
            "42{}",
            "42abc[\"x\"]",
            "42[1]",
            "43[1]",
            "41x",
            "40abc",
            "45-[\"x\"]",
            "499-[\"x\"]",
        ] {
            assert_eq!(decode(bad), Err(PacketError::InvalidSocketIo), "{bad}");
        }
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
