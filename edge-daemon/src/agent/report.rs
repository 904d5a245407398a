//! The two reports of seed 003, with its field names, types and units,
//! filled from the shared sample. A value the board cannot measure is
//! `null`, never 0.

use serde::Serialize;

use edgestat_core::fleet::ClientId;
use edgestat_core::sysfs::{ChannelKind, Ina3221Channel};

use crate::sampler::Snapshot;

/// Who this node is: configured ids and types, and what was detected at
/// start (hostname, CPU, OS, GPUs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// Chassis number.
    pub box_id: u32,
    /// Slot number.
    pub slot_id: u32,
    /// CPU number.
    pub cpu_id: u32,
    /// SRIO number.
    pub srio_id: u32,
    /// The host name.
    pub hostname: String,
    /// The port `POST /deploy` is served on.
    pub service_port: u16,
    /// Chassis type (configured).
    pub box_type: String,
    /// Board type (configured; default from the platform).
    pub board_type: String,
    /// CPU type, e.g. `ARM Cortex-A78AE/12`.
    pub cpu_type: String,
    /// The OS's `PRETTY_NAME`.
    pub os_type: String,
    /// Resource type (configured).
    pub resource_type: String,
    /// `aarch64`, `arm`, `x86_64`.
    pub cpu_arch: &'static str,
    /// GPU names, by index.
    pub gpus: Vec<String>,
    /// The node's identity for a fleet manager (configured, else
    /// `/etc/machine-id`); `None` when unknown.
    pub client_id: Option<ClientId>,
}

#[derive(Serialize)]
struct Envelope<T> {
    api_version: u32,
    data: T,
}

#[derive(Serialize)]
struct Gpu<'a> {
    index: usize,
    name: &'a str,
}

/// The `/heartbeat` body, with `host_ip` the address the manager is
/// reached from.
pub fn heartbeat(id: &Identity, host_ip: &str) -> impl Serialize {
    #[derive(Serialize)]
    struct Heartbeat<'a> {
        client_id: Option<&'a str>,
        box_id: u32,
        slot_id: u32,
        cpu_id: u32,
        srio_id: u32,
        host_ip: String,
        hostname: &'a str,
        service_port: u16,
        box_type: &'a str,
        board_type: &'a str,
        cpu_type: &'a str,
        os_type: &'a str,
        resource_type: &'a str,
        cpu_arch: &'a str,
        gpu: Vec<Gpu<'a>>,
    }
    Envelope {
        api_version: 1,
        data: Heartbeat {
            client_id: id.client_id.as_ref().map(ClientId::as_str),
            box_id: id.box_id,
            slot_id: id.slot_id,
            cpu_id: id.cpu_id,
            srio_id: id.srio_id,
            host_ip: host_ip.to_owned(),
            hostname: &id.hostname,
            service_port: id.service_port,
            box_type: &id.box_type,
            board_type: &id.board_type,
            cpu_type: &id.cpu_type,
            os_type: &id.os_type,
            resource_type: &id.resource_type,
            cpu_arch: id.cpu_arch,
            gpu: id.gpus.iter().enumerate().map(|(index, name)| Gpu { index, name }).collect(),
        },
    }
}

/// Voltage (V), current (A) and power (W) of the first INA3221 rail whose
/// label names `part` (`CPU`, `GPU`).
fn rail(s: &Snapshot, part: &str) -> (Option<f64>, Option<f64>, Option<f64>) {
    let found: Option<&Ina3221Channel> = s
        .ina3221
        .iter()
        .flat_map(|d| d.channels.iter())
        .filter(|c| c.kind == ChannelKind::Rail)
        .find(|c| c.label.as_ref().is_some_and(|l| l.contains(part)));
    let Some(c) = found else { return (None, None, None) };
    let milli = |v: Option<i32>| v.map(|v| f64::from(v) / 1000.0);
    (milli(c.millivolts), milli(c.milliamps), milli(c.milliwatts))
}

fn celsius(s: &Snapshot, role: &str) -> Option<f64> {
    let t = s.temperatures.iter().find(|t| t.name == role)?;
    t.milli_celsius.map(|m| f64::from(m) / 1000.0)
}

fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 10_000.0 / whole as f64).round() / 100.0)
}

