//! `/proc/cpuinfo` and the device-tree `model` string.

use serde::Serialize;

use super::pi_revision::PiRevision;
use crate::Name;

/// Longest board or CPU model string, in bytes.
///
/// x86 brand strings are at most 48 bytes (CPUID leaves 0x80000002–4);
/// device-tree models seen are at most about 45
/// (`NVIDIA Jetson Xavier NX Developer Kit (SD-card)`,
/// `Raspberry Pi Compute Module 5 Lite Rev 1.0`).
pub const MODEL_LEN: usize = 64;

/// A board model (`Raspberry Pi 4 Model B Rev 1.4`) or CPU model name.
pub type BoardModel = heapless::String<MODEL_LEN>;

/// The machine-wide facts of `/proc/cpuinfo`, x86 and ARM forms alike.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct CpuInfo {
    /// Number of `processor` blocks (online CPUs).
    pub processors: u16,
    /// The first `model name` (x86, and 32-bit ARM kernels).
    pub model_name: Option<BoardModel>,
    /// The first `CPU implementer` (ARM; `0x41` is Arm Ltd).
    pub cpu_implementer: Option<u8>,
    /// The first `CPU part` (ARM; `0xd08` Cortex-A72, `0xd42` Cortex-A78AE).
    pub cpu_part: Option<u16>,
    /// `Hardware` (32-bit ARM kernels and Raspberry Pi kernels: `BCM2835`).
    pub hardware: Option<Name>,
    /// `Revision`, the board revision code read as hex (`c03111`).
    pub revision: Option<u32>,
    /// `Serial` (Raspberry Pi: 16 hex digits), as printed.
    pub serial: Option<Name>,
    /// `Model` (Raspberry Pi kernels: `Raspberry Pi 4 Model B Rev 1.1`).
    pub model: Option<BoardModel>,
    /// `revision` decoded, when it is a new-style code on a Raspberry Pi
    /// (`Hardware` starts with `BCM` or `Model` with `Raspberry Pi`).
    pub pi: Option<PiRevision>,
}
