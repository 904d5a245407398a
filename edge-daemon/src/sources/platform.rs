//! Which board this is: Jetson, Raspberry Pi, or generic Linux.
//!
//! - A Jetson has `/etc/nv_tegra_release`, or a device-tree `model` naming
//!   NVIDIA or Jetson. Its L4T release comes from that file; a Jetson whose
//!   file is missing or unreadable is still a Jetson, with release
//!   "unknown", never an error.
//! - A Raspberry Pi has a device-tree `model` starting with `Raspberry Pi`,
//!   or a Pi board revision code in `/proc/cpuinfo`.
//! - Anything else is generic Linux.
//!
//! The device-tree `model` is read from `/sys/firmware/devicetree/base/model`
//! (the kernel's canonical path), else `/proc/device-tree/model`.

use edgestat_core::linux::{BoardModel, PiRevision};
use edgestat_core::platform::L4tRelease;
use edgestat_parsers::nv_tegra_release;
use edgestat_parsers::procfs::{cpuinfo, device_tree_model};
use serde::Serialize;

use super::{Roots, read};

/// The detected board.
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

fn release_or_unknown<S: serde::Serializer>(
    release: &Option<L4tRelease>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match release {
        Some(r) => r.serialize(serializer),
        None => serializer.serialize_str("unknown"),
    }
}

/// Detects the board under `roots`, reading into `buf`.
pub fn detect(roots: &Roots, buf: &mut [u8]) -> Platform {
    let model = [roots.sys("firmware/devicetree/base/model"), roots.proc("device-tree/model")]
        .iter()
        .find_map(|path| {
            read(path, buf).ok().and_then(|bytes| device_tree_model::parse(bytes).ok())
        });
    let names = |needle: &str| model.as_ref().is_some_and(|m| m.contains(needle));

    let release = read(&roots.root("etc/nv_tegra_release"), buf);
    let l4t_file = release.is_ok();
    if l4t_file || names("NVIDIA") || names("Jetson") {
        let l4t = release.ok().and_then(|bytes| nv_tegra_release::parse(bytes).ok());
        return Platform::Jetson { l4t, model };
    }

    let revision = read(&roots.proc("cpuinfo"), buf)
        .ok()
        .and_then(|bytes| cpuinfo::parse(bytes).ok())
        .and_then(|info| info.pi);
    if revision.is_some() || model.as_ref().is_some_and(|m| m.starts_with("Raspberry Pi")) {
        return Platform::RaspberryPi { model, revision };
    }
    Platform::Linux { model }
}
