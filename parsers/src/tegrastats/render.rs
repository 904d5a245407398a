//! Writing a sample back as a tegrastats line.
//!
//! [`render`] is the inverse of [`parse`](super::parse) for every sample the
//! parser can produce without unknown tokens: `parse(render(x)) == x`. The
//! daemon's fixture tools and the property tests use it.

use core::fmt::{self, Write};

use edgestat_core::tegra::{Core, EngineState, Gr3d, Reading, TegraSample};

/// Writes `sample` as one tegrastats line (no newline). Unknown tokens are
/// not written.
pub fn render<W: Write>(sample: &TegraSample, out: &mut W) -> fmt::Result {
    let legacy = sample.legacy;
    if let Some(ts) = sample.timestamp {
        write!(
            out,
            "{:02}-{:02}-{:04} {:02}:{:02}:{:02} ",
            ts.month, ts.day, ts.year, ts.hour, ts.minute, ts.second
        )?;
    }
    let ram = &sample.ram;
    write!(out, "RAM {}/{}MB", ram.used_mb, ram.total_mb)?;
    if let Some(lfb) = ram.lfb {
        write!(out, " (lfb {}x{}{})", lfb.count, lfb.size, lfb.unit.as_str())?;
    }
    if let Some(swap) = sample.swap {
        write!(out, " SWAP {}/{}MB", swap.used_mb, swap.total_mb)?;
        if let Some(cached) = swap.cached_mb {
            write!(out, " (cached {cached}MB)")?;
        }
    }
    if let Some(iram) = sample.iram {
        write!(out, " IRAM {}/{}kB", iram.used_kb, iram.total_kb)?;
        if let Some(lfb) = iram.lfb_kb {
            write!(out, "(lfb {lfb}kB)")?;
        }
    }
    if legacy || !sample.cpu.cores.is_empty() || sample.cpu.shared_freq_mhz.is_some() {
        out.write_str(if legacy { " cpu [" } else { " CPU [" })?;
        for (i, core) in sample.cpu.cores.iter().enumerate() {
            if i > 0 {
                out.write_char(',')?;
            }
            match *core {
                Core::Off => out.write_str("off")?,
                Core::On { load, freq_mhz } => {
                    write!(out, "{load}%")?;
                    if let Some(f) = freq_mhz {
                        write!(out, "@{f}")?;
                    }
                }
            }
        }
        out.write_char(']')?;
        if let Some(f) = sample.cpu.shared_freq_mhz {
            write!(out, "@{f}")?;
        }
    }
    if let Some(emc) = sample.emc {
        write!(out, " {} {}%", if legacy { "EMC" } else { "EMC_FREQ" }, emc.load)?;
        if let Some(f) = emc.freq_mhz {
            write!(out, "@{f}")?;
        }
    }
    for gpu in &sample.gpus {
        gr3d(gpu, out)?;
    }
    for engine in &sample.engines {
        write!(out, " {}{} ", engine.name, suffix(engine.freq_suffix))?;
        match engine.state {
            EngineState::Off => out.write_str("off")?,
            EngineState::Load { load, freq_mhz } => write!(out, "{load}%@{freq_mhz}")?,
            EngineState::Freq(f) => write!(out, "{f}")?,
            EngineState::AtFreq(f) => write!(out, "@{f}")?,
        }
    }
    if let Some(ape) = sample.ape {
        write!(out, " APE {ape}")?;
    }
    if let Some(mts) = sample.mts {
        write!(out, " MTS fg {}% bg {}%", mts.fg, mts.bg)?;
    }
    for t in &sample.temperatures {
        write!(out, " {}@", t.name)?;
        celsius(t.current, out)?;
        if let Some(peak) = t.peak {
            out.write_char('/')?;
            celsius(peak, out)?;
        }
    }
    for rail in &sample.rails {
        let unit = if rail.unit_printed { "mW" } else { "" };
        write!(out, " {} {}{unit}/{}{unit}", rail.name, rail.current_mw, rail.average_mw)?;
        if let Some(peak) = rail.peak_mw {
            write!(out, "/{peak}{unit}")?;
        }
    }
    Ok(())
}

fn suffix(freq_suffix: bool) -> &'static str {
    if freq_suffix { "_FREQ" } else { "" }
}

fn gr3d<W: Write>(gpu: &Gr3d, out: &mut W) -> fmt::Result {
    write!(out, " {}{} ", gpu.name, suffix(gpu.freq_suffix))?;
    if let Some(load) = gpu.load {
        write!(out, "{load}%")?;
    }
    if gpu.freqs_mhz.is_empty() && !gpu.bracketed {
        return Ok(());
    }
    // The list as it was read: `@[f,f]`, or bare `@f` (and `@f,f`, which
    // the parser accepts too, so nothing read is lost on the way back).
    out.write_str(if gpu.bracketed { "@[" } else { "@" })?;
    for (i, f) in gpu.freqs_mhz.iter().enumerate() {
        if i > 0 {
            out.write_char(',')?;
        }
        write!(out, "{f}")?;
    }
    if gpu.bracketed {
        out.write_char(']')?;
    }
    Ok(())
}

/// Milli-°C as tegrastats prints them: `48C`, `47.562C`, `42.55C`, `-256C`.
fn celsius<W: Write>(reading: Reading, out: &mut W) -> fmt::Result {
    let milli = match reading {
        Reading::MilliCelsius(m) => m,
        Reading::Unavailable => Reading::SENTINEL_MILLI,
    };
    let sign = if milli < 0 { "-" } else { "" };
    let abs = milli.unsigned_abs();
    let (int, mut frac) = (abs / 1000, abs % 1000);
    write!(out, "{sign}{int}")?;
    if frac != 0 {
        let mut digits = 3;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        write!(out, ".{frac:0digits$}")?;
    }
    out.write_char('C')
}
