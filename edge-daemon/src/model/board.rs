//! The board: what it is and what runs on it, read once at start by
//! `sources::board` and the same for every sample.

use edgestat_core::fleet::ClientId;
use edgestat_core::linux::{BoardModel, PiRevision};
use edgestat_core::platform::L4tRelease;
use serde::Serialize;

/// The board's identity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Board {
    /// Which kind of board, its model and release.
    pub platform: Platform,
    /// The host name (`/proc/sys/kernel/hostname`).
    pub hostname: String,
    /// The operating system's `PRETTY_NAME` (`/etc/os-release`).
    pub os: String,
    /// The CPU type and count (`ARM Cortex-A78AE/12`, `Intel(R) Xeon(R)…/8`),
    /// from `/proc/cpuinfo`; empty when unreadable.
    pub cpu: String,
    /// `aarch64`, `arm`, `x86_64`: what this binary was built for.
    pub arch: &'static str,
    /// GPU names by index: a Jetson's iGPU, then NVIDIA dGPUs.
    pub gpus: Vec<String>,
    /// The board serial (Pi `Serial`, else the device tree's
    /// `serial-number`), only when `expose_serial` is on.
    pub serial: Option<String>,
    /// systemd's machine id, when it is one.
    pub machine_id: Option<ClientId>,
}

impl Board {
    /// The device-tree model (`Raspberry Pi 4 Model B Rev 1.2`).
    pub fn model(&self) -> Option<&str> {
        match &self.platform {
            Platform::Jetson { model, .. }
            | Platform::RaspberryPi { model, .. }
            | Platform::Linux { model } => model.as_deref(),
        }
    }

    /// Whether this is a Jetson.
    pub fn is_jetson(&self) -> bool {
        matches!(self.platform, Platform::Jetson { .. })
    }

    /// Whether this is a Raspberry Pi.
    pub fn is_pi(&self) -> bool {
        matches!(self.platform, Platform::RaspberryPi { .. })
    }
}

/// The detected kind of board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Platform {
    /// An NVIDIA Jetson.
    Jetson {
        /// The L4T release; `None` (JSON `"unknown"`) when it could not be read.
        #[serde(serialize_with = "release_or_unknown")]
        l4t: Option<L4tRelease>,
        /// The device-tree model, e.g. `NVIDIA Jetson AGX Orin Developer Kit`.
        model: Option<BoardModel>,
    },
    /// A Raspberry Pi.
    RaspberryPi {
        /// The device-tree model, e.g. `Raspberry Pi 4 Model B Rev 1.4`.
        model: Option<BoardModel>,
        /// The decoded board revision code from `/proc/cpuinfo`.
        revision: Option<PiRevision>,
    },
    /// Any other Linux host.
    Linux {
        /// The device-tree model, where the host has a device tree.
        model: Option<BoardModel>,
    },
}

impl Default for Platform {
    fn default() -> Self {
        Platform::Linux { model: None }
    }
}

fn release_or_unknown<S: serde::Serializer>(
    release: &Option<L4tRelease>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match release {
        Some(r) => r.serialize(serializer),
        None => serializer.serialize_str("unknown"),
    }
}

impl core::fmt::Display for Platform {
    /// `Jetson (NVIDIA Jetson AGX Orin Developer Kit, L4T 36.4.4)`.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Platform::Jetson { l4t, model } => {
                write!(f, "Jetson ({}, L4T ", model.as_deref().unwrap_or("model unknown"))?;
                match l4t {
                    Some(l4t) => write!(f, "{l4t})"),
                    None => f.write_str("unknown)"),
                }
            }
            Platform::RaspberryPi { model, .. } => {
                write!(f, "Raspberry Pi ({})", model.as_deref().unwrap_or("model unknown"))
            }
            Platform::Linux { model } => {
                write!(f, "Linux ({})", model.as_deref().unwrap_or("generic"))
            }
        }
    }
}
