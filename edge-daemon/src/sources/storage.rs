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

/// `statvfs` on a thread of its own, so that a mount that does not answer
/// (a network filesystem whose server is gone) stalls that thread, never
/// the sampler.
#[derive(Debug)]
pub struct Statvfs {
    requests: std::sync::mpsc::SyncSender<Box<(Roots, Mounts)>>,
    replies: std::sync::mpsc::Receiver<Box<Found>>,
    /// When the request that has not been answered yet was made.
    waiting_since: Option<std::time::Instant>,
}

/// What one round of `statvfs` found.
type Found = (heapless::Vec<Filesystem, MAX_FILESYSTEMS>, Vec<Fault>);

/// The worker thread's stack: `statvfs` needs little, and the mount table
/// and the results travel boxed.
const STATVFS_STACK: usize = 128 * 1024;

impl Statvfs {
    /// Starts the worker.
    pub fn spawn() -> std::io::Result<Self> {
        let (requests, work) = std::sync::mpsc::sync_channel::<Box<(Roots, Mounts)>>(1);
        let (answer, replies) = std::sync::mpsc::sync_channel::<Box<Found>>(1);
        std::thread::Builder::new().name("statvfs".into()).stack_size(STATVFS_STACK).spawn(
            move || {
                while let Ok(request) = work.recv() {
                    let mut found: Box<Found> = Box::default();
                    filesystems(&request.0, &request.1, &mut found.0, &mut found.1);
                    if answer.send(found).is_err() {
                        return;
                    }
                }
            },
        )?;
        Ok(Statvfs { requests, replies, waiting_since: None })
    }

    /// The block-device mounts of `mounts` with their usage, waiting at
    /// most `budget`; `Err` is how long the worker has been stuck on an
    /// earlier or this request.
    pub fn filesystems(
        &mut self,
        roots: &Roots,
        mounts: &Mounts,
        budget: std::time::Duration,
    ) -> Result<Box<Found>, std::time::Duration> {
        if let Some(since) = self.waiting_since {
            match self.replies.try_recv() {
                Ok(_) => self.waiting_since = None, // late: a new one follows
                Err(_) => return Err(since.elapsed()),
            }
        }
        let now = std::time::Instant::now();
        if self.requests.try_send(Box::new((roots.clone(), mounts.clone()))).is_err() {
            return Err(std::time::Duration::ZERO);
        }
        match self.replies.recv_timeout(budget) {
            Ok(found) => Ok(found),
            Err(_) => {
                self.waiting_since = Some(now);
                Err(now.elapsed())
            }
        }
    }
}
