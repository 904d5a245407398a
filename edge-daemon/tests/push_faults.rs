//! The live surfaces under abuse: garbage frames, clients that come and go
//! by the hundred, and a client that never reads. The daemon answers,
//! keeps serving others, and its client count returns to zero.
//! (Memory under the same abuse is measured by `ci/bench push`.)

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{Daemon, fixture};

/// Opens a websocket to `path` with a raw handshake; returns the stream
/// after the 101 head.
fn handshake(addr: &str, path: &str) -> TcpStream {
    let (code, mut stream) = upgrade_status(addr, path);
    assert_eq!(code, 101, "{path}");
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    // RFC 6455's example key gives this accept value.
    let head = String::from_utf8_lossy(&head);
    assert!(head.contains("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), "{head}");
    stream
}

/// A masked client text frame.
fn text_frame(payload: &[u8]) -> Vec<u8> {
    assert!(payload.len() < 126);
    let mask = [0x12, 0x34, 0x56, 0x78];
    let mut frame = vec![0x81, 0x80 | payload.len() as u8];
    frame.extend_from_slice(&mask);
    frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    frame
}

/// A masked client frame of any length and opcode (0x81 text, 0x82 binary).
fn frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mask = [0x12, 0x34, 0x56, 0x78];
    let mut frame = vec![opcode];
    match payload.len() {
        n if n < 126 => frame.push(0x80 | n as u8),
        n if n < 65536 => {
            frame.push(0x80 | 126);
            frame.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            frame.push(0x80 | 127);
            frame.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    frame.extend_from_slice(&mask);
    frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    frame
}

/// Reads until the server closes the connection; the bytes it sent.
fn until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut all = Vec::new();
    let _ = stream.read_to_end(&mut all);
    all
}

fn clients(daemon: &Daemon) -> u64 {
    daemon.json("/api/health")["connected_clients"].as_u64().unwrap()
}

fn wait_for_clients(daemon: &Daemon, want: u64) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while clients(daemon) != want {
        assert!(Instant::now() < deadline, "connected_clients stayed at {}", clients(daemon));
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn garbage_frames_are_answered_and_the_daemon_goes_on() {
    let daemon = Daemon::start(&fixture("pi4-bookworm"), &[], &[]);
    daemon.json("/api/status");

    // Not a websocket frame at all: /api/ws drops the connection.
    let mut ws = handshake(&daemon.addr, "/api/ws");
    ws.write_all(&[0xff; 64]).unwrap();
    until_closed(&mut ws);

    // A well-formed frame with a packet Engine.IO does not know: the
    // Socket.IO session is closed with a protocol error (1002).
    let mut sio = handshake(&daemon.addr, "/socket.io/?EIO=4&transport=websocket");
    sio.write_all(&text_frame(b"9garbage")).unwrap();
    let sent = until_closed(&mut sio);
    let open = b"0{\"sid\":\"";
    assert!(sent.windows(open.len()).any(|w| w == open), "the open packet came first");
    assert!(sent.windows(2).any(|w| w == [0x03, 0xea]), "close code 1002: {sent:?}");

    wait_for_clients(&daemon, 0);
    assert_eq!(daemon.get("/api/status").status, 200);
}

#[test]
fn two_hundred_clients_come_and_go() {
    let daemon = Daemon::start(&fixture("pi4-bookworm"), &["--max-connections", "8"], &[]);
    daemon.json("/api/status");
    for i in 0..200 {
        let path = if i % 2 == 0 { "/api/ws" } else { "/socket.io/?EIO=4&transport=websocket" };
        let mut stream = handshake(&daemon.addr, path);
        // Read the first frame's header: history, or the Engine.IO open packet.
        let mut header = [0u8; 2];
        stream.read_exact(&mut header).unwrap();
        assert_eq!(header[0], 0x81, "a final text frame");
        drop(stream);
    }
    // All gone, under a cap of 8: none leaked a slot.
    wait_for_clients(&daemon, 0);
    let mut ws = handshake(&daemon.addr, "/api/ws");
    let mut header = [0u8; 2];
    ws.read_exact(&mut header).unwrap();
    assert_eq!(header[0], 0x81, "a new client still gets its history");
}

#[test]
fn a_client_that_never_reads_does_not_stall_the_others() {
    let daemon = Daemon::start(&fixture("pi4-bookworm"), &["--update-interval", "0.2"], &[]);
    daemon.json("/api/status");
    let _silent = handshake(&daemon.addr, "/api/ws");
    let _silent_sio = handshake(&daemon.addr, "/socket.io/?EIO=4&transport=websocket");
    wait_for_clients(&daemon, 2);
    // Three seconds of samples at 5 Hz while nobody reads them.
    std::thread::sleep(Duration::from_secs(3));
    let started = Instant::now();
    let mut reader = handshake(&daemon.addr, "/api/ws");
    let mut header = [0u8; 2];
    reader.read_exact(&mut header).unwrap();
    assert!(started.elapsed() < Duration::from_secs(2), "a reader waited {:?}", started.elapsed());
    assert_eq!(daemon.get("/stats").status, 200);
    assert_eq!(clients(&daemon), 3);
}

/// `GET path` with a websocket upgrade: the status code, and the stream
/// just after the status line's first 12 bytes (`HTTP/1.1 101`).
fn upgrade_status(addr: &str, path: &str) -> (u16, TcpStream) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).unwrap();
    let code = String::from_utf8_lossy(&head[9..12]).parse().unwrap();
    (code, stream)
}

#[test]
fn one_websocket_per_socketio_session_and_polling_survives_mishaps() {
    let daemon = Daemon::start(&fixture("pi4-bookworm"), &[], &[]);
    daemon.json("/api/status");
    let open = daemon.get("/socket.io/?EIO=4&transport=polling").body;
    let open: serde_json::Value = serde_json::from_str(open.strip_prefix('0').unwrap()).unwrap();
    let sid = open["sid"].as_str().unwrap().to_owned();
    let path = format!("/socket.io/?EIO=4&transport=websocket&sid={sid}");

    // A long-poll the client abandons does not poison the next one.
    let mut abandoned = TcpStream::connect(&daemon.addr).unwrap();
    let poll = format!(
        "GET /socket.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\nHost: {}\r\n\r\n",
        daemon.addr
    );
    abandoned.write_all(poll.as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    drop(abandoned);
    std::thread::sleep(Duration::from_millis(300));

    // An upgrade that fails before `5` leaves the session polling.
    let (code, failed) = upgrade_status(&daemon.addr, &path);
    assert_eq!(code, 101);
    drop(failed);
    std::thread::sleep(Duration::from_millis(300));
    let post = format!(
        "POST /socket.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\nHost: {}\r\nContent-Length: 2\r\n",
        daemon.addr
    );
    assert_eq!(common::request_with_body(&daemon.addr, &post, &[], "40").body, "ok");
    let answer = daemon.get(&format!("/socket.io/?EIO=4&transport=polling&sid={sid}"));
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.body.starts_with("40{\"sid\":"), "{}", answer.body);

    // One websocket at a time per session.
    let (first, _keep) = upgrade_status(&daemon.addr, &path);
    assert_eq!(first, 101);
    let (second, _) = upgrade_status(&daemon.addr, &path);
    assert_eq!(second, 400);
    assert_eq!(clients(&daemon), 1);
}

#[test]
fn binary_frames_are_ignored_and_oversize_messages_close_with_1009() {
    let daemon = Daemon::start(&fixture("pi4-bookworm"), &[], &[]);
    daemon.json("/api/status");
    let mut ws = handshake(&daemon.addr, "/socket.io/?EIO=4&transport=websocket");
    ws.write_all(&text_frame(b"40")).unwrap();
    // A binary event and its attachment, then a bare binary frame.
    ws.write_all(&text_frame(br#"451-["blob",{"_placeholder":true,"num":0}]"#)).unwrap();
    ws.write_all(&frame(0x82, &[1, 2, 3])).unwrap();
    ws.write_all(&frame(0x82, &[4, 5, 6])).unwrap();
    // Updates keep coming: read until one is seen.
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut chunk = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains("tegrastats_update") {
        assert!(Instant::now() < deadline, "no update after the binary frames");
        let n = ws.read(&mut chunk).unwrap();
        assert!(n > 0, "closed after binary frames");
        seen.extend_from_slice(&chunk[..n]);
    }
    // Over maxPayload (64 KiB): a Close frame with 1009, not a dropped socket.
    let big = vec![b'4'; 70 * 1024];
    let _ = ws.write_all(&frame(0x81, &big));
    let rest = until_closed(&mut ws);
    let close = rest.windows(4).any(|w| w[0] == 0x88 && w[2..4] == 1009u16.to_be_bytes());
    assert!(close, "no Close 1009 in {:?}", &rest[rest.len().saturating_sub(32)..]);
}

#[test]
fn a_body_that_trickles_in_is_cut_off() {
    let daemon = Daemon::start(&fixture("pi4-bookworm"), &[], &[]);
    daemon.json("/api/status");
    let open = daemon.get("/socket.io/?EIO=4&transport=polling").body;
    let open: serde_json::Value = serde_json::from_str(open.strip_prefix('0').unwrap()).unwrap();
    let sid = open["sid"].as_str().unwrap();
    let mut slow = TcpStream::connect(&daemon.addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let head = format!(
        "POST /socket.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\nHost: {}\r\nContent-Length: 60000\r\n\r\n4",
        daemon.addr
    );
    slow.write_all(head.as_bytes()).unwrap();
    let started = Instant::now();
    let answer = until_closed(&mut slow);
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(started.elapsed() < Duration::from_secs(15), "{:?}", started.elapsed());
}
