//! What the heartbeat says about the node, detected once at start under
//! the configured roots: host name, CPU type, OS, GPUs.

use edgestat_parsers::procfs::cpuinfo;

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
    identity.cpu_arch = std::env::consts::ARCH;
    if let Platform::Jetson { model, .. } = platform {
        let board = model.as_deref().unwrap_or("NVIDIA Jetson");
        identity.gpus = vec![format!("{board} iGPU")];
        if identity.board_type.is_empty() {
            identity.board_type = "GPU".into();
        }
    }
    if identity.board_type.is_empty() {
        identity.board_type = "CPU".into();
    }
    identity
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
    fn os_release_names() {
        let debian = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n";
        assert_eq!(pretty_name(debian).as_deref(), Some("Debian GNU/Linux 12 (bookworm)"));
        assert_eq!(pretty_name("NAME=x\n"), None);
    }
}
