//! The board, read once at start: which kind it is (Jetson and its L4T
//! release, Raspberry Pi and its revision, or generic Linux), its model,
//! host name, OS, CPU, GPUs, machine id and, when asked for, its serial.
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
//! (the kernel's canonical path), else `/proc/device-tree/model`. Each file
//! is read once; a file that is missing leaves its field empty.

use edgestat_core::fleet::ClientId;
use edgestat_core::linux::{BoardModel, CpuInfo};
use edgestat_parsers::nv_tegra_release;
use edgestat_parsers::procfs::{cpuinfo, device_tree_model};

use super::{Roots, read};
use crate::model::{Board, Platform};

/// ARM CPU part numbers (implementer 0x41) named in `/proc/cpuinfo`.
const ARM_PARTS: [(u16, &str); 8] = [
    (0xd03, "Cortex-A53"),
    (0xd07, "Cortex-A57"),
    (0xd08, "Cortex-A72"),
    (0xd0b, "Cortex-A76"),
    (0xd42, "Cortex-A78AE"),
    (0xd4f, "Neoverse-V2"),
    (0xd05, "Cortex-A55"),
    (0xd0c, "Neoverse-N1"),
];

/// Reads the board under `roots`, using `buf` for each file; the serial
/// only when `expose_serial`.
pub fn read_board(roots: &Roots, expose_serial: bool, buf: &mut [u8]) -> Board {
    let info = read(&roots.proc("cpuinfo"), buf).ok().and_then(|b| cpuinfo::parse(b).ok());
    let platform = classify(roots, info.as_ref(), buf);
    let text = |path: &std::path::Path, buf: &mut [u8]| {
        read(path, buf).ok().map(|b| String::from_utf8_lossy(b).into_owned())
    };
    let hostname = text(&roots.proc("sys/kernel/hostname"), buf)
        .map(|h| h.trim().to_owned())
        .unwrap_or_default();
    let os =
        text(&roots.root("etc/os-release"), buf).and_then(|t| pretty_name(&t)).unwrap_or_default();
    let mut gpus = Vec::new();
    if let Platform::Jetson { model, .. } = &platform {
        gpus.push(format!("{} iGPU", model.as_deref().unwrap_or("NVIDIA Jetson")));
    }
    gpus.extend(discrete_gpus(roots, buf));
    let serial = expose_serial.then(|| serial(roots, info.as_ref(), buf)).flatten();
    Board {
        platform,
        hostname,
        os,
        cpu: info.as_ref().map(cpu_type).unwrap_or_default(),
        arch: std::env::consts::ARCH,
        gpus,
        serial,
        machine_id: machine_id(roots, buf),
    }
}

/// Which kind of board this is, for `edgestat detect`.
pub fn platform(roots: &Roots, buf: &mut [u8]) -> Platform {
    let info = read(&roots.proc("cpuinfo"), buf).ok().and_then(|b| cpuinfo::parse(b).ok());
    classify(roots, info.as_ref(), buf)
}

fn classify(roots: &Roots, info: Option<&CpuInfo>, buf: &mut [u8]) -> Platform {
    let model: Option<BoardModel> =
        [roots.sys("firmware/devicetree/base/model"), roots.proc("device-tree/model")]
            .iter()
            .find_map(|path| {
                read(path, buf).ok().and_then(|bytes| device_tree_model::parse(bytes).ok())
            });
    let names = |needle: &str| model.as_ref().is_some_and(|m| m.contains(needle));
    let release = read(&roots.root("etc/nv_tegra_release"), buf);
    if release.is_ok() || names("NVIDIA") || names("Jetson") {
        let l4t = release.ok().and_then(|bytes| nv_tegra_release::parse(bytes).ok());
        return Platform::Jetson { l4t, model };
    }
    let revision = info.and_then(|i| i.pi);
    if revision.is_some() || model.as_ref().is_some_and(|m| m.starts_with("Raspberry Pi")) {
        return Platform::RaspberryPi { model, revision };
    }
    Platform::Linux { model }
}

