//! Surfaces agree: every view is rendered from one sample, read back as
//! its clients read it (JSON, the Prometheus text format), and each
//! quantity that several surfaces show is the same on all of them, up to
//! each format's unit and rounding: every temperature, every rail's power,
//! GPU load and frequency, RAM used and total, CPU usage per core and in
//! all, the network counters, and the throttling bits.
//!
//! Besides each board as its fixture has it, two Jetson samples where
//! the sources disagree in what they have: an AGX Orin without the sysfs
//! GPU `load` file (tegrastats' GR3D share fills it) and one without
//! tegrastats (sysfs alone).

mod common;

use std::collections::HashMap;

use common::samples::{self, BOARDS, Options, Taken, documents};
use serde_json::Value;

/// The Prometheus page as `name{labels}` → value.
fn metrics(page: &str) -> HashMap<String, f64> {
    page.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| l.rsplit_once(' '))
        .map(|(series, value)| (series.to_owned(), value.parse().expect("a number")))
        .collect()
}

struct Surfaces {
    status: Value,
    stats: Value,
    resource: Value,
    history: Value,
    monitor: Value,
    ws: Value,
    interfaces: Value,
    metrics: HashMap<String, f64>,
}

fn surfaces(taken: &Taken) -> Surfaces {
    let docs: HashMap<String, Vec<u8>> = documents(taken).into_iter().collect();
    let json = |name: &str| -> Value { serde_json::from_slice(&docs[name]).expect(name) };
    Surfaces {
        status: json("status"),
        stats: json("stats"),
        resource: json("resource")["data"].clone(),
        history: json("history"),
        monitor: json("monitor-stats"),
        ws: json("ws-stats")["payload"].clone(),
        interfaces: json("network-interfaces")["interfaces"].clone(),
        metrics: metrics(std::str::from_utf8(&docs["metrics"]).unwrap()),
    }
}

fn close(a: f64, b: f64, within: f64, what: &str) {
    assert!((a - b).abs() <= within, "{what}: {a} and {b} differ by more than {within}");
}

