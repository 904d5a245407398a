//! Filesystem usage: `statvfs` (through nix) of each block-device mount in
//! `/proc/mounts`, as `df` and psutil's `disk_usage` report it.

use edgestat_core::linux::Mounts;

use super::Roots;
use crate::model::{Fault, Filesystem, MAX_FILESYSTEMS};

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
