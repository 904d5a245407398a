//! Seed 003's two reports, `/heartbeat` and `/resource`, as the agent sends
//! them: the shared types of `edgestat_common::report`, filled from the
//! board, the sample and what the operator configured. A value the board
//! cannot measure is `null`, never 0.

use edgestat_common::report::{
    Cpu, Disk, Envelope, GpuName, GpuUse, Heartbeat, Interface, Memory, Resource, Usage,
};
use edgestat_core::fleet::ClientId;

use crate::model::{Board, Rail, Sample};

/// What the operator configured about this node (`--agent-*`); an empty
/// type or a missing id is filled from the board.
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
    /// The port `POST /deploy` is served on.
    pub service_port: u16,
    /// Chassis type.
    pub box_type: String,
    /// Board type; empty: `GPU` when the board has one, else `CPU`.
    pub board_type: String,
    /// CPU type; empty: the board's.
    pub cpu_type: String,
    /// Resource type.
    pub resource_type: String,
    /// The node's id; `None`: the board's machine id.
    pub client_id: Option<ClientId>,
}

impl Identity {
    fn client_id(&self, board: &Board) -> String {
        self.client_id
            .as_ref()
            .or(board.machine_id.as_ref())
            .map_or_else(String::new, |id| id.as_str().to_owned())
    }
}

/// The `/heartbeat` body, with `host_ip` the address the manager is
/// reached from.
pub fn heartbeat(id: &Identity, board: &Board, host_ip: &str) -> Envelope<Heartbeat> {
    let or = |configured: &str, detected: &str| {
        if configured.is_empty() { detected.to_owned() } else { configured.to_owned() }
    };
    let board_type = if board.gpus.is_empty() { "CPU" } else { "GPU" };
    Envelope::new(Heartbeat {
        client_id: id.client_id(board),
        box_id: id.box_id.into(),
        slot_id: id.slot_id.into(),
        cpu_id: id.cpu_id.into(),
        srio_id: id.srio_id.into(),
        host_ip: host_ip.to_owned(),
        hostname: board.hostname.clone(),
        service_port: id.service_port,
        box_type: id.box_type.clone(),
        board_type: or(&id.board_type, board_type),
        cpu_type: or(&id.cpu_type, &board.cpu),
        os_type: board.os.clone(),
        resource_type: id.resource_type.clone(),
        cpu_arch: board.arch.to_owned(),
        gpu: gpu_names(board).map(|(index, name)| GpuName { index, name: name.clone() }).collect(),
    })
}

fn gpu_names(board: &Board) -> impl Iterator<Item = (u32, &String)> {
    (0u32..).zip(&board.gpus)
}

/// A rail's voltage (V), current (A) and power (W).
fn electrical(rail: Option<&Rail>) -> (Option<f64>, Option<f64>, Option<f64>) {
    let Some(r) = rail else { return (None, None, None) };
    let milli = |v: Option<i32>| v.map(|v| f64::from(v) / 1000.0);
    (milli(r.millivolts), milli(r.milliamps), Some(f64::from(r.power_mw) / 1000.0))
}

/// `part` in `whole`, percent with two decimals; `None` for an empty whole.
fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 10_000.0 / whole as f64).round() / 100.0)
}

/// The `/resource` body, with the running containers as `components`.
pub fn resource<C>(
    id: &Identity,
    s: &Sample,
    host_ip: &str,
    components: Vec<C>,
) -> Envelope<Resource<C>> {
    let celsius = |role: &str| s.temperature(&[role]).map(|m| f64::from(m) / 1000.0);
    let load = |pick: fn(&edgestat_core::linux::LoadAvg) -> u32| {
        s.load.as_ref().map(|l| f64::from(pick(l)) / 100.0)
    };
    let (voltage, current, power) = electrical(s.rail_of("CPU"));
    let cpu = Cpu {
        usage_percent: s.cpu.total_per_mille.map(|pm| f64::from(pm) / 10.0),
        load_avg_1m: load(|l| l.load1_centi),
        load_avg_5m: load(|l| l.load5_centi),
        load_avg_15m: load(|l| l.load15_centi),
        core_count: u32::try_from(s.cpu.cores.len()).unwrap_or(u32::MAX),
        core_allocated: None,
        temperature: celsius("cpu"),
        voltage,
        current,
        power,
    };
    let memory = s.memory.ram.map(|ram| {
        let (total, used) = (ram.total_kb * 1024, ram.used_kb * 1024);
        Memory { total, used, free: ram.available_kb() * 1024, usage_percent: percent(used, total) }
    });
    let network = s
        .network
        .interfaces
        .iter()
        .map(|i| Interface {
            interface: i.name().to_owned(),
            rx_bytes: i.counters.rx_bytes,
            tx_bytes: i.counters.tx_bytes,
            rx_packets: i.counters.rx_packets,
            tx_packets: i.counters.tx_packets,
            rx_errors: i.counters.rx_errs,
            tx_errors: i.counters.tx_errs,
        })
        .collect();
    let disk = s
        .filesystems
        .iter()
        .map(|f| Disk {
            device: f.device.to_string(),
            mount_point: f.mount_point.to_string(),
            total: f.total,
            used: f.used,
            free: f.free,
            usage_percent: percent(f.used, f.used + f.free),
        })
        .collect();
    let (g_voltage, g_current, g_power) = electrical(s.rail_of("GPU"));
    let gpu = gpu_names(&s.board)
        .map(|(index, name)| {
            // The sample measures the integrated GPU: a Jetson's, index 0.
            // It has no memory of its own (it shares RAM).
            let integrated = s.board.is_jetson() && index == 0;
            GpuUse {
                index,
                name: name.clone(),
                compute_usage: s
                    .gpu
                    .load_per_mille
                    .filter(|_| integrated)
                    .map(|pm| f64::from(pm) / 10.0),
                mem_usage: None,
                mem_used: None,
                mem_total: None,
                temperature: celsius("gpu").filter(|_| integrated),
                voltage: g_voltage.filter(|_| integrated),
                current: g_current.filter(|_| integrated),
                power: g_power.filter(|_| integrated),
            }
        })
        .collect();
    Envelope::new(Resource {
        client_id: id.client_id(&s.board),
        host_ip: host_ip.to_owned(),
        resource: Usage { cpu, memory, network, disk, gpu },
        component: components,
        throttled: s.throttling.any_now(),
    })
}
