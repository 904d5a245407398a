//! Filesystem usage: `statvfs` (through nix) of each block-device mount in
//! `/proc/mounts`, as `df` and psutil's `disk_usage` report it.

use edgestat_core::Name;
use edgestat_core::linux::{MountPath, Mounts};

use super::{Fault, Roots};

/// Filesystems a sample keeps. A Pi with a USB disk has 3 (`/`,
/// `/boot/firmware`, the disk); Jetsons with NVMe and SD about 4.
pub const MAX_FILESYSTEMS: usize = 32;

/// One mounted filesystem's usage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filesystem {
    /// The device, e.g. `/dev/mmcblk0p2`.
    pub device: MountPath,
    /// Where it is mounted, e.g. `/`.
    pub mount_point: MountPath,
    /// The filesystem type, e.g. `ext4`.
    pub fs_type: Name,
    /// Size in bytes (`f_blocks × f_frsize`).
    pub total: u64,
    /// Bytes in use (`(f_blocks − f_bfree) × f_frsize`).
    pub used: u64,
    /// Bytes free to unprivileged users (`f_bavail × f_frsize`).
    pub free: u64,
}

impl Filesystem {
    /// Percent used as `df` computes it: used over used plus free, so
    /// blocks reserved for root do not count as free.
    pub fn percent_milli(&self) -> i64 {
        let denominator = u128::from(self.used) + u128::from(self.free);
        if denominator == 0 {
            return 0;
        }
        let milli = u128::from(self.used) * 100_000 / denominator;
        i64::try_from(milli).unwrap_or(i64::MAX)
    }
}

/// The block-device mounts of `mounts` with their usage. The mount point
/// is looked up under the rootfs root, so a fixture tree works; a mount
/// whose `statvfs` fails is reported and left out.
pub fn filesystems(
    roots: &Roots,
    mounts: &Mounts,
    out: &mut heapless::Vec<Filesystem, MAX_FILESYSTEMS>,
    faults: &mut Vec<Fault>,
) {
    out.clear();
    for mount in mounts.entries.iter().filter(|m| m.device.starts_with("/dev/")) {
        if out.iter().any(|fs| fs.mount_point == mount.mount_point) {
            continue; // mounted over: the later mount hides the earlier one
        }
        let path = roots.root(mount.mount_point.trim_start_matches('/'));
        let stat = match nix::sys::statvfs::statvfs(&path) {
            Ok(stat) => stat,
            Err(errno) => {
                faults.push(Fault::Tool(format!("statvfs {}: {}", path.display(), errno.desc())));
                continue;
            }
        };
        // The field types are u32 on 32-bit ARM and u64 elsewhere.
        #[allow(clippy::useless_conversion)]
        let frsize = u64::from(stat.fragment_size());
        #[allow(clippy::useless_conversion)]
        let (blocks, bfree, bavail) = (
            u64::from(stat.blocks()),
            u64::from(stat.blocks_free()),
            u64::from(stat.blocks_available()),
        );
        let fs = Filesystem {
            device: mount.device.clone(),
            mount_point: mount.mount_point.clone(),
            fs_type: mount.fs_type.clone(),
            total: blocks.saturating_mul(frsize),
            used: blocks.saturating_sub(bfree).saturating_mul(frsize),
            free: bavail.saturating_mul(frsize),
        };
        if out.push(fs).is_err() {
            faults.push(Fault::Tool(format!(
                "storage: more than {MAX_FILESYSTEMS} filesystems; the rest are left out"
            )));
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_is_used_over_used_plus_free() {
        let fs = Filesystem {
            device: MountPath::try_from("/dev/mmcblk0p2").unwrap(),
            mount_point: MountPath::try_from("/").unwrap(),
            fs_type: Name::try_from("ext4").unwrap(),
            total: 100,
            used: 20,
            free: 60,
        };
        assert_eq!(fs.percent_milli(), 25_000);
        assert_eq!(Filesystem { used: 0, free: 0, ..fs }.percent_milli(), 0);
    }
}
