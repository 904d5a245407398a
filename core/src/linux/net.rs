//! `/proc/net/dev`: per-interface network counters.

use heapless::Vec;
use serde::Serialize;

use crate::Name;

/// Interfaces in one `/proc/net/dev`.
///
/// A Jetson AGX Orin dev kit running Docker lists about 12 (`lo`, `eth0`,
/// `wlan0`, `can0`, `can1`, `l4tbr0`, `rndis0`, `usb0`, `usb1`, `dummy0`,
/// `docker0`, `veth…`); a Raspberry Pi lists 3 (`lo`, `eth0`, `wlan0`).
/// 32 leaves room for a dozen container `veth` pairs; more is an explicit
/// capacity error.
pub const MAX_INTERFACES: usize = 32;

/// One interface line: the kernel's 16 counters since the interface came up.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Interface {
    /// Interface name (at most 15 bytes: `IFNAMSIZ` - 1).
    pub name: Name,
    /// Bytes received.
    pub rx_bytes: u64,
    /// Packets received.
    pub rx_packets: u64,
    /// Receive errors.
    pub rx_errs: u64,
    /// Received packets dropped.
    pub rx_drop: u64,
    /// Receive FIFO overruns.
    pub rx_fifo: u64,
    /// Receive framing errors.
    pub rx_frame: u64,
    /// Compressed packets received.
    pub rx_compressed: u64,
    /// Multicast packets received.
    pub rx_multicast: u64,
    /// Bytes sent.
    pub tx_bytes: u64,
    /// Packets sent.
    pub tx_packets: u64,
    /// Transmit errors.
    pub tx_errs: u64,
    /// Packets dropped on transmit.
    pub tx_drop: u64,
    /// Transmit FIFO overruns.
    pub tx_fifo: u64,
    /// Collisions.
    pub tx_colls: u64,
    /// Carrier losses.
    pub tx_carrier: u64,
    /// Compressed packets sent.
    pub tx_compressed: u64,
}

/// One parsed `/proc/net/dev`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct NetDev {
    /// Interfaces in file order.
    pub interfaces: Vec<Interface, MAX_INTERFACES>,
}

impl NetDev {
    /// The interface called `name`, if listed.
    pub fn get(&self, name: &str) -> Option<&Interface> {
        self.interfaces.iter().find(|i| i.name == name)
    }
}

/// Socket counts of one `/proc/net/tcp` or `/proc/net/tcp6` table, by the
/// kernel's TCP state (`st` column: `01` established, `0A` listen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct TcpSockets {
    /// `ESTABLISHED` (state `01`): open connections.
    pub established: u32,
    /// `LISTEN` (state `0A`).
    pub listening: u32,
    /// Every socket in the table, in any state.
    pub total: u32,
}

impl TcpSockets {
    /// The counts of two tables together (IPv4 and IPv6).
    pub fn plus(self, other: TcpSockets) -> TcpSockets {
        TcpSockets {
            established: self.established.saturating_add(other.established),
            listening: self.listening.saturating_add(other.listening),
            total: self.total.saturating_add(other.total),
        }
    }
}

/// The `Tcp:` counters of `/proc/net/snmp` (RFC 1213's tcp group), over
/// IPv4 and IPv6 together. One short file, where walking `/proc/net/tcp`
/// costs milliseconds on a machine with a large socket table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct TcpStats {
    /// `CurrEstab`: connections now in ESTABLISHED or CLOSE-WAIT.
    pub curr_estab: u64,
    /// `ActiveOpens`: connections this host opened, since boot.
    pub active_opens: u64,
    /// `PassiveOpens`: connections this host accepted, since boot.
    pub passive_opens: u64,
    /// `AttemptFails`: failed connection attempts, since boot.
    pub attempt_fails: u64,
    /// `EstabResets`: established connections reset, since boot.
    pub estab_resets: u64,
    /// `InSegs`: segments received.
    pub in_segs: u64,
    /// `OutSegs`: segments sent.
    pub out_segs: u64,
    /// `RetransSegs`: segments retransmitted.
    pub retrans_segs: u64,
    /// `InErrs`: segments received in error.
    pub in_errs: u64,
    /// `OutRsts`: resets sent.
    pub out_rsts: u64,
}

/// One interface line of `/proc/net/wireless`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct WirelessInterface {
    /// Interface name.
    pub name: Name,
    /// Link quality, in the driver's units (often out of 70).
    pub link: i32,
    /// Signal level, dBm.
    pub level_dbm: i32,
    /// Noise level, dBm (-256: not measured).
    pub noise_dbm: i32,
}

/// One parsed `/proc/net/wireless`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Wireless {
    /// Wireless interfaces in file order.
    pub interfaces: Vec<WirelessInterface, MAX_INTERFACES>,
}
