//! `/proc/mounts`: mounted file systems.
//!
//! ```text
//! /dev/mmcblk0p1 /boot/firmware vfat rw,relatime,fmask=0022,dmask=0022 0 0
//! /dev/sda1 /media/pi/My\040Disk exfat rw,nosuid,nodev,relatime 0 0
//! ```
//! Six space-separated columns. The kernel writes a space, tab, newline or
//! backslash inside a field as a three-digit octal escape (`\040`, `\011`,
//! `\012`, `\134`); they are decoded. A decoded path longer than
//! [`MOUNT_PATH_LEN`] is a capacity error, never cut.

use edgestat_core::linux::{MOUNT_PATH_LEN, Mount, Mounts};
use edgestat_core::name::push;

use super::{content_lines, end, lossy, next_u32, not_empty, words};
use crate::error::{Error, ErrorKind};

/// Parses a whole `/proc/mounts` (or `/proc/self/mounts`).
pub fn parse(input: &[u8]) -> Result<Mounts, Error> {
    not_empty(input, "mounts")?;
    let mut mounts = Mounts::default();
    for row in content_lines(input) {
        push(&mut mounts.entries, mount(row)?, "mounts")?;
    }
    Ok(mounts)
}

/// One mount line.
fn mount(row: &[u8]) -> Result<Mount, Error> {
    let mut w = words(row);
    let device = unescape::<MOUNT_PATH_LEN>(w.next().ok_or(Error::missing("device"))?, "device")?;
    let mount_point =
        unescape::<MOUNT_PATH_LEN>(w.next().ok_or(Error::missing("mount_point"))?, "mount_point")?;
    let fs_type = unescape(w.next().ok_or(Error::missing("fs_type"))?, "fs_type")?;
    let options = w.next().ok_or(Error::missing("options"))?;
    let read_only = options == b"ro" || options.starts_with(b"ro,");
    let dump = next_u32(&mut w, "dump")?;
    let pass = next_u32(&mut w, "pass")?;
    end(w, "mounts")?;
    Ok(Mount { device, mount_point, fs_type, read_only, dump, pass })
}

/// A field with its `\ooo` escapes decoded, into at most `N` bytes.
fn unescape<const N: usize>(
    field: &[u8],
    name: &'static str,
) -> Result<heapless::String<N>, Error> {
    let mut bytes: heapless::Vec<u8, N> = heapless::Vec::new();
    let mut rest = field;
    while let Some((&b, after)) = rest.split_first() {
        let (byte, next) = match (b, after) {
            (b'\\', [a @ b'0'..=b'3', b @ b'0'..=b'7', c @ b'0'..=b'7', tail @ ..]) => {
                ((a - b'0') << 6 | (b - b'0') << 3 | (c - b'0'), tail)
            }
            (b'\\', _) => return Err(Error::syntax(name)),
            _ => (b, after),
        };
        bytes.push(byte).map_err(|_| Error::new(ErrorKind::Capacity, name))?;
        rest = next;
    }
    lossy(&bytes, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_decode() {
        let m =
            parse(b"/dev/sda1 /media/a\\040b\\011c\\012d\\134e vfat ro,relatime 0 2\n").unwrap();
        let e = &m.entries[0];
        assert_eq!(e.mount_point, "/media/a b\tc\nd\\e");
        assert!(e.read_only);
        assert_eq!(e.pass, 2);
    }

    #[test]
    fn rejects_malformed() {
        assert_eq!(parse(b"a /b ext4 rw 0\n"), Err(Error::missing("pass")));
        assert_eq!(parse(b"a /b ext4 rw 0 0 x\n"), Err(Error::new(ErrorKind::Trailing, "mounts")));
        assert_eq!(parse(b"a /b\\04 ext4 rw 0 0\n"), Err(Error::syntax("mount_point")));
        assert_eq!(parse(b"a /b\\400 ext4 rw 0 0\n"), Err(Error::syntax("mount_point")));
        assert_eq!(parse(b"a /b ext4\n"), Err(Error::missing("options")));
    }
}
