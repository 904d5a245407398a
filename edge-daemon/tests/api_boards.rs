//! Every route against each board's fixture root (see fixtures/README.md):
//! the daemon started as `edgestat run` on `127.0.0.1:0`, values checked
//! against the fixture files and the captured tool outputs behind them.

mod common;

use std::time::Duration;

use common::{Daemon, fixture};
use serde_json::{Value, json};

fn keys(object: &Value) -> Vec<&str> {
    object.as_object().unwrap().keys().map(String::as_str).collect()
}

/// The seed 000 sections that every board answers, with their shapes.
fn check_seed_000_shapes(daemon: &Daemon) -> Value {
    let status = daemon.json("/api/status");
    for key in ["cpu", "gpu", "memory", "temperature", "power", "timestamp"] {
        assert!(status.get(key).is_some(), "/api/status lacks {key}");
    }
    let timestamp = status["timestamp"].as_str().unwrap();
    assert!(timestamp.len() == 27 && timestamp.ends_with('Z'), "{timestamp}");
    for (path, key) in [
        ("/api/cpu", "cpu"),
        ("/api/memory", "memory"),
        ("/api/temperature", "temperature"),
        ("/api/power", "power"),
    ] {
        let section = daemon.json(path);
        assert_eq!(keys(&section), [key, "timestamp"], "{path}");
    }
    assert_eq!(status["memory"]["ram"]["unit"], "MB");
    status
}

/// The piStat routes, with their shapes.
fn check_pistat_shapes(daemon: &Daemon, fixture: bool) -> Value {
    let stats = daemon.json("/stats");
    assert_eq!(
        keys(&stats),
        [
            "cpu_temp",
            "cpu_freq",
            "cpu_usage",
            "per_cpu_usage",
            "memory",
            "swap",
            "disk",
            "disk_io",
            "uptime",
            "load_avg",
            "timestamp",
            "gpu",
            "power",
            "clocks",
            "network",
            "hardware"
        ]
    );
    assert!(stats["timestamp"].as_f64().unwrap() > 1.7e9);
    let picked = daemon.json("/stats?fields=cpu_usage,memory,uptime");
    assert_eq!(keys(&picked), ["cpu_usage", "memory", "uptime"]);
    let interfaces = daemon.json("/network/interfaces");
    assert_eq!(interfaces["interfaces"]["lo"]["bytes_sent"], stats["network"]["lo"]["bytes_sent"]);
    let storage = daemon.json("/storage/devices");
    let devices = storage["devices"].as_array().unwrap();
    assert!(devices.iter().any(|d| d["mountpoint"] == "/"), "{storage}");
    for key in ["read_count", "write_count", "read_bytes", "write_bytes", "read_time", "write_time"]
    {
        assert!(storage["disk_io"][key].is_u64(), "{key}");
    }
    let health = daemon.json("/health");
    if fixture {
        assert_eq!(health["status"], "healthy", "{health}");
    } else {
        // This machine may have an odd mount or file; it must still answer.
        assert!(["healthy", "degraded"].contains(&health["status"].as_str().unwrap()), "{health}");
    }
    assert_eq!(health["uptime"], stats["uptime"]);
    let page = daemon.get("/");
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(page.body.contains("/processes"));
    stats
}

