//! Sources that fail while the daemon runs: each empties its own values,
//! `/api/health` and `/health` say which and why, and every other value
//! keeps coming.

mod common;

use std::process::Command;
use std::time::Duration;

use common::{Daemon, fixture, scratch};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(10);

/// A writable copy of a fixture root, symlinks resolved.
fn copy_of(name: &str) -> std::path::PathBuf {
    let dir = scratch(name).join("root");
    let status = Command::new("cp").arg("-rL").arg(fixture(name)).arg(&dir).status().unwrap();
    assert!(status.success());
    dir
}

#[test]
fn a_sensor_file_that_disappears_reads_null_then_returns() {
    let root = copy_of("pi4-bookworm");
    let daemon = Daemon::start(&root, &[], &[]);
    assert_eq!(daemon.json("/api/temperature")["temperature"], json!({"cpu": 42.842}));
    let temp = root.join("sys/class/thermal/thermal_zone0/temp");
    let saved = std::fs::read(&temp).unwrap();
    std::fs::remove_file(&temp).unwrap();
    let gone = daemon.until("/api/temperature", WAIT, |t| t["temperature"]["cpu"].is_null());
    assert_eq!(gone["temperature"], json!({"cpu": null}));
    // Everything else still answers.
    assert_eq!(daemon.json("/stats")["cpu_temp"], Value::Null);
    assert!(daemon.json("/api/memory")["memory"]["ram"]["total"].is_u64());
    std::fs::write(&temp, saved).unwrap();
    daemon.until("/api/temperature", WAIT, |t| t["temperature"]["cpu"] == 42.842);
}

#[test]
fn a_proc_file_that_fails_is_reported_and_the_rest_is_served() {
    let root = copy_of("pi4-bookworm");
    let daemon = Daemon::start(&root, &[], &[]);
    daemon.json("/api/status");
    std::fs::remove_file(root.join("proc/meminfo")).unwrap();
    let health = daemon.until("/api/health", WAIT, |h| h["status"] == "degraded");
    let reasons = health["collectors"]["procfs"].as_array().unwrap();
    assert!(
        reasons.iter().any(|r| r.as_str().unwrap().ends_with("proc/meminfo: no such file")),
        "{health}"
    );
    // Within the 2 s response cache the old body may still be served.
    let status = daemon.until("/api/status", WAIT, |s| s["memory"]["ram"].is_null());
    assert_eq!(status["memory"], json!({"ram": null, "swap": null}));
    assert_eq!(status["temperature"], json!({"cpu": 42.842}));
    assert_eq!(daemon.json("/health")["status"], "degraded");
}

#[test]
fn a_dying_tegrastats_is_restarted_with_backoff() {
    let starts = scratch("starts").join("starts");
    let starts_var = starts.to_str().unwrap().to_owned();
    let daemon = Daemon::start(
        &fixture("agx-orin-r36"),
        &["--tegrastats-interval", "0.2"],
        &[("TEGRASTATS_STANDIN_LINES", "2"), ("TEGRASTATS_STANDIN_STARTS", &starts_var)],
    );
    // Each run prints two lines and exits 1; the daemon restarts it after
    // 1 s, then 2 s, ...
    let health = daemon.until("/api/health", WAIT, |h| {
        h["collectors"]["tegrastats"].as_array().is_some_and(|r| !r.is_empty())
    });
    let reason = health["collectors"]["tegrastats"][0].as_str().unwrap();
    assert!(reason.starts_with("tegrastats exited (exit status: 1); restarting in"), "{reason}");
    let count = || std::fs::read_to_string(&starts).map_or(0, |t| t.lines().count());
    let deadline = std::time::Instant::now() + WAIT;
    while count() < 2 {
        assert!(std::time::Instant::now() < deadline, "tegrastats was not restarted");
        std::thread::sleep(Duration::from_millis(100));
    }
    // sysfs values never depended on it.
    assert_eq!(daemon.json("/api/power")["power"]["VDD_GPU_SOC"]["current"], 3200);
}

#[test]
fn a_missing_tegrastats_is_named_with_the_fix() {
    let daemon =
        Daemon::start(&fixture("agx-orin-r36"), &["--tegrastats", "/nonexistent/tegrastats"], &[]);
    let health = daemon.until("/api/health", WAIT, |h| h["status"] == "degraded");
    assert_eq!(
        health["collectors"]["tegrastats"][0],
        "tegrastats: /nonexistent/tegrastats not found; install nvidia-l4t-tools or pass \
         --tegrastats PATH; restarting in 1 s"
    );
    let status = daemon.json("/api/status");
    assert!(status.get("tegrastats").is_none());
    assert_eq!(status["gpu"]["gr3d_freq"], 306, "sysfs still answers");
}

#[test]
fn vcgencmd_without_group_video_says_so() {
    let daemon = Daemon::start(
        &fixture("pi4-bookworm"),
        &["--vcgencmd-interval", "1"],
        &[("VCGENCMD_STANDIN_FAIL", "vchiq")],
    );
    let health = daemon.until("/health", WAIT, |h| h["status"] == "degraded");
    assert_eq!(
        health["collectors"],
        json!({"vcgencmd": ["vcgencmd: permission denied on /dev/vchiq; add the user to group video"]})
    );
    // Logged once as it appears, not once per sample.
    std::thread::sleep(Duration::from_millis(1500));
    let log = daemon.log();
    let warning = "edgestat: WARNING: vcgencmd degraded: vcgencmd: permission denied on /dev/vchiq; \
                   add the user to group video";
    assert_eq!(log.matches(warning).count(), 1, "{log}");
    let stats = daemon.json("/stats");
    assert_eq!(stats["power"]["core_voltage"], Value::Null);
    assert_eq!(stats["clocks"]["arm"], Value::Null);
    // The sysfs alarm still reports under-voltage state without vcgencmd.
    assert_eq!(stats["power"]["under_voltage"], false);
    assert_eq!(stats["cpu_temp"], 42.842);
}

#[test]
fn the_bookworm_vcio_message_is_understood_too() {
    let daemon = Daemon::start(
        &fixture("pi5-bookworm"),
        &["--vcgencmd-interval", "1"],
        &[("VCGENCMD_STANDIN_FAIL", "vcio")],
    );
    let health = daemon.until("/api/health", WAIT, |h| h["status"] == "degraded");
    assert_eq!(
        health["collectors"]["vcgencmd"][0],
        "vcgencmd: permission denied on /dev/vchiq; add the user to group video"
    );
}