/// `ARM Cortex-A78AE/12`: the model name, else the ARM part, and the
/// processor count.
fn cpu_type(info: &CpuInfo) -> String {
    let name = match (&info.model_name, info.cpu_implementer, info.cpu_part) {
        (Some(name), _, _) => name.to_string(),
        (None, Some(0x41), Some(part)) => ARM_PARTS
            .iter()
            .find(|(p, _)| *p == part)
            .map_or(format!("ARM part {part:#x}"), |(_, n)| format!("ARM {n}")),
        (None, Some(implementer), Some(part)) => {
            format!("implementer {implementer:#x} part {part:#x}")
        }
        _ => "unknown".into(),
    };
    format!("{name}/{}", info.processors)
}

/// The Pi's `Serial` in `/proc/cpuinfo`, else the device tree's
/// `serial-number`.
fn serial(roots: &Roots, info: Option<&CpuInfo>, buf: &mut [u8]) -> Option<String> {
    info.and_then(|i| i.serial.as_ref()).map(|s| s.to_string()).or_else(|| {
        read(&roots.sys("firmware/devicetree/base/serial-number"), buf).ok().map(|bytes| {
            String::from_utf8_lossy(bytes)
                .trim_matches(|c: char| c == '\0' || c.is_whitespace())
                .to_owned()
        })
    })
}

/// NVIDIA dGPUs: the `Model:` line of each
/// `/proc/driver/nvidia/gpus/<bus id>/information` (the proprietary driver's
/// own listing), in bus order.
fn discrete_gpus(roots: &Roots, buf: &mut [u8]) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(roots.proc("driver/nvidia/gpus")) else {
        return Vec::new();
    };
    let mut dirs: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    dirs.sort();
    dirs.iter()
        .filter_map(|dir| {
            let text = read(&dir.join("information"), buf).ok()?;
            let text = String::from_utf8_lossy(text);
            let model = text.lines().find_map(|l| l.strip_prefix("Model:"))?;
            Some(model.trim().to_owned())
        })
        .collect()
}

/// systemd's machine id (`/etc/machine-id`, else D-Bus's copy); `None`
/// unless it is 32 hex digits.
fn machine_id(roots: &Roots, buf: &mut [u8]) -> Option<ClientId> {
    ["etc/machine-id", "var/lib/dbus/machine-id"].iter().find_map(|path| {
        let text = read(&roots.root(path), buf).ok()?;
        ClientId::parse(std::str::from_utf8(text).ok()?.trim())
    })
}

/// `PRETTY_NAME` of an os-release file, unquoted.
fn pretty_name(os_release: &str) -> Option<String> {
    let line = os_release.lines().find_map(|l| l.strip_prefix("PRETTY_NAME="))?;
    Some(line.trim().trim_matches('"').trim_matches('\'').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nvidia_dgpus_from_the_driver() {
        let root = std::env::temp_dir().join(format!("edgestat-dgpu-{}", std::process::id()));
        let dir = root.join("proc/driver/nvidia/gpus/0000:01:00.0");
        std::fs::create_dir_all(&dir).unwrap();
        // The driver's own layout: `Key:` then tabs.
        std::fs::write(
            dir.join("information"),
            "Model: \t\t NVIDIA RTX A2000\nIRQ:   \t\t 145\nBus Type: \t PCIe\n",
        )
        .unwrap();
        let roots = Roots { procfs: root.join("proc"), ..Roots::default() };
        let mut buf = vec![0u8; 4096];
        assert_eq!(discrete_gpus(&roots, &mut buf), ["NVIDIA RTX A2000"]);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn os_release_names() {
        let debian = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n";
        assert_eq!(pretty_name(debian).as_deref(), Some("Debian GNU/Linux 12 (bookworm)"));
        assert_eq!(pretty_name("NAME=x\n"), None);
    }
}
