//! Seed 004 adapted to a host monitor: the websocket at `/api/ws` with a
//! real Python `websockets` client (history, then stats; the Origin check;
//! 1011 "Server full" past the cap), and the REST family around it.

mod common;

use std::process::Command;
use std::time::Duration;

use common::{Daemon, client, fixture, python};
use serde_json::{Value, json};

fn ws_client(args: &[&str]) -> String {
    let out = Command::new(python())
        .arg(client("ws_client.py"))
        .args(args)
        .output()
        .expect("python runs (ci/test installs tests/clients/requirements.txt)");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    text
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn history_then_stats_over_the_websocket() {
    let daemon = Daemon::start(&fixture("pi4-bookworm"), &[], &[]);
    // Let the ring gather a few points (0.5 s interval).
    daemon.until("/api/history", Duration::from_secs(10), |h| {
        h["points"].as_array().unwrap().len() >= 3
    });
    let out = ws_client(&[&format!("ws://{}/api/ws", daemon.addr), "stream"]);
    let messages: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(messages.len(), 3);
    assert_eq!(messages[0]["type"], "history");
    let history = &messages[0]["payload"];
    assert_eq!(history["duration_seconds"], 60);
    let points = history["history"].as_array().unwrap();
    assert!(!points.is_empty(), "{history}");
    // The fixture's counters do not move: zero traffic, formatted as the seed does.
    assert_eq!(points[0]["upload_speed"], "0 B/s");
    assert!(points[0]["timestamp"].as_str().unwrap().parse::<u64>().is_ok());
    for stats in &messages[1..] {
        assert_eq!(stats["type"], "stats");
        let p = &stats["payload"];
        assert_eq!(
            keys(p),
            [
                "upload_speed",
                "download_speed",
                "total_traffic",
                "uptime",
                "memory_usage",
                "total_memory",
                "active_connections",
                "max_connections",
                "users",
                "interfaces",
                "connection_pool",
                "memory_pool",
                "status"
            ]
        );
        // /proc/uptime 350735.47 s; MemTotal 3884256 kB; eth0 917253411 B in
        // + 48877062 B out = 966130473 B = 921.37 MiB.
        assert_eq!(p["uptime"], "4d 1h 25m 35s");
        assert_eq!(p["total_memory"], "3.70 GB");
        assert_eq!(p["active_connections"], 1);
        assert_eq!(p["max_connections"], 10);
        assert_eq!(p["users"], json!([]));
        assert_eq!(p["interfaces"]["eth0"]["total_traffic"], "921.37 MB");
        assert!(p["memory_usage"].as_str().unwrap().ends_with(" MB"), "{p}");
        assert_eq!(p["memory_pool"], json!({}));
        // Additive: the seed 000 status object, so a page needs no polling.
        assert_eq!(p["status"]["temperature"], json!({"cpu": 42.842}));
    }
}

#[test]
fn origins_and_the_cap() {
    // The overall cap, with the per-address one out of its way (all the
    // clients here come from 127.0.0.1; tests/fairness.rs has that cap).
    let args = ["--max-connections", "10", "--max-connections-per-ip", "10"];
    let daemon = Daemon::start(&fixture("pi4-bookworm"), &args, &[]);
    daemon.json("/api/status");
    let url = format!("ws://{}/api/ws", daemon.addr);
    assert_eq!(ws_client(&[&url, "origin", "http://evil.example"]).trim(), "refused 403");
    assert_eq!(ws_client(&[&url, "origin", &format!("http://{}", daemon.addr)]).trim(), "accepted");
    assert_eq!(ws_client(&[&url, "cap", "10"]).trim(), "closed 1011 Server full");
    // /ws is the same endpoint.
    assert_eq!(
        ws_client(&[
            &format!("ws://{}/ws", daemon.addr),
            "origin",
            &format!("http://{}", daemon.addr)
        ])
        .trim(),
        "accepted"
    );

    let allowed = Daemon::start(
        &fixture("pi4-bookworm"),
        &["--allowed-origins", "https://dash.example"],
        &[],
    );
    allowed.json("/api/status");
    let url = format!("ws://{}/api/ws", allowed.addr);
    assert_eq!(ws_client(&[&url, "origin", "https://dash.example"]).trim(), "accepted");
    assert_eq!(
        ws_client(&[&url, "origin", &format!("http://{}", allowed.addr)]).trim(),
        "refused 403"
    );
}

#[test]
fn the_rest_family() {
    let daemon = Daemon::start(&fixture("pi4-bookworm"), &[], &[]);
    let stats = daemon.json("/api/stats");
    assert_eq!(
        keys(&stats),
        [
            "upload_speed",
            "download_speed",
            "total_traffic",
            "uptime",
            "memory_usage",
            "total_memory",
            "active_connections",
            "max_connections",
            "users",
            "interfaces"
        ]
    );
    assert_eq!(stats["total_memory"], "3.70 GB");
    let history = daemon.json("/api/speed-history");
    assert_eq!(history["duration_seconds"], 60);
    assert_eq!(
        daemon.json("/api/config"),
        json!({"speed_history_duration": 60, "broadcast_interval": 0.5, "websocket_max_connections": 10,
               "websocket_heartbeat_timeout": 60, "vless_max_connections": 64})
    );
    let performance = daemon.json("/api/performance");
    assert_eq!(performance["buffer_size"], 16384);
    assert_eq!(performance["tcp_nodelay"], true);
    assert_eq!(performance["stats_batch_size"], 65536);
    assert!(performance["tcp_recv_buffer"].as_u64().unwrap() > 0);
    daemon.json("/api/stats"); // a cache hit
    let pool = daemon.json("/api/connection-pool-stats");
    assert!(pool["total_created"].as_u64().unwrap() >= 4, "{pool}");
    assert!(pool["cache_hits"].as_u64().unwrap() >= 1, "{pool}");
    assert_eq!(pool["current_active"], 1, "this request's connection");
    assert_eq!(daemon.json("/api/memory-pool-stats"), json!({}));
    assert_eq!(daemon.json("/api/user-stats"), json!([]));
}
