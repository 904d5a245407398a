//! Filesystem usage, as `df` and psutil's `disk_usage` report it.

use edgestat_core::Name;
use edgestat_core::linux::MountPath;

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
