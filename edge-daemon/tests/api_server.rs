//! The HTTP server's contract, against this machine's own /proc and /sys:
//! the 503 before the first sample, errors (404, 405, 400, 401, 403, 413,
//! 431, 429 with Retry-After), the slowloris cut-off, the token, and a
//! graceful exit on SIGTERM.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{Daemon, request};

#[test]
fn no_sample_yet_is_503_then_data() {
    // The first sample comes one interval after start: 3 s here.
    let daemon = Daemon::start_host(&["--update-interval", "3"]);
    let early = daemon.get("/api/status");
    assert_eq!(early.status, 503);
    let body = early.json();
    assert_eq!(body["error"], "No data available");
    assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));
    let health = daemon.get("/api/health").json();
    assert_eq!(health["status"], "starting");
    let status = daemon.json("/api/status");
    assert!(!status["cpu"]["cores"].as_array().unwrap().is_empty());
}

#[test]
fn bad_requests_get_json_errors() {
    let daemon = Daemon::start_host(&[]);
    daemon.json("/api/status");
    let missing = daemon.get("/api/nothing");
    assert_eq!((missing.status, missing.json()["error"].as_str()), (404, Some("Not found")));

    let post = request(
        &daemon.addr,
        &format!("POST /stats HTTP/1.1\r\nHost: {}\r\n", daemon.addr),
        &["Content-Length: 0"],
    );
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));

    for (path, parameter) in [
        ("/stats?cache=perhaps", "cache"),
        ("/stats?block=2", "block"),
        ("/stats?fields=cpu_usage,bogus", "fields"),
        ("/processes?sort=size", "sort"),
        ("/processes?limit=-1", "limit"),
        ("/processes?limit=ten", "limit"),
        ("/api/history?seconds=0", "seconds"),
        ("/api/status?verbose=1", "verbose"),
    ] {
        let response = daemon.get(path);
        assert_eq!(response.status, 400, "{path}");
        assert_eq!(response.json()["parameter"], parameter, "{path}");
    }

    let body = request(
        &daemon.addr,
        &format!("GET /stats HTTP/1.1\r\nHost: {}\r\nContent-Length: 4096\r\n", daemon.addr),
        &[],
    );
    assert_eq!(body.status, 413);

    // A request head over 8 KiB is refused by hyper with 431.
    let big = format!("X-Filler: {}", "a".repeat(16 * 1024));
    let oversized = request(
        &daemon.addr,
        &format!("GET /stats HTTP/1.1\r\nHost: {}\r\n", daemon.addr),
        &[&big],
    );
    assert_eq!(oversized.status, 431);

    // DNS rebinding: a loopback-bound daemon answers only loopback names.
    let rebound = request(&daemon.addr, "GET /stats HTTP/1.1\r\nHost: attacker.example\r\n", &[]);
    assert_eq!(rebound.status, 403);

    let head = request(
        &daemon.addr,
        &format!("HEAD /api/status HTTP/1.1\r\nHost: {}\r\n", daemon.addr),
        &[],
    );
    assert_eq!((head.status, head.body.as_str()), (200, ""));
}

#[test]
fn the_rate_limit_answers_429_with_retry_after() {
    let daemon = Daemon::start_host(&[
        "--rate-limit",
        "--rate-limit-requests",
        "3",
        "--rate-limit-window",
        "60",
    ]);
    // Let the first sample land without spending requests on polling.
    std::thread::sleep(Duration::from_millis(1500));
    // /health counts too; three requests fill the window.
    let first = daemon.get("/health").json();
    assert!(["healthy", "degraded"].contains(&first["status"].as_str().unwrap()), "{first}");
    let statuses: Vec<u16> = (0..3).map(|_| daemon.get("/api/cpu").status).collect();
    assert_eq!(statuses[..2], [200, 200]);
    assert_eq!(statuses[2], 429);
    let refused = daemon.get("/stats");
    assert_eq!(refused.status, 429);
    let retry: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(refused.json()["error"], "Too many requests");
}

#[test]
fn a_token_guards_every_route_but_health() {
    let daemon = Daemon::start_host(&["--token", "s3cret-token"]);
    let health = daemon.until("/health", Duration::from_secs(5), |h| h["status"] != "starting");
    assert!(health["uptime"].as_f64().unwrap() > 0.0);
    let denied = daemon.get("/api/status");
    assert_eq!(denied.status, 401);
    assert_eq!(denied.header("www-authenticate"), Some("Bearer"));
    assert_eq!(daemon.get_with("/api/status", &["Authorization: Bearer wrong"]).status, 401);
    let allowed = daemon.get_with("/stats", &["Authorization: Bearer s3cret-token"]);
    assert_eq!(allowed.status, 200);
}

#[test]
fn a_slowloris_client_is_cut_off_and_others_are_served() {
    let daemon = Daemon::start_host(&[]);
    daemon.json("/api/status");
    let mut slow = TcpStream::connect(&daemon.addr).unwrap();
    slow.write_all(b"GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ").unwrap();
    let started = Instant::now();
    slow.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    // Meanwhile another client is served.
    assert_eq!(daemon.get("/api/cpu").status, 200);
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    let waited = started.elapsed();
    // The header timeout is 5 s: closed after it, well before our 15 s.
    assert!(waited >= Duration::from_secs(4) && waited < Duration::from_secs(12), "{waited:?}");
    let text = String::from_utf8_lossy(&rest);
    assert!(!text.contains("200 OK"), "{text}");
}

#[test]
fn sigterm_exits_cleanly_and_debug_logs_requests() {
    let daemon = Daemon::start_host(&["--debug"]);
    daemon.json("/api/status");
    assert_eq!(daemon.get("/nope").status, 404);
    let log = daemon.log();
    assert!(log.contains("edgestat: INFO: Linux"), "{log}");
    assert!(log.contains("edgestat: DEBUG: GET /nope from 127.0.0.1:"), "{log}");
    assert!(log.contains(": 404 in "), "{log}");
    let (code, log) = daemon.terminate();
    assert_eq!(code, Some(0));
    assert!(log.ends_with("edgestat: INFO: Term: shutting down\n"), "{log}");
}

#[test]
fn guessing_tokens_is_rate_limited_too() {
    let daemon =
        Daemon::start_host(&["--token", "right", "--rate-limit", "--rate-limit-requests", "3"]);
    std::thread::sleep(Duration::from_millis(1500));
    let guesses: Vec<u16> = (0..4)
        .map(|i| daemon.get_with("/stats", &[&format!("Authorization: Bearer guess{i}")]).status)
        .collect();
    assert_eq!(guesses, [401, 401, 401, 429]);
}
