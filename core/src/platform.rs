//! Which board a sample comes from.

use core::fmt;

use serde::{Serialize, Serializer};

use crate::Name;

/// An L4T (Jetson Linux) release from `/etc/nv_tegra_release`: `R36` with
/// `REVISION: 4.4` is 36.4.4.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct L4tRelease {
    /// The `R` number: 28 (TX1/TX2) to 39 (JetPack 7).
    pub major: u16,
    /// First part of `REVISION`.
    pub minor: u16,
    /// Second part of `REVISION`; 0 when the file prints none.
    pub patch: u16,
    /// `BOARD:` (`t210ref`, `t186ref`, `generic`), when printed.
    pub board: Option<Name>,
}

impl fmt::Display for L4tRelease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl Serialize for L4tRelease {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