#[test]
fn agx_orin_r36() {
    let daemon = Daemon::start(&fixture("agx-orin-r36"), &[], &[]);
    let status = check_seed_000_shapes(&daemon);
    // cpufreq: three clusters of four (sys/devices/system/cpu/cpufreq/policy*).
    let freqs: Vec<&Value> =
        status["cpu"]["cores"].as_array().unwrap().iter().map(|c| &c["freq"]).collect();
    assert_eq!(
        freqs,
        [&json!(1190); 4]
            .into_iter()
            .chain([&json!(1114); 4])
            .chain([&json!(806); 4])
            .collect::<Vec<_>>()
    );
    assert_eq!(status["gpu"], json!({"gr3d_freq": 306, "load": 0}));
    // MemTotal - MemAvailable, as tegrastats counts it: T-AB-1's 6879/62841MB.
    assert_eq!(status["memory"]["ram"], json!({"used": 6879, "total": 62841, "unit": "MB"}));
    // Thermal zones by role; cv2's temp cannot be read (null), cv0/cv1 read 0 (TZ-J6).
    assert_eq!(
        status["temperature"],
        json!({"cpu": 44.388, "gpu": 43.0, "cv0": 0.0, "cv1": 0.0, "cv2": null,
               "soc0": 42.531, "soc1": 43.187, "soc2": 41.843, "tj": 44.388})
    );
    // hwmon INA3221: mV x mA (VDD_GPU_SOC 5016 mV x 638 mA = 3200 mW); NC and the
    // shunt sum are left out.
    let power = &status["power"];
    assert_eq!(keys(power), ["VDD_GPU_SOC", "VDD_CPU_CV", "VIN_SYS_5V0", "VDDQ_VDD2_1V8AO"]);
    assert_eq!(power["VDD_GPU_SOC"], json!({"current": 3200, "average": 3200, "unit": "mW"}));
    // The tegrastats stand-in prints captured AGX Orin lines: EMC and engines.
    let status =
        daemon.until("/api/status", Duration::from_secs(10), |s| s.get("tegrastats").is_some());
    let tegra = &status["tegrastats"];
    assert_eq!(tegra["emc"]["freq"], 2133);
    assert_eq!(tegra["memory"]["ram"]["total"], 62841);
    assert!(tegra["engines"].get("NVENC").is_some());

    let stats = check_pistat_shapes(&daemon, true);
    assert_eq!(stats["cpu_temp"], 44.388);
    assert_eq!(
        stats["gpu"],
        json!({"temperature": 43.0, "memory": null, "v3d_clock": null, "load": 0.0})
    );
    assert_eq!(stats["hardware"]["model"], "NVIDIA Jetson AGX Orin Developer Kit");
    assert_eq!(stats["hardware"]["serial"], Value::Null, "the serial is opt-in");
    assert_eq!(stats["network"]["eth0"]["bytes_recv"], 2_310_544_821u64);
    assert_eq!(stats["network"]["active_connections"], 3);
    assert_eq!(stats["uptime"], 94213.37);
    let health = daemon.json("/api/health");
    assert_eq!(
        health["platform"],
        json!({"kind": "jetson", "l4t": "36.4.4", "model": "NVIDIA Jetson AGX Orin Developer Kit"})
    );

    let processes = daemon.json("/processes?sort=pid");
    let list = processes["processes"].as_array().unwrap();
    let pids: Vec<u64> = list.iter().map(|p| p["pid"].as_u64().unwrap()).collect();
    assert_eq!(pids, [1, 2, 1042, 61873]);
    let python = &list[3];
    assert_eq!(
        (python["name"].as_str(), python["user"].as_str()),
        (Some("python3"), Some("nvidia"))
    );
}

#[test]
fn nano_r32() {
    let daemon = Daemon::start(&fixture("nano-r32"), &[], &[]);
    let status = check_seed_000_shapes(&daemon);
    // The L4T kernel's zone names, by role.
    assert_eq!(
        status["temperature"],
        json!({"ao": 45.0, "cpu": 40.0, "gpu": 40.0, "pll": 37.0, "pmic-die": 50.0, "thermal-fan-est": 40.0})
    );
    // The legacy IIO driver prints power itself.
    assert_eq!(
        status["power"],
        json!({"POM_5V_IN": {"current": 1020, "average": 1020, "unit": "mW"},
               "POM_5V_GPU": {"current": 199, "average": 199, "unit": "mW"},
               "POM_5V_CPU": {"current": 603, "average": 603, "unit": "mW"}})
    );
    assert_eq!(status["gpu"], json!({"gr3d_freq": 922, "load": 100}));
    assert_eq!(
        status["memory"]["swap"],
        json!({"used": 191, "total": 1982, "unit": "MB", "cached": 6})
    );
    assert_eq!(status["cpu"]["cores"].as_array().unwrap().len(), 4);
    let stats = check_pistat_shapes(&daemon, true);
    assert_eq!(stats["hardware"]["model"], "NVIDIA Jetson Nano Developer Kit");
    assert_eq!(stats["gpu"]["load"], 100.0);
}

