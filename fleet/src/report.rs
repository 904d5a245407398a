//! The two reports of seed 003 as the manager receives them, with every
//! field's type checked (serde) and every length and range bounded
//! ([`check`]). A body that fails either is refused whole: nothing of it
//! is stored.
//!
//! Besides the seed's fields, both reports carry `client_id`, the node's
//! identity (32 lower-case hex characters); the resource report may carry
//! `throttled` (a Raspberry Pi's `get_throttled`, now).

use edgestat_core::fleet::{API_VERSION, ClientId};
use serde::{Deserialize, Serialize};

/// Largest report body, bytes (a resource report with 64 disks and 64
/// containers is about 40 KiB).
pub const MAX_BODY: usize = 256 * 1024;

/// Longest string field, characters.
pub const MAX_TEXT: usize = 256;

/// Most entries in any list (GPUs, interfaces, disks, components).
pub const MAX_ITEMS: usize = 256;

/// `{"api_version":1,"data":…}`.
#[derive(Debug, Deserialize)]
struct Envelope<T> {
    api_version: u32,
    data: T,
}

/// A GPU as the heartbeat names it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct GpuName {
    /// Device index.
    pub index: u32,
    /// Device name.
    pub name: String,
}

/// `POST /heartbeat`'s data.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Heartbeat {
    /// The node's identity.
    pub client_id: String,
    /// Chassis number.
    pub box_id: i64,
    /// Slot number.
    pub slot_id: i64,
    /// CPU number.
    pub cpu_id: i64,
    /// SRIO number.
    pub srio_id: i64,
    /// The node's address.
    pub host_ip: String,
    /// Host name.
    pub hostname: String,
    /// The node's `/deploy` port.
    pub service_port: u16,
    /// Chassis type.
    pub box_type: String,
    /// Board type.
    pub board_type: String,
    /// CPU type.
    pub cpu_type: String,
    /// Operating system.
    pub os_type: String,
    /// Resource type.
    pub resource_type: String,
    /// CPU architecture.
    pub cpu_arch: String,
    /// GPUs.
    pub gpu: Vec<GpuName>,
}

/// The resource report's CPU.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Cpu {
    /// Usage, percent.
    pub usage_percent: Option<f64>,
    /// Load averages.
    pub load_avg_1m: Option<f64>,
    /// Load averages.
    pub load_avg_5m: Option<f64>,
    /// Load averages.
    pub load_avg_15m: Option<f64>,
    /// Cores.
    pub core_count: u32,
    /// Cores allocated to deployed components.
    pub core_allocated: Option<u32>,
    /// °C.
    pub temperature: Option<f64>,
    /// V.
    pub voltage: Option<f64>,
    /// A.
    pub current: Option<f64>,
    /// W.
    pub power: Option<f64>,
}

/// The resource report's memory, bytes.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Memory {
    /// Total.
    pub total: u64,
    /// Used.
    pub used: u64,
    /// Free.
    pub free: u64,
    /// Used, percent.
    pub usage_percent: Option<f64>,
}

/// One interface's counters since boot.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Interface {
    /// Name.
    pub interface: String,
    /// Bytes received.
    pub rx_bytes: u64,
    /// Bytes sent.
    pub tx_bytes: u64,
    /// Packets received.
    pub rx_packets: u64,
    /// Packets sent.
    pub tx_packets: u64,
    /// Receive errors.
    pub rx_errors: u64,
    /// Send errors.
    pub tx_errors: u64,
}

/// One mount's usage, bytes.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Disk {
    /// Device.
    pub device: String,
    /// Mount point.
    pub mount_point: String,
    /// Total.
    pub total: u64,
    /// Used.
    pub used: u64,
    /// Free.
    pub free: u64,
    /// Used, percent.
    pub usage_percent: Option<f64>,
}

/// One GPU's usage.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct GpuUse {
    /// Device index.
    pub index: u32,
    /// Device name.
    pub name: String,
    /// Compute usage, percent.
    pub compute_usage: Option<f64>,
    /// Memory usage, percent.
    pub mem_usage: Option<f64>,
    /// Memory used, bytes.
    pub mem_used: Option<u64>,
    /// Memory, bytes.
    pub mem_total: Option<u64>,
    /// °C.
    pub temperature: Option<f64>,
    /// V.
    pub voltage: Option<f64>,
    /// A.
    pub current: Option<f64>,
    /// W.
    pub power: Option<f64>,
}