/// Checks every shared quantity of one sample; `what` names it.
fn agree(taken: &Taken, what: &str) {
    let s = &taken.sample;
    let v = surfaces(taken);
    let m = |series: &str| v.metrics.get(series).copied();
    let jetson = s.board.is_jetson();

    // The ws message carries the very /api/status object.
    assert_eq!(v.ws["status"], v.status, "{what}: /api/ws status");

    // Temperatures, by role.
    let temps = v.status["temperature"].as_object().unwrap();
    for (role, t) in temps {
        let metric = m(&format!("edgestat_temperature_celsius{{sensor=\"{role}\"}}"));
        assert_eq!(t.as_f64(), metric, "{what}: temperature {role}");
    }
    let first = |roles: &[&str]| roles.iter().find_map(|r| temps.get(*r).and_then(Value::as_f64));
    assert_eq!(v.stats["cpu_temp"].as_f64(), first(&["cpu", "soc"]), "{what}: cpu_temp");
    assert_eq!(v.stats["gpu"]["temperature"].as_f64(), first(&["gpu", "cpu"]), "{what}: gpu temp");
    assert_eq!(v.resource["resource"]["cpu"]["temperature"].as_f64(), first(&["cpu"]), "{what}");
    if jetson {
        let gpu0 = &v.resource["resource"]["gpu"][0];
        assert_eq!(gpu0["temperature"].as_f64(), first(&["gpu"]), "{what}: report gpu temp");
    }
    let hottest = temps
        .values()
        .filter_map(Value::as_f64)
        .fold(None, |m: Option<f64>, t| Some(m.map_or(t, |m| m.max(t))));
    let point = v.history["points"].as_array().unwrap().last().unwrap();
    assert_eq!(point["max_milli_celsius"].as_f64().map(|m| m / 1000.0), hottest, "{what}");

    // Rails.
    let rails = v.status["power"].as_object().unwrap();
    let mut sum = 0.0;
    for (name, rail) in rails {
        let current = rail["current"].as_f64().unwrap();
        sum += current;
        let watts = m(&format!("edgestat_power_watts{{rail=\"{name}\"}}")).unwrap();
        close(watts * 1000.0, current, 1e-6, &format!("{what}: rail {name}"));
        let average = m(&format!("edgestat_power_average_watts{{rail=\"{name}\"}}")).unwrap();
        close(average * 1000.0, rail["average"].as_f64().unwrap(), 1e-6, what);
    }
    assert_eq!(point["power_mw"].as_f64(), (!rails.is_empty()).then_some(sum), "{what}: power");
    if let Some((_, cpu)) = rails.iter().find(|(n, _)| n.contains("CPU")) {
        let reported = v.resource["resource"]["cpu"]["power"].as_f64().unwrap();
        close(reported * 1000.0, cpu["current"].as_f64().unwrap(), 1e-6, what);
    }

    // GPU load (percent) and frequency (MHz).
    let load = v.status["gpu"]["load"].as_f64();
    let ratio = m("edgestat_gpu_load_ratio");
    assert_eq!(load.is_some(), ratio.is_some(), "{what}: GPU load on both");
    if let (Some(load), Some(ratio)) = (load, ratio) {
        close(ratio * 100.0, load, 0.5, &format!("{what}: GPU load /metrics"));
        close(v.stats["gpu"]["load"].as_f64().unwrap(), load, 0.5, &format!("{what}: /stats"));
        if jetson {
            let reported = v.resource["resource"]["gpu"][0]["compute_usage"].as_f64().unwrap();
            close(reported, load, 0.5, &format!("{what}: GPU load report"));
        }
    }
    let freq = v.status["gpu"]["gr3d_freq"].as_f64();
    let hz = m("edgestat_gpu_frequency_hertz");
    assert_eq!(freq, hz.map(|hz| (hz / 1e6).round()), "{what}: GPU frequency");

    // RAM used and total: MB in seed 000, bytes elsewhere.
    let ram = &v.status["memory"]["ram"];
    if ram.is_null() {
        assert!(v.stats["memory"].is_null() && m("edgestat_memory_used_bytes").is_none());
    } else {
        let mib = |bytes: f64| (bytes / 1_048_576.0).floor();
        let used = ram["used"].as_f64().unwrap();
        let total = ram["total"].as_f64().unwrap();
        assert_eq!(mib(v.stats["memory"]["used"].as_f64().unwrap()), used, "{what}: /stats used");
        assert_eq!(mib(v.stats["memory"]["total"].as_f64().unwrap()), total, "{what}");
        assert_eq!(mib(m("edgestat_memory_used_bytes").unwrap()), used, "{what}: /metrics used");
        assert_eq!(mib(m("edgestat_memory_total_bytes").unwrap()), total, "{what}");
        let report = &v.resource["resource"]["memory"];
        assert_eq!(mib(report["used"].as_f64().unwrap()), used, "{what}: report used");
        assert_eq!(mib(report["total"].as_f64().unwrap()), total, "{what}: report total");
        let kb = point["ram_used_kb"].as_f64().unwrap();
        assert_eq!((kb / 1024.0).floor(), used, "{what}: history");
        let stats_total = v.stats["memory"]["total"].as_u64().unwrap();
        let shown = v.monitor["total_memory"].as_str().unwrap();
        assert_eq!(shown, format!("{:.2} GB", stats_total as f64 / (1u64 << 30) as f64), "{what}");
    }

    // CPU usage per core and in all, percent.
    let cores = v.status["cpu"]["cores"].as_array().unwrap();
    let per_cpu = v.stats["per_cpu_usage"].as_array().unwrap();
    let online: Vec<&Value> = cores.iter().filter(|c| c["online"] == true).collect();
    assert_eq!(online.len(), per_cpu.len(), "{what}: online CPUs");
    for (core, pistat) in online.iter().zip(per_cpu) {
        let id = &core["id"];
        let ratio = m(&format!("edgestat_cpu_core_usage_ratio{{cpu=\"{id}\"}}"));
        match core["usage"].as_f64() {
            Some(usage) => {
                close(ratio.unwrap() * 100.0, usage, 0.5, &format!("{what}: cpu{id} /metrics"));
                close(pistat.as_f64().unwrap(), usage, 0.5, &format!("{what}: cpu{id} /stats"));
            }
            None => assert!(ratio.is_none() && pistat.is_null(), "{what}: cpu{id} unknown"),
        }
        let khz = m(&format!("edgestat_cpu_frequency_hertz{{cpu=\"{id}\"}}")).map(|hz| hz / 1e6);
        assert_eq!(core["freq"].as_f64(), khz.map(f64::round), "{what}: cpu{id} frequency");
    }
    let total = v.status["cpu"]["usage"].as_f64();
    assert_eq!(total.is_some(), m("edgestat_cpu_usage_ratio").is_some(), "{what}");
    if let Some(total) = total {
        close(m("edgestat_cpu_usage_ratio").unwrap() * 100.0, total, 0.5, what);
        close(v.stats["cpu_usage"].as_f64().unwrap(), total, 0.5, what);
        let reported = v.resource["resource"]["cpu"]["usage_percent"].as_f64().unwrap();
        close(reported, total, 0.5, &format!("{what}: report CPU"));
        close(point["cpu_per_mille"].as_f64().unwrap() / 10.0, total, 0.5, what);
    }

    // Network counters since boot.
    let reported: HashMap<&str, &Value> = v.resource["resource"]["network"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["interface"].as_str().unwrap(), n))
        .collect();
    let interfaces = v.interfaces.as_object().unwrap();
    for (name, i) in interfaces.iter().filter(|(n, _)| *n != "active_connections") {
        for (key, metric, report) in [
            ("bytes_recv", "edgestat_network_receive_bytes_total", "rx_bytes"),
            ("bytes_sent", "edgestat_network_transmit_bytes_total", "tx_bytes"),
            ("packets_recv", "edgestat_network_receive_packets_total", "rx_packets"),
            ("errin", "edgestat_network_receive_errors_total", "rx_errors"),
        ] {
            let value = i[key].as_f64();
            assert_eq!(value, m(&format!("{metric}{{interface=\"{name}\"}}")), "{what}: {name}");
            assert_eq!(value, reported[name.as_str()][report].as_f64(), "{what}: {name} report");
        }
        assert_eq!(&v.stats["network"][name], i, "{what}: /stats.network {name}");
    }
    assert_eq!(interfaces.len() - 1, reported.len(), "{what}: the same interfaces");

    // Throttling: piStat's bits, /metrics' conditions, the report's flag.
    let power = &v.stats["power"];
    for (key, condition, when) in [
        ("under_voltage", "under_voltage", "now"),
        ("throttled", "throttled", "now"),
        ("freq_capped", "freq_capped", "now"),
        ("soft_temp_limit", "soft_temp_limit", "now"),
        ("under_voltage_occurred", "under_voltage", "since_boot"),
        ("throttled_occurred", "throttled", "since_boot"),
    ] {
        let series =
            format!("edgestat_throttle_condition{{condition=\"{condition}\",when=\"{when}\"}}");
        assert_eq!(power[key].as_bool().map(f64::from), m(&series), "{what}: {key}");
    }
    let any_now = ["under_voltage", "throttled", "freq_capped", "soft_temp_limit"]
        .iter()
        .filter_map(|k| power[*k].as_bool())
        .reduce(|a, b| a || b);
    assert_eq!(v.resource["throttled"].as_bool(), any_now, "{what}: report throttled");
}