#[test]
fn raspberry_pi_4() {
    let calls = common::scratch("calls").join("vcgencmd.calls");
    let calls_var = calls.to_str().unwrap().to_owned();
    let daemon = Daemon::start(
        &fixture("pi4-bookworm"),
        &["--vcgencmd-interval", "1"],
        &[("VCGENCMD_STANDIN_CALLS", &calls_var)],
    );
    let status = check_seed_000_shapes(&daemon);
    assert_eq!(status["temperature"], json!({"cpu": 42.842}));
    assert_eq!(status["power"], json!({}));
    let stats =
        daemon.until("/stats", Duration::from_secs(10), |s| !s["power"]["core_voltage"].is_null());
    check_pistat_shapes(&daemon, true);
    assert_eq!(stats["cpu_temp"], 42.842);
    assert_eq!(stats["cpu_freq"], 600.0);
    // vcgencmd (VC-A*): get_throttled 0x50005, core 0.8600V, clocks, get_mem gpu=76M.
    assert_eq!(
        stats["power"],
        json!({"core_voltage": 0.86, "under_voltage": true, "throttled": true, "freq_capped": false,
               "soft_temp_limit": false, "under_voltage_occurred": true, "throttled_occurred": true,
               "freq_capped_occurred": false, "soft_temp_limit_occurred": false, "throttled_raw": 327685})
    );
    assert_eq!(stats["clocks"], json!({"arm": 600169920, "core": 199995120, "sdram": null}));
    assert_eq!(
        stats["gpu"],
        json!({"temperature": 42.842, "memory": 76 << 20, "v3d_clock": 250000496, "load": null})
    );
    assert_eq!(stats["hardware"]["firmware"], "Feb 29 2024 12:24:53");
    // piStat's wlan0.signal_strength: null without /proc/net/wireless
    // (the fixture's wlan0 carries no traffic); a wired interface has no key.
    assert_eq!(stats["network"]["wlan0"].get("signal_strength"), Some(&Value::Null));
    assert_eq!(stats["network"]["eth0"].get("signal_strength"), None);
    assert_eq!(stats["memory"]["total"], 3_977_478_144u64);
    let storage = daemon.json("/storage/devices");
    let mounts: Vec<&str> = storage["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["mountpoint"].as_str().unwrap())
        .collect();
    assert_eq!(mounts, ["/", "/boot/firmware", "/media/pi/My Disk"]);

    let top = daemon.json("/processes?sort=memory&limit=2");
    let top = top["processes"].as_array().unwrap();
    assert_eq!(top.len(), 2);
    assert!(top[0]["memory_percent"].as_f64() >= top[1]["memory_percent"].as_f64());
    let all = daemon.json("/processes?sort=name");
    let users: Vec<(&str, &str)> = all["processes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["user"].as_str().unwrap()))
        .collect();
    assert!(users.contains(&("lighttpd", "www-data")), "{users:?}");
    assert!(users.contains(&("python3", "pi")), "{users:?}");

    // vcgencmd runs on its cadence, never per request.
    let count = || std::fs::read_to_string(&calls).map_or(0, |t| t.lines().count());
    let before = count();
    for _ in 0..40 {
        assert_eq!(daemon.get("/stats?cache=false").status, 200);
    }
    let during = count() - before;
    // 40 requests take well under 2 s: at most two rounds of 7 calls.
    assert!(during <= 14, "{during} vcgencmd calls during 40 requests");
}

#[test]
fn raspberry_pi_5_pmic_rails() {
    let daemon = Daemon::start(&fixture("pi5-bookworm"), &["--vcgencmd-interval", "1"], &[]);
    let status = daemon.until("/api/status", Duration::from_secs(10), |s| {
        s["power"].as_object().is_some_and(|p| !p.is_empty())
    });
    check_seed_000_shapes(&daemon);
    // pmic_read_adc (VC-D1): VDD_CORE 0.7210V x 0.946A and friends.
    assert_eq!(status["power"]["VDD_CORE"], json!({"current": 682, "average": 682, "unit": "mW"}));
    assert_eq!(status["power"].as_object().unwrap().len(), 12);
    assert_eq!(status["temperature"], json!({"cpu": 51.2}));
    let stats = check_pistat_shapes(&daemon, true);
    assert_eq!(stats["hardware"]["model"], "Raspberry Pi 5 Model B Rev 1.0");
}

#[test]
fn this_machine() {
    let daemon = Daemon::start_host(&[]);
    let status = check_seed_000_shapes(&daemon);
    let cpus = std::fs::read_to_string("/proc/stat").unwrap();
    let expected = cpus.lines().filter(|l| l.starts_with("cpu") && !l.starts_with("cpu ")).count();
    assert_eq!(status["cpu"]["cores"].as_array().unwrap().len(), expected);
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap();
    let total_kb: u64 =
        meminfo.lines().next().unwrap().split_whitespace().nth(1).unwrap().parse().unwrap();
    assert_eq!(status["memory"]["ram"]["total"], total_kb / 1024);
    let stats = daemon.until("/stats", Duration::from_secs(5), |s| s["cpu_usage"].is_f64());
    check_pistat_shapes(&daemon, false);
    assert_eq!(stats["memory"]["total"], total_kb * 1024);
    let history = daemon.until("/api/history?seconds=60", Duration::from_secs(5), |h| {
        h["points"].as_array().unwrap().len() >= 2
    });
    assert_eq!(history["interval"], 0.5);
}
