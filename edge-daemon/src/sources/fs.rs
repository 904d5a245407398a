//! Where the host's files are, and reading one into a fixed buffer.

use std::io::Read;
use std::path::{Path, PathBuf};

use edgestat_core::sysfs::ReadFault;
use edgestat_parsers::Error as ParseError;

use crate::model::Fault;

/// Size of the buffer one file is read into. The largest file a source
/// reads is `/proc/mounts` on a container host or `/proc/stat` on a
/// 128-CPU machine, both well under this; a larger file is
/// [`ReadFault::TooLarge`], never truncated.
pub const READ_BUF: usize = 64 * 1024;

/// The roots the host's files are read under, like node_exporter's
/// `--path.sysfs`, `--path.procfs` and `--path.rootfs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roots {
    /// Where `/sys` is (`--sysfs`).
    pub sysfs: PathBuf,
    /// Where `/proc` is (`--procfs`).
    pub procfs: PathBuf,
    /// Where `/` is, for `/etc` (`--rootfs`).
    pub rootfs: PathBuf,
}

impl Default for Roots {
    fn default() -> Self {
        Self { sysfs: "/sys".into(), procfs: "/proc".into(), rootfs: "/".into() }
    }
}

impl Roots {
    /// `rel` under the sysfs root (`rel` is relative: `class/thermal`).
    pub fn sys(&self, rel: &str) -> PathBuf {
        self.sysfs.join(rel)
    }

    /// `rel` under the procfs root.
    pub fn proc(&self, rel: &str) -> PathBuf {
        self.procfs.join(rel)
    }

    /// `rel` under the root filesystem (`etc/nv_tegra_release`).
    pub fn root(&self, rel: &str) -> PathBuf {
        self.rootfs.join(rel)
    }
}

/// Reads the whole of `path` into `buf` and returns the bytes read.
///
/// Never blocks on a file that is not one: it is opened non-blocking (a
/// FIFO with no writer would block `open`), and anything but a regular
/// file or a directory (a FIFO, socket or device, which could block `read`
/// forever) is refused unread as [`ReadFault::NotRegular`].
pub fn read<'b>(path: &Path, buf: &'b mut [u8]) -> Result<&'b [u8], ReadFault> {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let fault = |e: std::io::Error| match e.raw_os_error() {
        Some(errno) => ReadFault::from_errno(errno),
        None if e.kind() == std::io::ErrorKind::NotFound => ReadFault::Missing,
        None => ReadFault::Other,
    };
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits())
        .open(path)
        .map_err(fault)?;
    let kind = file.metadata().map_err(fault)?.file_type();
    if kind.is_fifo() || kind.is_socket() || kind.is_char_device() || kind.is_block_device() {
        return Err(ReadFault::NotRegular);
    }
    let mut len = 0;
    loop {
        let Some(free) = buf.get_mut(len..).filter(|free| !free.is_empty()) else {
            // Full: the file fits only if nothing is left to read.
            let mut probe = [0u8; 1];
            return match file.read(&mut probe).map_err(fault)? {
                0 => Ok(buf.get(..len).unwrap_or_default()),
                _ => Err(ReadFault::TooLarge),
            };
        };
        match file.read(free) {
            Ok(0) => return Ok(buf.get(..len).unwrap_or_default()),
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(fault(e)),
        }
    }
}

/// Reads `path` into `buf` and hands the bytes to a pure `parse`.
pub fn parse_file<T>(
    path: &Path,
    buf: &mut [u8],
    parse: impl FnOnce(&[u8]) -> Result<T, ParseError>,
) -> Result<T, Fault> {
    let bytes = read(path, buf).map_err(|fault| Fault::read(path, fault))?;
    parse(bytes).map_err(|error| Fault::Parse { path: path.to_path_buf(), error })
}

/// The entries of directory `dir` whose names start with `prefix`, with the
/// number after the prefix, sorted by that number (`thermal_zone2` before
/// `thermal_zone10`). A missing directory has no entries.
pub fn numbered_entries(dir: &Path, prefix: &str) -> Vec<(u32, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut found: Vec<(u32, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name();
            let n = name.to_str()?.strip_prefix(prefix)?.parse().ok()?;
            Some((n, entry.path()))
        })
        .collect();
    found.sort_unstable_by_key(|&(n, _)| n);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_whole_files_and_names_failures() {
        let dir = std::env::temp_dir().join(format!("edgestat-fs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("temp");
        std::fs::write(&file, b"44388\n").unwrap();
        let mut buf = [0u8; 8];
        assert_eq!(read(&file, &mut buf), Ok(&b"44388\n"[..]));
        let mut small = [0u8; 4];
        assert_eq!(read(&file, &mut small), Err(ReadFault::TooLarge));
        let mut exact = [0u8; 6];
        assert_eq!(read(&file, &mut exact), Ok(&b"44388\n"[..]));
        assert_eq!(read(&dir.join("absent"), &mut buf), Err(ReadFault::Missing));
        // A directory: the kernel answers EISDIR on read.
        assert_eq!(read(&dir, &mut buf), Err(ReadFault::Other));
        // A FIFO with no writer would block open and read: refused at once.
        let fifo = dir.join("fifo");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
        let started = std::time::Instant::now();
        assert_eq!(read(&fifo, &mut buf), Err(ReadFault::NotRegular));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert_eq!(read(Path::new("/dev/zero"), &mut buf), Err(ReadFault::NotRegular));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
