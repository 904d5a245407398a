//! What a round of vcgencmd calls found on a Raspberry Pi.

use edgestat_core::pi::{FirmwareVersion, Pmic, Throttled};

/// One round's readings; `None` where a call failed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PiReadings {
    /// `get_throttled`.
    pub throttled: Option<Throttled>,
    /// `measure_volts core`, µV.
    pub core_microvolts: Option<u32>,
    /// `measure_clock arm`, Hz.
    pub arm_hz: Option<u64>,
    /// `measure_clock core`, Hz.
    pub core_hz: Option<u64>,
    /// `measure_clock v3d`, Hz.
    pub v3d_hz: Option<u64>,
    /// `get_mem gpu`, MB.
    pub gpu_mem_mb: Option<u32>,
    /// `version` (asked once).
    pub firmware: Option<FirmwareVersion>,
    /// `pmic_read_adc` (Pi 5 only).
    pub pmic: Option<Pmic>,
}
