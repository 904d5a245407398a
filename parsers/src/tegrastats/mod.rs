//! tegrastats lines, every variant from L4T 28.1 to Thor and JetPack 7.
//!
//! ```text
//! 10-26-2025 05:10:55 RAM 6873/62841MB (lfb 3x4MB) SWAP 0/31421MB (cached 0MB) CPU [13%@729,off,…]
//!   EMC_FREQ 1%@2133 GR3D_FREQ 40%@[305,305] NVENC off … APE 174 cpu@47.906C … VDD_GPU_SOC 3201mW/2934mW
//! ```
//!
//! The line is read word by word (any run of whitespace separates words)
//! and each field is recognised by its shape, not by its position or by its
//! name alone: `CPU [..]` is the CPU list, `CPU@37.5C` a temperature and
//! `CPU 311/311` a rail on the same AGX Xavier line.
//!
//! Rules that make the parser tolerant:
//! - No field but `RAM` is required, and fields may come in any order.
//! - A word that no rule recognises is kept in [`Unknown`](edgestat_core::tegra::Unknown)
//!   (counted, and named while there is room); parsing goes on with the next word.
//! - A repeated single field (a second `RAM`, `CPU [..]`, …) is kept as unknown;
//!   the first one wins.
//! - A line without `RAM` is not tegrastats output (e.g. a `date` line in a
//!   log) and is an error.
//! - More cores, sensors, rails, engines or GPCs than the named capacities
//!   in [`edgestat_core::capacity`] is an explicit capacity error.

mod fields;
mod render;
mod words;

use edgestat_core::tegra::TegraSample;

pub use render::render;

use crate::error::{Error, ErrorKind};
use words::Words;

/// Parses one tegrastats line (a trailing `\r\n` is allowed).
pub fn parse(line: &[u8]) -> Result<TegraSample, Error> {
    let mut words = Words::new(line);
    if words.peek().is_none() {
        return Err(Error::new(ErrorKind::Empty, "line"));
    }
    let mut sample = TegraSample::default();
    let mut have_ram = false;
    if let Some(ts) = fields::timestamp(&mut words) {
        sample.timestamp = Some(ts);
    }
    while let Some(word) = words.next() {
        let checkpoint = words.clone();
        match fields::field(word, &mut words, &mut sample, &mut have_ram)? {
            true => {}
            false => {
                words = checkpoint;
                sample.unknown.record(word);
            }
        }
    }
    if !have_ram {
        return Err(Error::missing("RAM"));
    }
    Ok(sample)
}

#[cfg(test)]
mod tests;
