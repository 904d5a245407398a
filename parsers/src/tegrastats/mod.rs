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
mod scan;
mod words;

use edgestat_core::tegra::TegraSample;

pub use render::render;

use crate::error::{Error, ErrorKind};
use fields::Progress;
use words::Words;

/// Parses one tegrastats line (a trailing `\r\n` is allowed).
pub fn parse(line: &[u8]) -> Result<TegraSample, Error> {
    let mut sample = TegraSample::default();
    parse_into(line, &mut sample)?;
    Ok(sample)
}

/// Parses one line into `sample`, reusing its storage: the same result as
/// [`parse`] without building a fresh 3 KiB sample per line, and without
/// rebuilding the sensor, rail and engine names that the previous line
/// already had. This is the form for a long-lived reader such as the
/// daemon's tegrastats source. On error the sample holds whatever was
/// parsed before the error.
pub fn parse_into(line: &[u8], sample: &mut TegraSample) -> Result<(), Error> {
    reset(sample);
    let mut progress = Progress::default();
    let result = fill(line, sample, &mut progress);
    progress.finish(sample);
    result
}

fn fill(line: &[u8], sample: &mut TegraSample, progress: &mut Progress) -> Result<(), Error> {
    if crate::lex::trim(line).is_empty() {
        return Err(Error::new(ErrorKind::Empty, "line"));
    }
    let mut words = Words::new(line);
    if let Some(ts) = fields::timestamp(&mut words) {
        sample.timestamp = Some(ts);
    }
    while let Some(word) = words.next_word() {
        let checkpoint = words.clone();
        if !fields::field(word, &mut words, sample, progress)? {
            words = checkpoint;
            sample.unknown.record(word.bytes);
        }
    }
    if !progress.have_ram {
        return Err(Error::missing("RAM"));
    }
    Ok(())
}

/// Empties every field but the named lists, which [`fields`] overwrites in
/// place (and [`Progress::finish`] trims). Destructured so that a new field
/// cannot be forgotten here.
fn reset(sample: &mut TegraSample) {
    let TegraSample {
        timestamp,
        legacy,
        ram,
        swap,
        iram,
        cpu,
        emc,
        gpus,
        engines: _,
        ape,
        mts,
        temperatures: _,
        rails: _,
        unknown,
    } = sample;
    *timestamp = None;
    *legacy = false;
    *ram = Default::default();
    *swap = None;
    *iram = None;
    cpu.cores.clear();
    cpu.shared_freq_mhz = None;
    *emc = None;
    gpus.clear();
    *ape = None;
    *mts = None;
    unknown.count = 0;
    unknown.tokens.clear();
}

#[cfg(test)]
mod tests;
