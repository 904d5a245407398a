//! Issue 14's findings against the sampler and its children, each
//! reproduced against the real daemon: a FIFO under /sys, a vanished
//! sensor file, and tegrastats children that print an endless line, go
//! quiet after one line, exit while a grandchild holds their output, or
//! ignore SIGTERM; and deployed programs at the daemon's exit.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{Daemon, fixture};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(15);

fn copy_of(name: &str) -> PathBuf {
    let dir = common::scratch(name).join("root");
    let status = Command::new("cp").arg("-rL").arg(fixture(name)).arg(&dir).status().unwrap();
    assert!(status.success());
    dir
}

/// A script in a scratch directory, executable.
fn script(name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let dir = common::scratch(name);
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn reasons(health: &Value, collector: &str) -> String {
    health["collectors"][collector].to_string()
}

/// The process's CPU time, seconds (utime + stime).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat.rsplit_once(") ").unwrap().1.split(' ').collect();
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    ticks / 100.0
}

fn alive(pid: u32) -> bool {
    // A zombie is not alive: it waits for its parent to reap it.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|s| s.rsplit_once(") ").is_some_and(|(_, rest)| !rest.starts_with('Z')))
}

fn read_pid(file: &Path) -> u32 {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(text) = std::fs::read_to_string(file) {
            if let Some(pid) = text.lines().last().and_then(|l| l.trim().parse().ok()) {
                return pid;
            }
        }
        assert!(Instant::now() < deadline, "no pid in {}", file.display());
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_fifo_under_sys_never_hangs_the_sampler() {
    let root = copy_of("pi4-bookworm");
    let temp = root.join("sys/class/thermal/thermal_zone0/temp");
    std::fs::remove_file(&temp).unwrap();
    nix::unistd::mkfifo(&temp, nix::sys::stat::Mode::S_IRWXU).unwrap();
    let daemon = Daemon::start(&root, &[], &[]);
    let first = daemon.until("/api/status", WAIT, |s| s["timestamp"].is_string());
    let later = daemon.until("/api/status", WAIT, |s| s["timestamp"] != first["timestamp"]);
    assert_eq!(later["temperature"]["cpu"], Value::Null);
    let health = daemon.json("/api/health");
    assert_eq!(health["status"], "degraded");
    let why = reasons(&health, "sysfs");
    assert!(why.contains("thermal_zone0/temp: not a regular file"), "{why}");
}

#[test]
fn a_vanished_sensor_file_is_degraded_not_healthy() {
    let root = copy_of("pi4-bookworm");
    let daemon = Daemon::start(&root, &[], &[]);
    daemon.until("/api/health", WAIT, |h| h["status"] != "starting");
    std::fs::remove_file(root.join("sys/class/thermal/thermal_zone0/temp")).unwrap();
    let health = daemon.until("/api/health", WAIT, |h| h["status"] == "degraded");
    assert!(reasons(&health, "sysfs").contains("thermal_zone0/temp: no such file"), "{health}");
}

#[test]
fn an_endless_tegrastats_line_costs_a_bounded_share_of_a_core() {
    let endless =
        script("tegrastats", "while :; do printf 'RAM 2448/62840MB CPU [0%%@2201] '; done");
    let daemon = Daemon::start(
        &fixture("agx-orin-r36"),
        &[&format!("--tegrastats={}", endless.display())],
        &[],
    );
    let health =
        daemon.until("/api/health", WAIT, |h| reasons(h, "tegrastats").contains("longer than"));
    assert!(reasons(&health, "tegrastats").contains("not tegrastats output"), "{health}");
    let before = cpu_seconds(daemon.pid());
    std::thread::sleep(Duration::from_secs(5));
    let share = (cpu_seconds(daemon.pid()) - before) / 5.0;
    assert!(share < 0.15, "the daemon used {:.0} % of a core", share * 100.0);
}

#[test]
fn a_tegrastats_that_goes_quiet_is_reported() {
    let line =
        "RAM 2448/62840MB (lfb 2x4MB) CPU [1%@2201] GR3D_FREQ 0% cpu@42C VDD_IN 4940mW/4940mW";
    let quiet = script("tegrastats", &format!("echo '{line}'\nexec sleep 1000"));
    let daemon = Daemon::start(
        &fixture("agx-orin-r36"),
        &[&format!("--tegrastats={}", quiet.display())],
        &[],
    );
    // Healthy while the line is fresh, then degraded: 3 intervals of 1 s.
    let health =
        daemon.until("/api/health", WAIT, |h| reasons(h, "tegrastats").contains("no usable line"));
    assert_eq!(health["status"], "degraded");
}

#[test]
fn a_tegrastats_that_exits_while_its_output_is_held_is_restarted() {
    let dir = common::scratch("tegrastats-held");
    let starts = dir.join("starts");
    let line = "RAM 2448/62840MB (lfb 2x4MB) CPU [1%@2201] cpu@42C VDD_IN 4940mW/4940mW";
    // A grandchild keeps stdout open after the child exits.
    let held = script(
        "tegrastats",
        &format!("echo $$ >> {}\necho '{line}'\n(sleep 1000 &)\nexit 0", starts.display()),
    );
    let daemon = Daemon::start(
        &fixture("agx-orin-r36"),
        &[&format!("--tegrastats={}", held.display())],
        &[],
    );
    let deadline = Instant::now() + WAIT;
    loop {
        let n = std::fs::read_to_string(&starts).map_or(0, |t| t.lines().count());
        if n >= 2 {
            break;
        }
        assert!(Instant::now() < deadline, "restarted {n} times: a zombie?");
        std::thread::sleep(Duration::from_millis(100));
    }
    let first: u32 =
        std::fs::read_to_string(&starts).unwrap().lines().next().unwrap().parse().unwrap();
    assert!(!alive(first), "the first child is reaped, not a zombie");
    assert!(daemon.json("/api/status")["tegrastats"].is_object(), "lines flow again");
}

#[test]
fn no_child_outlives_the_daemon() {
    let dir = common::scratch("tegrastats-deaf");
    let pidfile = dir.join("pid");
    // Silent, and deaf to SIGTERM.
    let deaf = script(
        "tegrastats",
        &format!("trap '' TERM\necho $$ > {}\nexec sleep 1000", pidfile.display()),
    );
    let daemon = Daemon::start(
        &fixture("agx-orin-r36"),
        &[&format!("--tegrastats={}", deaf.display())],
        &[],
    );
    let child = read_pid(&pidfile);
    assert!(alive(child));
    let (code, log) = daemon.terminate();
    assert_eq!(code, Some(0), "{log}");
    std::thread::sleep(Duration::from_millis(200));
    assert!(!alive(child), "tegrastats {child} outlived the daemon");
}
