//! cpufreq files: `/sys/devices/system/cpu/cpu<N>/cpufreq/*`.
//!
//! ```text
//! scaling_cur_freq   1510400
//! scaling_governor   schedutil
//! ```
//! Frequencies (`scaling_cur_freq`, `scaling_min_freq`, `scaling_max_freq`,
//! `cpuinfo_cur_freq`, `cpuinfo_min_freq`, `cpuinfo_max_freq`) are kHz.

use edgestat_core::Name;
use edgestat_core::sysfs::CpuFreq;

use crate::error::Error;

/// Parses a frequency file in kHz.
pub fn parse(input: &[u8]) -> Result<CpuFreq, Error> {
    Ok(CpuFreq { khz: super::integer(input, "cpufreq")? })
}

/// Parses `scaling_governor` (`schedutil`, `ondemand`, `performance`, …).
pub fn parse_governor(input: &[u8]) -> Result<Name, Error> {
    let name = super::text(input, "scaling_governor")?;
    if name.bytes().any(|b| b == b' ' || b == b'\t') {
        return Err(Error::syntax("scaling_governor"));
    }
    Ok(name)
}
