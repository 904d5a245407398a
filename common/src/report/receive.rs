//! Reading and checking a report, on the manager's side.

use edgestat_core::fleet::{API_VERSION, ClientId};
use serde::Deserialize;

use super::{Envelope, Heartbeat, MAX_BODY, MAX_ITEMS, MAX_TEXT, Resource};

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
pub fn resource(body: &[u8]) -> Result<Resource<serde_json::Value>, String> {
    let r: Resource<serde_json::Value> = parse(body)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What an edgestat agent on the AGX Orin fixture sends.
    const ORIN: &str = include_str!("../../../fleet/tests/fixtures/orin-resource.json");
    const ORIN_HEARTBEAT: &str = include_str!("../../../fleet/tests/fixtures/orin-heartbeat.json");

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