/// The measured part of a resource report.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Usage {
    /// CPU.
    pub cpu: Cpu,
    /// Memory (null when unreadable).
    pub memory: Option<Memory>,
    /// Interfaces.
    pub network: Vec<Interface>,
    /// Mounts.
    pub disk: Vec<Disk>,
    /// GPUs.
    pub gpu: Vec<GpuUse>,
}

/// `POST /resource`'s data.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Resource {
    /// The node's identity.
    pub client_id: String,
    /// The node's address.
    pub host_ip: String,
    /// What was measured.
    pub resource: Usage,
    /// Running containers, kept as sent (bounded in count and size).
    pub component: Vec<serde_json::Value>,
    /// Throttled now (a Pi's `get_throttled`); null where unknown.
    #[serde(default)]
    pub throttled: Option<bool>,
}

/// Parses a `/heartbeat` body.
pub fn heartbeat(body: &[u8]) -> Result<Heartbeat, String> {
    let hb: Heartbeat = parse(body)?;
    let client_id = check_id(&hb.client_id)?;
    check_ip(&hb.host_ip)?;
    for (name, value) in [
        ("hostname", &hb.hostname),
        ("box_type", &hb.box_type),
        ("board_type", &hb.board_type),
        ("cpu_type", &hb.cpu_type),
        ("os_type", &hb.os_type),
        ("resource_type", &hb.resource_type),
        ("cpu_arch", &hb.cpu_arch),
    ] {
        check_text(name, value)?;
    }
    check_items("gpu", hb.gpu.len())?;
    hb.gpu.iter().try_for_each(|g| check_text("gpu[].name", &g.name))?;
    Ok(Heartbeat { client_id, ..hb })
}

/// Parses a `/resource` body.
pub fn resource(body: &[u8]) -> Result<Resource, String> {
    let r: Resource = parse(body)?;
    let client_id = check_id(&r.client_id)?;
    check_ip(&r.host_ip)?;
    let u = &r.resource;
    check_items("network", u.network.len())?;
    check_items("disk", u.disk.len())?;
    check_items("gpu", u.gpu.len())?;
    check_items("component", r.component.len())?;
    check_percent("cpu.usage_percent", u.cpu.usage_percent)?;
    check_percent("memory.usage_percent", u.memory.as_ref().and_then(|m| m.usage_percent))?;
    for n in &u.network {
        check_text("network[].interface", &n.interface)?;
    }
    for d in &u.disk {
        check_text("disk[].device", &d.device)?;
        check_text("disk[].mount_point", &d.mount_point)?;
        check_percent("disk[].usage_percent", d.usage_percent)?;
    }
    for g in &u.gpu {
        check_text("gpu[].name", &g.name)?;
        check_percent("gpu[].compute_usage", g.compute_usage)?;
        check_percent("gpu[].mem_usage", g.mem_usage)?;
    }
    for c in &r.component {
        if !c.is_object() || c.to_string().len() > 4 * MAX_TEXT {
            return Err(format!("component[] must be objects of at most {} bytes", 4 * MAX_TEXT));
        }
    }
    Ok(Resource { client_id, ..r })
}

fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, String> {
    if body.len() > MAX_BODY {
        return Err(format!("body over {MAX_BODY} bytes"));
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let envelope: Envelope<T> = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        // `data.resource.cpu.core_count: invalid type: string "twelve", …`
        format!("invalid report: {}: {}", e.path(), e.inner())
    })?;
    de.end().map_err(|e| format!("invalid report: {e}"))?;
    if envelope.api_version != API_VERSION {
        return Err(format!("api_version {} is not {API_VERSION}", envelope.api_version));
    }
    Ok(envelope.data)
}

/// The id in lower case, if it is one (32 hex characters: a 16-byte id,
/// as seed 002 says).
fn check_id(id: &str) -> Result<String, String> {
    ClientId::parse(id)
        .map(|id| id.as_str().to_owned())
        .ok_or_else(|| "client_id must be 32 hexadecimal characters".into())
}

/// `host_ip`: an address, or empty where the agent could not tell.
fn check_ip(ip: &str) -> Result<(), String> {
    if ip.is_empty() || ip.parse::<std::net::IpAddr>().is_ok() {
        Ok(())
    } else {
        Err("host_ip must be an IP address (or empty)".into())
    }
}

fn check_text(name: &str, value: &str) -> Result<(), String> {
    if value.chars().count() > MAX_TEXT {
        return Err(format!("{name} is longer than {MAX_TEXT} characters"));
    }
    if value.chars().any(char::is_control) {
        return Err(format!("{name} contains a control character"));
    }
    Ok(())
}

