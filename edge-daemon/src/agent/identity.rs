//! What the heartbeat says about the node, detected once at start under
//! the configured roots: host name, CPU type, OS, GPUs.

use edgestat_parsers::procfs::cpuinfo;

use edgestat_core::fleet::ClientId;

use super::Identity;
use crate::sources::platform::Platform;
use crate::sources::{Roots, read};

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

/// Fills the detected fields of `identity` (configured ones are kept).
pub fn detect(
    mut identity: Identity,
    roots: &Roots,
    platform: &Platform,
    buf: &mut [u8],
) -> Identity {
    identity.hostname = read(&roots.proc("sys/kernel/hostname"), buf)
        .map(|b| String::from_utf8_lossy(b).trim().to_owned())
        .unwrap_or_default();
    identity.os_type = read(&roots.root("etc/os-release"), buf)
        .ok()
        .and_then(|b| pretty_name(&String::from_utf8_lossy(b)))
        .unwrap_or_default();
    let info = read(&roots.proc("cpuinfo"), buf).ok().and_then(|b| cpuinfo::parse(b).ok());
    if identity.cpu_type.is_empty() {
        identity.cpu_type = info
            .as_ref()
            .map(|i| {
                let name = match (&i.model_name, i.cpu_implementer, i.cpu_part) {
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
                format!("{name}/{}", i.processors)
            })
            .unwrap_or_default();
    }
    if identity.client_id.is_none() {
        identity.client_id = machine_id(roots, buf);
    }
    identity.cpu_arch = std::env::consts::ARCH;
    if let Platform::Jetson { model, .. } = platform {
        let board = model.as_deref().unwrap_or("NVIDIA Jetson");
        identity.gpus = vec![format!("{board} iGPU")];
    }
    identity.gpus.extend(discrete_gpus(roots, buf));
    if identity.board_type.is_empty() && !identity.gpus.is_empty() {
        identity.board_type = "GPU".into();
    }
    if identity.board_type.is_empty() {
        identity.board_type = "CPU".into();
    }
    identity
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
