//! Seed 003's two reports, `POST /heartbeat` and `POST /resource`, with
//! its field names, types and units: one definition, written by the agent
//! (`edgestat run --agent`) and read by the manager (`edgestat-fleet`).
//!
//! ```json
//! {"api_version":1,"data":{"client_id":"4b0e…","box_id":0,"slot_id":0,…,"gpu":[{"index":0,"name":"…"}]}}
//! ```
//! A value the node cannot measure is `null`, never 0. Besides the seed's
//! fields, both reports carry `client_id`, the node's identity (32
//! lower-case hex characters, `null` where the agent has none); the
//! resource report may carry `throttled` (a Raspberry Pi's `get_throttled`,
//! now).
//!
//! With the `receive` feature, [`heartbeat`] and [`resource`] read a body
//! and check it whole: every field's type (serde, with the path of the
//! field at fault), every length and range. A body that fails is refused
//! whole.

use edgestat_core::fleet::API_VERSION;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Largest report body, bytes (a resource report with 64 disks and 64
/// containers is about 40 KiB).
pub const MAX_BODY: usize = 256 * 1024;

/// Longest string field, characters.
pub const MAX_TEXT: usize = 256;

/// Most entries in any list (GPUs, interfaces, disks, components).
pub const MAX_ITEMS: usize = 256;

/// `{"api_version":1,"data":…}`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Envelope<T> {
    /// [`API_VERSION`].
    pub api_version: u32,
    /// The report.
    pub data: T,
}

impl<T> Envelope<T> {
    /// `data` in an envelope of this [`API_VERSION`].
    pub fn new(data: T) -> Self {
        Envelope { api_version: API_VERSION, data }
    }
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
    /// The node's identity (32 hex digits); empty where the agent has none
    /// (`null` on the wire).
    #[serde(serialize_with = "empty_as_null", deserialize_with = "null_as_empty")]
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

/// `POST /resource`'s data. `C` is a running container as the agent
/// writes it, or as the manager keeps it (any JSON object).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Resource<C> {
    /// The node's identity, as in [`Heartbeat::client_id`].
    #[serde(serialize_with = "empty_as_null", deserialize_with = "null_as_empty")]
    pub client_id: String,
    /// The node's address.
    pub host_ip: String,
    /// What was measured.
    pub resource: Usage,
    /// Running containers (bounded in count and size when received).
    pub component: Vec<C>,
    /// Throttled now (a Pi's `get_throttled`); null where unknown.
    #[serde(default)]
    pub throttled: Option<bool>,
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

/// `""` is written as `null`: an agent without an id says so.
fn empty_as_null<S: Serializer>(id: &str, serializer: S) -> Result<S::Ok, S::Error> {
    if id.is_empty() { serializer.serialize_none() } else { serializer.serialize_str(id) }
}

/// `null` is read as `""`, which no check accepts as an id.
fn null_as_empty<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(feature = "receive")]
mod receive;
#[cfg(feature = "receive")]
pub use receive::{heartbeat, resource};
