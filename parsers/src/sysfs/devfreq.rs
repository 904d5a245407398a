//! devfreq files: `/sys/class/devfreq/<device>/cur_freq`, `min_freq`,
//! `max_freq`, in Hz.
//!
//! ```text
//! /sys/class/devfreq/gpu-gpc-0/cur_freq   1575000000
//! ```
//! Jetson Thor exposes its GPU as `gpu-gpc-0` and EMC as `bwmgr`.

use edgestat_core::sysfs::DevFreq;

use crate::error::Error;

/// Parses a devfreq frequency file in Hz.
pub fn parse(input: &[u8]) -> Result<DevFreq, Error> {
    Ok(DevFreq { hz: super::integer(input, "devfreq")? })
}
