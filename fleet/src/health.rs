//! What the API says about a client, computed from its latest reports at
//! read time: online or not, usage, devices, TFLOPS and the health score.
//! The definitions are written down in docs/fleet.md.

use crate::report::{Heartbeat, Resource};
use crate::store::ClientRow;

/// Reports younger than this cost no health, ms.
pub const FRESH_MS: i64 = 30_000;

/// Health lost for a report as old as the online window.
pub const STALE_PENALTY: f64 = 20.0;

/// Above this temperature (°C) health drops, 2 points per degree...
pub const HOT_CELSIUS: f64 = 70.0;

/// ...up to this many points.
pub const HOT_MAX_PENALTY: f64 = 40.0;

/// Health lost while the board throttles.
pub const THROTTLE_PENALTY: f64 = 20.0;

/// Usage above this percent costs health.
pub const BUSY_PERCENT: f64 = 90.0;

/// The rules the views are computed with.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// A node is online with a report younger than this, ms.
    pub online_window_ms: i64,
    /// TFLOPS by device name: a GPU whose name contains the key
    /// (case-insensitively) has that many.
    pub tflops: Vec<(String, f64)>,
}

/// One GPU as `client_device_detail` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Device {
    /// Index.
    pub index: u32,
    /// Name.
    pub name: String,
    /// °C.
    pub temp: Option<f64>,
    /// Compute usage, percent.
    pub usage: Option<f64>,
    /// Memory usage, percent.
    pub mem_usage: Option<f64>,
    /// W.
    pub power: Option<f64>,
}

/// A client as the API shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// `online`/`offline`, or the `maintenance`/`error` a user set.
    pub status: String,
    /// A report within the online window.
    pub online: bool,
    /// Percent.
    pub cpu_usage: Option<f64>,
    /// Percent.
    pub memory_usage: Option<f64>,
    /// Percent, over every mount.
    pub storage_usage: Option<f64>,
    /// The first GPU's name, else the CPU type.
    pub device_name: Option<String>,
    /// Sum over the GPUs; null when any is unknown or there is none.
    pub tflops: Option<f64>,
    /// 0-100.
    pub health: u8,
    /// Whole days of the current online stretch (0 offline).
    pub uptime_days: i64,
    /// GPU memory in MB (a Jetson's iGPU shares RAM: then RAM).
    pub device_memsize: Option<u64>,
    /// GPUs.
    pub devices: Vec<Device>,
}

/// Whether a node that last reported at `last_seen` is online at `now`.
pub fn is_online(last_seen: Option<i64>, now: i64, window_ms: i64) -> bool {
    last_seen.is_some_and(|seen| now - seen <= window_ms)
}

/// TFLOPS of one device name, from the table.
pub fn tflops_of(table: &[(String, f64)], name: &str) -> Option<f64> {
    let name = name.to_lowercase();
    table.iter().find(|(key, _)| name.contains(&key.to_lowercase())).map(|&(_, t)| t)
}

/// The health score (0-100) of an online node: 100, less the staleness of
/// its last report, heat, throttling and saturation. Offline is 0.
pub fn score(online: bool, age_ms: i64, window_ms: i64, r: Option<&Resource>) -> u8 {
    if !online {
        return 0;
    }
    let mut score = 100.0;
    if age_ms > FRESH_MS && window_ms > FRESH_MS {
        score -=
            STALE_PENALTY * ((age_ms - FRESH_MS) as f64 / (window_ms - FRESH_MS) as f64).min(1.0);
    }
    if let Some(r) = r {
        let u = &r.resource;
        if let Some(t) = u.max_temperature() {
            score -= ((t - HOT_CELSIUS) * 2.0).clamp(0.0, HOT_MAX_PENALTY);
        }
        if r.throttled == Some(true) {
            score -= THROTTLE_PENALTY;
        }
        let busy = |v: Option<f64>, cost: f64| {
            if v.is_some_and(|v| v > BUSY_PERCENT) { cost } else { 0.0 }
        };
        score -= busy(u.cpu.usage_percent, 10.0);
        score -= busy(u.memory.as_ref().and_then(|m| m.usage_percent), 15.0);
        score -= busy(u.disk_percent(), 15.0);
    }
    score.clamp(0.0, 100.0).round() as u8
}

