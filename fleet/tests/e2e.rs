//! End to end: the fleet manager and three real `edgestat` agents (AGX
//! Orin, Raspberry Pi 4 and Jetson Nano fixture roots) on loopback. The
//! manager queries them as seed 003 says, they report, and the seed 002
//! API shows them; a stopped agent goes offline after the window.

mod common;

use std::io::{BufRead, BufReader};
use std::net::UdpSocket;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Fleet, backends, scratch};
use serde_json::{Value, json};

/// The `edgestat` binary, built by the same cargo that runs this test.
fn edgestat() -> PathBuf {
    let out = Command::new(env!("CARGO"))
        .args([
            "build",
            "-p",
            "edgestat",
            "--bin",
            "edgestat",
            "--message-format=json-render-diagnostics",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::inherit())
        .output()
        .expect("cargo runs");
    assert!(out.status.success(), "cargo build -p edgestat failed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find_map(|m| {
            m["executable"].as_str().filter(|e| e.ends_with("/edgestat")).map(PathBuf::from)
        })
        .expect("cargo names the edgestat executable")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../edge-daemon/tests/fixtures").join(name)
}

/// An agent: `edgestat run --agent` on a fixture root, answering queries
/// on its own UDP port, sent to it or to seed 003's group.
struct Agent {
    child: Child,
    udp: u16,
    multicast: bool,
}

impl Agent {
    /// `multicast`: the agent joins 239.192.168.80 on loopback and the
    /// manager queries the group (on any machine: no route needed).
    fn start(bin: &Path, root: &str, multicast: bool) -> Agent {
        let root = fixture(root);
        let udp = UdpSocket::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = scratch("agent");
        std::fs::write(dir.join("edgestat.toml"), "").unwrap();
        let mut command = Command::new(bin);
        command
            .args(["run", "--port", "0", "--update-interval", "0.5", "--no-rate-limit", "--agent"])
            .arg(format!("--config={}", dir.join("edgestat.toml").display()))
            .arg(format!("--agent-group=239.192.168.80:{udp}"))
            .arg("--agent-service-port=0")
            .args(multicast.then_some("--agent-interface=127.0.0.1"))
            .arg(format!("--sysfs={}", root.join("sys").display()))
            .arg(format!("--procfs={}", root.join("proc").display()))
            .arg(format!("--rootfs={}", root.display()))
            .arg(format!("--tegrastats={}", root.join("usr/bin/tegrastats").display()))
            .arg(format!("--vcgencmd={}", root.join("usr/bin/vcgencmd").display()))
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(std::fs::File::create(dir.join("stderr.log")).unwrap()));
        for (key, _) in std::env::vars() {
            if key.starts_with("EDGESTAT_") || key.starts_with("PISTAT_") {
                command.env_remove(key);
            }
        }
        let mut child = command.spawn().expect("edgestat starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        let addr = first
            .trim()
            .strip_prefix("edgestat listening on http://")
            .expect("the address line")
            .to_owned();
        // Wait for the first sample: a /resource asked before it is skipped.
        let start = Instant::now();
        while Command::new("curl")
            .args(["-sf", &format!("http://{addr}/api/status")])
            .output()
            .map_or(true, |o| !o.status.success())
        {
            assert!(start.elapsed() < Duration::from_secs(10), "agent on {root:?} never sampled");
            std::thread::sleep(Duration::from_millis(100));
        }
        Agent { child, udp, multicast }
    }

    fn stop(&mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.stop();
        }
    }
}

const ORIN: &str = "4b0e5a1d8c6f4e2a9d7b3c1f0e8a6d42";
const PI4: &str = "9c2f7e1b4a8d4f6e8b0a3d5c7e9f1a2b";
const NANO: &str = "1d3f5b7a9c2e4f6a8b0c2d4e6f8a0b1c";

fn device<'a>(list: &'a Value, id: &str) -> &'a Value {
    list["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["client_id"] == id)
        .unwrap_or(&Value::Null)
}

