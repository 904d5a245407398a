//! `/proc/mounts`: mounted file systems.

use heapless::Vec;
use serde::Serialize;

use crate::Name;

/// Mounted file systems in one `/proc/mounts`.
///
/// A Raspberry Pi OS or JetPack install lists 25–35 (cgroup, sysfs, debugfs,
/// tmpfs for `/run` and each user); Docker adds an `overlay` and an `nsfs`
/// line per container and Ubuntu's snaps one `squashfs` each. 128 leaves
/// room for both; more is an explicit capacity error.
pub const MAX_MOUNTS: usize = 128;

/// Longest mount source or mount point kept, in bytes, after decoding.
///
/// The longest seen on edge devices are container paths: containerd's
/// `/run/containerd/io.containerd.runtime.v2.task/k8s.io/<64 hex>/rootfs`
/// is 123 bytes and kubelet's projected volumes about 115. A longer path is
/// an explicit capacity error, never truncated.
pub const MOUNT_PATH_LEN: usize = 160;

/// A mount source or mount point, with `\040`-style escapes decoded.
pub type MountPath = heapless::String<MOUNT_PATH_LEN>;

/// One `/proc/mounts` line: `device mountpoint fstype options dump pass`.
///
/// Options are checked but only `ro`/`rw` is kept: overlay options list
/// every image layer and run to kilobytes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Mount {
    /// Mount source (`/dev/mmcblk0p2`, `tmpfs`, `server:/export`).
    pub device: MountPath,
    /// Where it is mounted.
    pub mount_point: MountPath,
    /// File system type (`ext4`, `vfat`, `fuse.sshfs`).
    pub fs_type: Name,
    /// Whether the options start with `ro`.
    pub read_only: bool,
    /// The `dump` column (always 0 on Linux).
    pub dump: u32,
    /// The `pass` (fsck order) column (always 0 on Linux).
    pub pass: u32,
}

/// One parsed `/proc/mounts`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Mounts {
    /// Mounts in file order (the order they were mounted).
    pub entries: Vec<Mount, MAX_MOUNTS>,
}

impl Mounts {
    /// The last mount on `mount_point` (the one that is visible).
    pub fn at(&self, mount_point: &str) -> Option<&Mount> {
        self.entries.iter().rev().find(|m| m.mount_point == mount_point)
    }
}