/// Computes the view of `c` at `now`.
pub fn view(c: &ClientRow, now: i64, rules: &Rules) -> View {
    let identity: Option<Heartbeat> =
        c.identity.as_deref().and_then(|j| serde_json::from_str(j).ok());
    let resource: Option<Resource> =
        c.resource.as_deref().and_then(|j| serde_json::from_str(j).ok());
    let online = is_online(c.last_seen, now, rules.online_window_ms);
    let status = match c.client_status.as_str() {
        s @ ("maintenance" | "error") => s.to_owned(),
        _ if online => "online".to_owned(),
        _ => "offline".to_owned(),
    };
    let usage = resource.as_ref().map(|r| &r.resource);
    let devices: Vec<Device> = usage
        .map(|u| {
            u.gpu
                .iter()
                .map(|g| Device {
                    index: g.index,
                    name: g.name.clone(),
                    temp: g.temperature,
                    usage: g.compute_usage,
                    mem_usage: g.mem_usage,
                    power: g.power,
                })
                .collect()
        })
        .unwrap_or_default();
    let gpu_names: Vec<&str> = match &identity {
        Some(h) if !h.gpu.is_empty() => h.gpu.iter().map(|g| g.name.as_str()).collect(),
        _ => devices.iter().map(|d| d.name.as_str()).collect(),
    };
    let tflops = if gpu_names.is_empty() {
        None
    } else {
        gpu_names.iter().map(|n| tflops_of(&rules.tflops, n)).sum::<Option<f64>>()
    };
    let device_name = gpu_names
        .first()
        .map(|n| (*n).to_owned())
        .or_else(|| identity.as_ref().map(|h| h.cpu_type.clone()).filter(|t| !t.is_empty()));
    let gpu_mem: Option<u64> = usage
        .and_then(|u| {
            u.gpu.iter().try_fold(0u64, |sum, g| g.mem_total.map(|m| sum.saturating_add(m)))
        })
        .filter(|&b| b > 0);
    let device_memsize = gpu_mem
        .or_else(|| usage.and_then(|u| u.memory.as_ref().map(|m| m.total)))
        .map(|b| b / (1024 * 1024));
    let age = c.last_seen.map_or(i64::MAX, |seen| now - seen);
    View {
        status,
        online,
        cpu_usage: usage.and_then(|u| u.cpu.usage_percent),
        memory_usage: usage.and_then(|u| u.memory.as_ref().and_then(|m| m.usage_percent)),
        storage_usage: usage.and_then(crate::report::Usage::disk_percent),
        device_name,
        tflops,
        health: score(online, age, rules.online_window_ms, resource.as_ref()),
        uptime_days: match (online, c.online_since) {
            (true, Some(since)) => (now - since) / edgestat_common::time::DAY_MS,
            _ => 0,
        },
        device_memsize,
        devices,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: i64 = 120_000;

    fn resource(cpu: f64, temp: f64, throttled: Option<bool>) -> Resource {
        let body = serde_json::json!({"api_version": 1, "data": {
            "client_id": "4b0e5a1d8c6f4e2a9d7b3c1f0e8a6d42", "host_ip": "10.0.0.2",
            "resource": {"cpu": {"usage_percent": cpu, "load_avg_1m": null, "load_avg_5m": null, "load_avg_15m": null,
                                 "core_count": 4, "core_allocated": null, "temperature": temp, "voltage": null,
                                 "current": null, "power": null},
                         "memory": null, "network": [], "disk": [], "gpu": []},
            "component": [], "throttled": throttled}});
        crate::report::resource(body.to_string().as_bytes()).unwrap()
    }

    #[test]
    fn health_falls_with_staleness_heat_throttling_and_load() {
        let cool = resource(10.0, 45.0, None);
        assert_eq!(score(true, 1_000, WINDOW, Some(&cool)), 100);
        assert_eq!(score(false, 1_000, WINDOW, Some(&cool)), 0, "offline is 0");
        // Halfway from fresh (30 s) to the window's end (120 s): half of 20.
        assert_eq!(score(true, 75_000, WINDOW, Some(&cool)), 90);
        assert_eq!(score(true, WINDOW, WINDOW, Some(&cool)), 80);
        // 80 C is 10 over 70: 20 points; 100 C is capped at 40.
        assert_eq!(score(true, 1_000, WINDOW, Some(&resource(10.0, 80.0, None))), 80);
        assert_eq!(score(true, 1_000, WINDOW, Some(&resource(10.0, 100.0, None))), 60);
        assert_eq!(score(true, 1_000, WINDOW, Some(&resource(10.0, 45.0, Some(true)))), 80);
        assert_eq!(score(true, 1_000, WINDOW, Some(&resource(95.0, 45.0, Some(false)))), 90);
        // Everything at once: 100 - 20 stale - 40 hot - 20 throttled - 10 busy.
        assert_eq!(score(true, WINDOW, WINDOW, Some(&resource(95.0, 100.0, Some(true)))), 10);
    }

    #[test]
    fn tflops_match_by_name_and_stay_null_when_unknown() {
        let table = vec![("AGX Orin".to_owned(), 5.3), ("nano".to_owned(), 0.472)];
        assert_eq!(tflops_of(&table, "NVIDIA Jetson AGX Orin Developer Kit iGPU"), Some(5.3));
        assert_eq!(tflops_of(&table, "NVIDIA Jetson Nano Developer Kit iGPU"), Some(0.472));
        assert_eq!(tflops_of(&table, "NVIDIA RTX A2000"), None);
        assert!(is_online(Some(0), WINDOW, WINDOW));
        assert!(!is_online(Some(0), WINDOW + 1, WINDOW));
        assert!(!is_online(None, 0, WINDOW));
    }
}