#[test]
fn three_agents_appear_report_and_go_offline() {
    let bin = edgestat();
    for db in backends("e2e") {
        // The Orin is found by multicast, the other two by address.
        let mut agents: Vec<Agent> = ["agx-orin-r36", "pi4-bookworm", "nano-r32"]
            .iter()
            .enumerate()
            .map(|(i, r)| Agent::start(&bin, r, i == 0))
            .collect();
        let targets: Vec<String> = agents
            .iter()
            .map(|a| {
                let host = if a.multicast { "239.192.168.80" } else { "127.0.0.1" };
                format!("{host}:{}", a.udp)
            })
            .collect();
        let fleet = Fleet::start(
            &db,
            &[
                "--poll-interval",
                "1",
                "--query-to",
                &targets.join(","),
                "--advertise-ip",
                "127.0.0.1",
                "--auto-register-user",
                "12",
                "--online-window",
                "3",
                "--tflops",
                "AGX Orin=5.3,Nano=0.472",
            ],
        );
        // The first poll asks for heartbeats: all three are listed by name.
        let list = fleet
            .until("/api/user/client_list?user_id=12", Duration::from_secs(3), |l| l["total"] == 3);
        let names: Vec<(&str, &str)> = [ORIN, PI4, NANO]
            .iter()
            .map(|id| (*id, device(&list, id)["client_name"].as_str().unwrap_or("")))
            .collect();
        assert_eq!(
            names,
            [(ORIN, "orin-devkit"), (PI4, "raspberrypi"), (NANO, "jetson-nano")],
            "{}",
            db.name
        );
        // The second asks for resources: usage arrives.
        let list = fleet.until("/api/user/client_list?user_id=12", Duration::from_secs(4), |l| {
            [ORIN, PI4, NANO].iter().all(|id| !device(l, id)["memory_usage"].is_null())
        });
        // Each node's values are its fixture's: MemTotal/MemAvailable, the
        // device-tree model, the GPU's load, thermal zone and rail, and the
        // Pi 4's captured get_throttled (0x50005: throttled now, -20 health).
        let row = |id: &str, keys: &[&str]| {
            keys.iter().map(|k| device(&list, id)[*k].clone()).collect::<Vec<_>>()
        };
        let keys = ["client_status", "os_type", "device_name", "tflops", "memory_usage", "health"];
        assert_eq!(
            row(ORIN, &keys),
            [
                json!("online"),
                json!("Ubuntu 22.04.5 LTS"),
                json!("NVIDIA Jetson AGX Orin Developer Kit iGPU"),
                json!(5.3),
                json!(11.0),
                json!(100)
            ]
        );
        assert_eq!(
            row(PI4, &keys),
            [
                json!("online"),
                Value::Null,
                json!("ARM Cortex-A72/4"),
                Value::Null,
                json!(13.8),
                json!(80)
            ]
        );
        assert_eq!(
            row(NANO, &keys),
            [
                json!("online"),
                Value::Null,
                json!("NVIDIA Jetson Nano Developer Kit iGPU"),
                json!(0.472),
                json!(51.5),
                json!(100)
            ]
        );
        let detail = |id: &str| {
            fleet.data(&format!("/api/user/client_device_detail?user_id=12&client_id={id}"))
        };
        let orin = detail(ORIN);
        assert_eq!(
            orin["system_info"]["device_memsize"], 62_841,
            "the iGPU shares the 64 GB of RAM"
        );
        assert_eq!(
            orin["device_info"],
            json!([{"device_index": 0, "name": "NVIDIA Jetson AGX Orin Developer Kit iGPU", "temp": 43.0, "usage": 0.0, "mem_usage": null, "power_usage": 3.2}])
        );
        let nano = detail(NANO);
        assert_eq!(nano["system_info"]["device_memsize"], 3_964);
        assert_eq!(
            nano["device_info"],
            json!([{"device_index": 0, "name": "NVIDIA Jetson Nano Developer Kit iGPU", "temp": 40.0, "usage": 100.0, "mem_usage": null, "power_usage": 0.2}])
        );
        let pi = detail(PI4);
        assert_eq!(
            (&pi["system_info"]["device_memsize"], &pi["device_info"]),
            (&json!(3_793), &json!([]))
        );
        let stat = fleet.data("/api/user/client_stat?user_id=12");
        assert_eq!(
            (&stat["systems_online_number"], &stat["total_tflops"]),
            (&json!(3), &json!(5.772))
        );

        agents[1].stop();
        let stat = fleet.until("/api/user/client_stat?user_id=12", Duration::from_secs(8), |s| {
            s["systems_online_number"] == 2
        });
        assert_eq!(stat["systems_total_number"], 3);
        assert_eq!(stat["systems_warnings_number"], 1, "offline: health 0");
        let list = fleet.data("/api/user/client_list?user_id=12&status=offline");
        assert_eq!((&list["total"], &list["devices"][0]["client_id"]), (&json!(1), &json!(PI4)));
    }
}
