//! `edgestat test` and `edgestat monitor` against a running daemon on the
//! Raspberry Pi 4 fixture.

mod common;

use std::process::Command;

use common::{Daemon, fixture};

fn edgestat(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_edgestat"))
        .args(args)
        .env_remove("EDGESTAT_TOKEN")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn test_and_monitor_query_a_running_daemon() {
    let daemon = Daemon::start(&fixture("pi4-bookworm"), &["--token", "t0ken"], &[]);
    daemon.until("/api/health", std::time::Duration::from_secs(5), |h| h["status"] == "healthy");
    let (host, port) = daemon.addr.split_once(':').unwrap();

    let (code, out, _) =
        edgestat(&["test", "-h", host, "-p", port, "-e", "cpu", "--token", "t0ken"]);
    assert_eq!(code, 0, "{out}");
    let mut lines = out.lines();
    let first = lines.next().unwrap();
    assert!(first.starts_with(&format!("GET http://{host}:{port}/api/cpu: 200 OK in ")), "{first}");
    let body: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(body["cpu"]["cores"].as_array().unwrap().len(), 4);

    let (code, out, _) =
        edgestat(&["test", "--host", host, "--port", port, "--endpoint", "/stats"]);
    assert_eq!(code, 1, "no token: {out}");
    assert!(out.starts_with(&format!("GET http://{host}:{port}/stats: 401 Unauthorized")), "{out}");

    let (code, out, err) =
        edgestat(&["monitor", "-h", host, "-p", port, "-d", "2", "--token", "t0ken"]);
    assert_eq!(code, 0, "{err}");
    let line = out.lines().next().unwrap_or_else(|| panic!("no update: {err}"));
    // MemTotal - MemAvailable of the fixture's meminfo, and its one zone.
    assert!(line.contains(" (4 cores)  ram 522/3793 MB  hottest cpu 42.8 °C"), "{line}");
}

#[test]
fn no_daemon_is_a_clear_error() {
    let (code, _, err) = edgestat(&["test", "-h", "127.0.0.1", "-p", "1"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("cannot connect to 127.0.0.1:1") && err.contains("is `edgestat run` running?"),
        "{err}"
    );
    let (code, _, err) = edgestat(&["monitor", "--duration", "zero"]);
    assert_eq!(code, 2, "{err}");
}