fn check_items(name: &str, n: usize) -> Result<(), String> {
    if n > MAX_ITEMS {
        return Err(format!("{name} has more than {MAX_ITEMS} entries"));
    }
    Ok(())
}

fn check_percent(name: &str, value: Option<f64>) -> Result<(), String> {
    match value {
        Some(v) if !(0.0..=100.0).contains(&v) => {
            Err(format!("{name} {v} is not a percentage (0-100)"))
        }
        _ => Ok(()),
    }
}

impl Usage {
    /// Disk usage over every mount, percent (null with no mounts).
    pub fn disk_percent(&self) -> Option<f64> {
        let (used, size) = self.disk.iter().fold((0u64, 0u64), |(u, s), d| {
            (u.saturating_add(d.used), s.saturating_add(d.used.saturating_add(d.free)))
        });
        (size > 0).then(|| used as f64 * 100.0 / size as f64)
    }

    /// The interfaces whose bytes are traffic: every one but `lo`.
    pub fn counted_interfaces(&self) -> impl Iterator<Item = &Interface> {
        self.network.iter().filter(|n| n.interface != "lo")
    }

    /// The hottest CPU or GPU reading, °C.
    pub fn max_temperature(&self) -> Option<f64> {
        self.gpu.iter().filter_map(|g| g.temperature).chain(self.cpu.temperature).reduce(f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What an edgestat agent on the AGX Orin fixture sends.
    const ORIN: &str = include_str!("../tests/fixtures/orin-resource.json");
    const ORIN_HEARTBEAT: &str = include_str!("../tests/fixtures/orin-heartbeat.json");

    #[test]
    fn a_report_reads_whole_and_every_cut_of_it_is_refused() {
        let upper =
            ORIN.replace("4b0e5a1d8c6f4e2a9d7b3c1f0e8a6d42", "4B0E5A1D8C6F4E2A9D7B3C1F0E8A6D42");
        let r = resource(upper.as_bytes()).unwrap();
        assert_eq!(r.client_id, "4b0e5a1d8c6f4e2a9d7b3c1f0e8a6d42", "ids are lower-cased");
        let counted: Vec<_> = r
            .resource
            .counted_interfaces()
            .map(|n| (n.interface.as_str(), n.rx_bytes, n.tx_bytes))
            .collect();
        assert_eq!(counted, [("eth0", 2_310_544_821, 98_441_207)], "lo is not traffic");
        // 26 328 555 520 used of 26 328 555 520 + 33 124 782 080.
        let disk = r.resource.disk_percent().unwrap();
        assert!((disk - 44.2844).abs() < 1e-4, "{disk}");
        assert_eq!(r.throttled, None);
        assert_eq!(r.resource.max_temperature(), Some(44.388));
        assert_eq!(heartbeat(ORIN_HEARTBEAT.as_bytes()).unwrap().hostname, "orin-devkit");
        for cut in 0..ORIN.trim_end().len() {
            assert!(resource(&ORIN.as_bytes()[..cut]).is_err(), "{cut}");
        }
        // Any byte flipped: refused or read, never a panic.
        for i in 0..ORIN.len() {
            let mut bytes = ORIN.as_bytes().to_vec();
            bytes[i] ^= 0x55;
            let _ = resource(&bytes);
            let _ = heartbeat(&bytes);
        }
        let e = resource(ORIN.replace("\"core_count\": 12", "\"core_count\": -1").as_bytes())
            .unwrap_err();
        assert!(e.contains("data.resource.cpu.core_count"), "{e}");
        let e = resource(format!("{ORIN} trailing").as_bytes()).unwrap_err();
        assert!(e.contains("trailing"), "{e}");
        // NUL and other control characters are no name (PostgreSQL
        // would refuse the row later, when the request has been answered).
        let e = heartbeat(ORIN_HEARTBEAT.replace("orin-devkit", "orin\\u0000devkit").as_bytes())
            .unwrap_err();
        assert!(e.contains("hostname contains a control character"), "{e}");
        let e = resource(ORIN.replace("\"eth0\"", "\"eth0\\n\"").as_bytes()).unwrap_err();
        assert!(e.contains("network[].interface"), "{e}");
        let e = resource(ORIN.replace("127.0.0.1", "my-host").as_bytes()).unwrap_err();
        assert!(e.contains("host_ip must be an IP address"), "{e}");
        assert!(heartbeat(ORIN_HEARTBEAT.replace("127.0.0.1", "").as_bytes()).is_ok());
    }
}
