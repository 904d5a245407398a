//! `GET /metrics`: values in the Prometheus text format, `promtool check
//! metrics` finds no problem, and a real Prometheus on loopback scrapes the
//! daemon and stores a sample.
//!
//! Needs `promtool` and `prometheus` (Debian package `prometheus`);
//! `ci/test` installs it.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Daemon, fixture, request, scratch};

fn metrics(daemon: &Daemon) -> String {
    daemon.until("/api/status", Duration::from_secs(10), |s| s.get("tegrastats").is_some());
    let response = daemon.get("/metrics");
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("text/plain; version=0.0.4; charset=utf-8"));
    response.body
}

#[test]
fn the_orin_fixture_as_metrics() {
    let daemon = Daemon::start(&fixture("agx-orin-r36"), &[], &[]);
    let page = metrics(&daemon);
    for line in [
        "edgestat_temperature_celsius{sensor=\"cpu\"} 44.388",
        "edgestat_temperature_celsius{sensor=\"tj\"} 44.388",
        // 5016 mV x 638 mA.
        "edgestat_power_watts{rail=\"VDD_GPU_SOC\"} 3.2",
        "edgestat_gpu_frequency_hertz 306000000",
        "edgestat_gpu_load_ratio 0",
        "edgestat_cpu_frequency_hertz{cpu=\"11\"} 806400000",
        "edgestat_memory_total_bytes 65894129664",
        "edgestat_emc_frequency_hertz 2133000000",
        "edgestat_engine_active{engine=\"NVENC\"} 0",
        "edgestat_network_receive_bytes_total{interface=\"eth0\"} 2310544821",
        "edgestat_tcp_established_connections 3",
        "edgestat_collector_degraded{collector=\"sysfs\"} 0",
        "# TYPE edgestat_network_receive_bytes_total counter",
    ] {
        assert!(page.lines().any(|l| l == line), "missing `{line}` in\n{page}");
    }
    // cv2-thermal cannot be read: no sample rather than a made-up value.
    assert!(!page.contains("sensor=\"cv2\""));

    let mut promtool = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool runs (Debian package prometheus; ci/test installs it)");
    promtool.stdin.take().unwrap().write_all(page.as_bytes()).unwrap();
    let out = promtool.wait_with_output().unwrap();
    let report =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && report.trim().is_empty(), "promtool: {report}");
}

#[test]
fn prometheus_scrapes_the_daemon() {
    let daemon = Daemon::start(&fixture("pi4-bookworm"), &[], &[]);
    daemon.json("/api/status");
    let dir = scratch("prometheus");
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let config = format!(
        "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: edgestat\n    static_configs:\n      - targets: ['{}']\n",
        daemon.addr
    );
    std::fs::write(dir.join("prometheus.yml"), config).unwrap();
    let mut prometheus = Command::new("prometheus")
        .arg(format!("--config.file={}", dir.join("prometheus.yml").display()))
        .arg(format!("--storage.tsdb.path={}", dir.join("data").display()))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join("prometheus.log")).unwrap())
        .spawn()
        .expect("prometheus runs (Debian package prometheus; ci/test installs it)");
    let addr = format!("127.0.0.1:{port}");
    let query = "/api/v1/query?query=edgestat_temperature_celsius";
    let deadline = Instant::now() + Duration::from_secs(30);
    let result = loop {
        if let Ok(stream) = std::net::TcpStream::connect(&addr) {
            drop(stream);
            let response =
                request(&addr, &format!("GET {query} HTTP/1.1\r\nHost: {addr}\r\n"), &[]);
            if response.status == 200 {
                let body = response.json();
                let result = body["data"]["result"].as_array().cloned().unwrap_or_default();
                if !result.is_empty() {
                    break result;
                }
            }
        }
        if Instant::now() > deadline {
            let _ = prometheus.kill();
            let log = std::fs::read_to_string(dir.join("prometheus.log")).unwrap_or_default();
            panic!("Prometheus stored no edgestat sample in 30 s:\n{log}");
        }
        std::thread::sleep(Duration::from_millis(250));
    };
    let _ = prometheus.kill();
    let _ = prometheus.wait();
    let series = &result[0];
    assert_eq!(series["metric"]["sensor"], "cpu");
    assert_eq!(series["metric"]["job"], "edgestat");
    assert_eq!(series["value"][1], "42.842");
    let _ = std::fs::remove_dir_all(&dir);
}
