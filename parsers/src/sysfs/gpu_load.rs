//! The Jetson GPU `load` file: busy share in per mille.
//!
//! ```text
//! /sys/devices/platform/bus@0/17000000.gpu/load   1000
//! ```
//! An integer 0–1000 (jtop divides it by 10 for percent). Paths differ per
//! board (TX2 `17000000.gp10b`, Nano `gpu.0` or `57000000.gpu`, AGX Orin
//! r36 `platform/bus@0/17000000.gpu`); the caller picks one.

use edgestat_core::sysfs::GpuLoad;

use crate::error::{Error, ErrorKind};

const FIELD: &str = "load";

/// Parses a `load` file; values above 1000 are a range error.
pub fn parse(input: &[u8]) -> Result<GpuLoad, Error> {
    let per_mille: u16 = super::integer(input, FIELD)?;
    if per_mille > 1000 {
        return Err(Error::new(ErrorKind::Range, FIELD));
    }
    Ok(GpuLoad { per_mille })
}