/// The `/resource` body.
pub fn resource<'a>(
    id: &'a Identity,
    s: &'a Snapshot,
    host_ip: &str,
    components: &'a [super::docker::Component],
) -> impl Serialize + 'a {
    #[derive(Serialize)]
    struct Cpu {
        usage_percent: Option<f64>,
        load_avg_1m: Option<f64>,
        load_avg_5m: Option<f64>,
        load_avg_15m: Option<f64>,
        core_count: usize,
        core_allocated: Option<u32>,
        temperature: Option<f64>,
        voltage: Option<f64>,
        current: Option<f64>,
        power: Option<f64>,
    }
    #[derive(Serialize)]
    struct Memory {
        total: u64,
        used: u64,
        free: u64,
        usage_percent: Option<f64>,
    }
    #[derive(Serialize)]
    struct Network<'a> {
        interface: &'a str,
        rx_bytes: u64,
        tx_bytes: u64,
        rx_packets: u64,
        tx_packets: u64,
        rx_errors: u64,
        tx_errors: u64,
    }
    #[derive(Serialize)]
    struct Disk<'a> {
        device: &'a str,
        mount_point: &'a str,
        total: u64,
        used: u64,
        free: u64,
        usage_percent: Option<f64>,
    }
    #[derive(Serialize)]
    struct GpuUse<'a> {
        index: usize,
        name: &'a str,
        compute_usage: Option<f64>,
        mem_usage: Option<f64>,
        mem_used: Option<u64>,
        mem_total: Option<u64>,
        temperature: Option<f64>,
        voltage: Option<f64>,
        current: Option<f64>,
        power: Option<f64>,
    }
    #[derive(Serialize)]
    struct Resource<'a> {
        cpu: Cpu,
        memory: Option<Memory>,
        network: Vec<Network<'a>>,
        disk: Vec<Disk<'a>>,
        gpu: Vec<GpuUse<'a>>,
    }
    #[derive(Serialize)]
    struct Data<'a> {
        client_id: Option<&'a str>,
        host_ip: String,
        resource: Resource<'a>,
        component: &'a [super::docker::Component],
        throttled: Option<bool>,
    }
    let load = |pick: fn(&edgestat_core::linux::LoadAvg) -> u32| {
        s.load.as_ref().map(|l| f64::from(pick(l)) / 100.0)
    };
    let (voltage, current, power) = rail(s, "CPU");
    let cpu = Cpu {
        usage_percent: s.cpu.total_per_mille.map(|pm| f64::from(pm) / 10.0),
        load_avg_1m: load(|l| l.load1_centi),
        load_avg_5m: load(|l| l.load5_centi),
        load_avg_15m: load(|l| l.load15_centi),
        core_count: s.cpu.cores.len(),
        core_allocated: None,
        temperature: celsius(s, "cpu"),
        voltage,
        current,
        power,
    };
    let memory = s.memory.and_then(|m| {
        let total = m.mem_total_kb? * 1024;
        let free = m.mem_available_kb? * 1024;
        let used = total.saturating_sub(free);
        Some(Memory { total, used, free, usage_percent: percent(used, total) })
    });
    let network = s
        .interfaces()
        .map(|(n, _)| Network {
            interface: &n.name,
            rx_bytes: n.rx_bytes,
            tx_bytes: n.tx_bytes,
            rx_packets: n.rx_packets,
            tx_packets: n.tx_packets,
            rx_errors: n.rx_errs,
            tx_errors: n.tx_errs,
        })
        .collect();
    let disk = s
        .filesystems
        .iter()
        .map(|f| Disk {
            device: &f.device,
            mount_point: &f.mount_point,
            total: f.total,
            used: f.used,
            free: f.free,
            usage_percent: percent(f.used, f.used + f.free),
        })
        .collect();
    let (g_voltage, g_current, g_power) = rail(s, "GPU");
    let gpu = id
        .gpus
        .iter()
        .enumerate()
        .map(|(index, name)| GpuUse {
            index,
            name,
            compute_usage: s.gpu_load.map(|l| f64::from(l.per_mille) / 10.0),
            // The Jetson iGPU has no memory of its own: it shares RAM.
            mem_usage: None,
            mem_used: None,
            mem_total: None,
            temperature: celsius(s, "gpu"),
            voltage: g_voltage,
            current: g_current,
            power: g_power,
        })
        .collect();
    Envelope {
        api_version: 1,
        data: Data {
            client_id: id.client_id.as_ref().map(ClientId::as_str),
            host_ip: host_ip.to_owned(),
            resource: Resource { cpu, memory, network, disk, gpu },
            component: components,
            // A Pi's get_throttled bits 0-3: throttling of some kind now.
            throttled: s.pi.as_ref().and_then(|p| p.throttled).map(|t| t.raw & 0xf != 0),
        },
    }
}