#[test]
fn every_surface_shows_the_same_quantities_on_every_board() {
    for board in BOARDS {
        let taken = samples::take(board, &Options::default());
        agree(&taken, board);
    }
}

#[test]
fn a_jetson_without_the_sysfs_gpu_load_shows_tegrastats_load_everywhere() {
    let orin = Options {
        remove: vec!["sys/devices/platform/bus@0/17000000.gpu/load"],
        ..Options::default()
    };
    let taken = samples::take("agx-orin-r36", &orin);
    // T-AB-1 prints GR3D_FREQ 0%: the load is known, and zero.
    assert_eq!(taken.sample.gpu.load_per_mille, Some(0));
    agree(&taken, "agx-orin-r36 without the GPU load file");
    let nano = Options { remove: vec!["sys/devices/gpu.0/load"], ..Options::default() };
    let taken = samples::take("nano-r32", &nano);
    // The tree's sysfs load reads 100 %; T-WA-3 prints GR3D_FREQ 0%@76.
    assert_eq!(taken.sample.gpu.load_per_mille, Some(0));
    agree(&taken, "nano-r32 without the GPU load file");
}

#[test]
fn a_jetson_without_tegrastats_shows_sysfs_alone_everywhere() {
    let options = Options { no_tegrastats: true, ..Options::default() };
    let taken = samples::take("agx-orin-r36", &options);
    assert!(taken.sample.tegra.is_none());
    assert_eq!(taken.sample.gpu.load_per_mille, Some(0), "sysfs load");
    agree(&taken, "agx-orin-r36 without tegrastats");
    let taken = samples::take("nano-r32", &options);
    agree(&taken, "nano-r32 without tegrastats");
    // Neither source: no surface shows a GPU load.
    let neither = Options { remove: vec!["sys/devices/gpu.0/load"], no_tegrastats: true };
    let taken = samples::take("nano-r32", &neither);
    assert_eq!(taken.sample.gpu.load_per_mille, None);
    agree(&taken, "nano-r32 without either GPU load");
}
