//! Socket.IO (seed 000) with real clients: python-socketio with its default
//! transports (long-polling, then the upgrade), websocket-only and
//! polling-only; Node's socket.io-client; and the protocol's refusals.
//!
//! Needs the clients of tests/clients (ci/test installs them).

mod common;

use std::process::Command;

use common::{Daemon, client, fixture, python, request, request_with_body};

fn run(program: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs (ci/test installs the clients): {e}"));
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

fn orin() -> Daemon {
    let daemon = Daemon::start(&fixture("agx-orin-r36"), &[], &[]);
    daemon.json("/api/status");
    daemon
}

#[test]
fn python_socketio_with_every_transport() {
    let daemon = orin();
    let url = format!("http://{}", daemon.addr);
    let script = client("socketio_client.py");
    for (mode, transport) in
        [("default", "websocket"), ("websocket", "websocket"), ("polling", "polling")]
    {
        let (ok, out) = run(&python(), &[script.to_str().unwrap(), &url, mode]);
        assert!(ok, "{mode}: {out}");
        // python-socketio runs handlers on threads, so the connect line and
        // the first update's lines may interleave: count, don't order.
        assert!(out.contains("Connected to server"), "{mode}: {out}");
        // Values of the fixture, as /api/status has them.
        assert_eq!(out.matches("Memory: 6879MB").count(), 3, "{mode}: {out}");
        assert_eq!(out.matches("Temperature: 44.388°C").count(), 3, "{mode}: {out}");
        // The default transports start with polling and upgrade.
        assert!(out.contains(&format!("transport: {transport}")), "{mode}: {out}");
        assert!(out.contains("updates: 3"), "{mode}: {out}");
    }
}

#[test]
fn node_socketio_client_with_default_transports() {
    let daemon = orin();
    let (ok, out) = run(
        "node",
        &[client("socketio_client.js").to_str().unwrap(), &format!("http://{}", daemon.addr)],
    );
    assert!(ok, "{out}");
    assert!(out.contains("Memory: 6879/62841 MB"), "{out}");
    assert!(out.contains("Temperature: 44.388°C"), "{out}");
    assert!(out.contains("transport: websocket"), "{out}");
}

#[test]
fn a_client_that_emits_binary_stays_connected() {
    // socket.io-client sends a Buffer as a binary event and its attachment;
    // the server has no use for it and must not drop the client.
    let daemon = orin();
    let url = format!("http://{}", daemon.addr);
    let (ok, out) = run("node", &[client("socketio_client.js").to_str().unwrap(), &url, "buffer"]);
    assert!(ok, "{out}");
    assert_eq!(out.matches("CPU Usage:").count(), 3, "{out}");
}

#[test]
fn polling_takes_binary_and_chunked_bodies_and_ends_on_oversize() {
    let daemon = Daemon::start(&fixture("pi4-bookworm"), &[], &[]);
    daemon.json("/api/status");
    let addr = daemon.addr.clone();
    let get = |path: &str| request(&addr, &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n"), &[]);
    let post = |path: &str, body: &str| {
        let head =
            format!("POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\n", body.len());
        request_with_body(&addr, &head, &[], body)
    };
    let open = get("/socket.io/?EIO=4&transport=polling").body;
    let open: serde_json::Value = serde_json::from_str(open.strip_prefix('0').unwrap()).unwrap();
    let path = format!("/socket.io/?EIO=4&transport=polling&sid={}", open["sid"].as_str().unwrap());
    // CONNECT, chunked (a body of unknown length is read up to maxPayload).
    let chunked = request_with_body(
        &addr,
        &format!("POST {path} HTTP/1.1\r\nHost: {addr}\r\nTransfer-Encoding: chunked\r\n"),
        &[],
        "2\r\n40\r\n0\r\n\r\n",
    );
    assert_eq!((chunked.status, chunked.body.as_str()), (200, "ok"));
    assert!(get(&path).body.starts_with("40{\"sid\":"));
    // A binary message, and a binary event (its attachment is ignored too).
    assert_eq!(post(&path, "bAQIDBA==").body, "ok");
    assert_eq!(post(&path, "451-[\"blob\",{\"_placeholder\":true,\"num\":0}]").body, "ok");
    assert!(get(&path).body.starts_with("42[\"tegrastats_update\""), "still delivered");
    // Over maxPayload the session ends, as the protocol says.
    let big = "4".to_owned() + &"x".repeat(70 * 1024);
    let refused = post(&path, &big);
    assert_eq!((refused.status, refused.json()["code"].as_u64()), (413, Some(3)));
    let gone = get(&path);
    assert_eq!((gone.status, gone.json()["code"].as_u64()), (400, Some(1)), "{}", gone.body);
}

#[test]
fn the_protocol_refuses_what_it_does_not_speak() {
    let daemon = Daemon::start(&fixture("agx-orin-r36"), &["--max-connections", "1"], &[]);
    daemon.json("/api/status");
    let addr = daemon.addr.clone();
    let get = |path: &str| request(&addr, &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n"), &[]);
    let post = |path: &str, body: &str| {
        let head =
            format!("POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\n", body.len());
        request_with_body(&addr, &head, &[], body)
    };

    let handshake = get("/socket.io/?EIO=4&transport=polling");
    assert_eq!(handshake.status, 200);
    let open = handshake.body.strip_prefix('0').unwrap();
    let open: serde_json::Value = serde_json::from_str(open).unwrap();
    assert_eq!(open["upgrades"], serde_json::json!(["websocket"]));
    assert_eq!(
        (open["pingInterval"].as_u64(), open["pingTimeout"].as_u64()),
        (Some(25000), Some(5000))
    );
    let sid = open["sid"].as_str().unwrap().to_owned();

    // The cap is 1 and that session holds it.
    let full = get("/socket.io/?EIO=4&transport=polling");
    assert_eq!((full.status, full.json()["code"].as_u64()), (403, Some(4)));
    let (ok, out) = run(
        &python(),
        &[client("socketio_client.py").to_str().unwrap(), &format!("http://{addr}")],
    );
    assert!(!ok && out.contains("connection error"), "{out}");

    assert_eq!(get("/socket.io/?EIO=3&transport=polling").json()["code"], 5);
    assert_eq!(get("/socket.io/?EIO=4&transport=carrier-pigeon").json()["code"], 0);
    assert_eq!(get("/socket.io/?EIO=4&transport=polling&sid=nope").json()["code"], 1);

    // An unknown namespace is refused inside the protocol.
    let path = format!("/socket.io/?EIO=4&transport=polling&sid={sid}");
    assert_eq!(post(&path, "40/admin,").body, "ok");
    assert_eq!(get(&path).body, r#"44/admin,{"message":"Invalid namespace"}"#);
    // Garbage is a protocol error that closes the session, not the daemon.
    let garbage = post(&path, "9\u{1e}\u{0}\u{ff}junk");
    assert_eq!((garbage.status, garbage.json()["code"].as_u64()), (400, Some(3)));
    let oversize = request(
        &addr,
        &format!("POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\n", 100 * 1024),
        &[],
    );
    assert_eq!(oversize.status, 413);
    assert_eq!(daemon.get("/api/health").status, 200);
}
