//! One tegrastats line, as every JetPack from L4T 28.1 to Thor prints it.
//!
//! ```text
//! 10-26-2025 05:10:55 RAM 6873/62841MB (lfb 3x4MB) SWAP 0/31421MB (cached 0MB)
//!   CPU [13%@729,9%@729,…] EMC_FREQ 1%@2133 GR3D_FREQ 40%@[305,305] NVENC off …
//!   APE 174 cpu@47.906C … VDD_GPU_SOC 3201mW/2934mW …
//! ```
//! Every field but `RAM` may be missing, so every field is optional or a
//! (possibly empty) list. Values keep the units tegrastats prints: MB, kB,
//! MHz, percent, milli-°C and mW.

mod json;

use heapless::Vec;

use crate::capacity::{
    MAX_CORES, MAX_ENGINES, MAX_GPCS, MAX_GR3D, MAX_RAILS, MAX_TEMPERATURES, MAX_UNKNOWN,
    UNKNOWN_TOKEN_LEN,
};
use crate::{DateTime, Name};

/// One parsed tegrastats line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TegraSample {
    /// The line's own `MM-DD-YYYY HH:MM:SS` prefix (JetPack 5.1.2 and later).
    pub timestamp: Option<DateTime>,
    /// The lower-case L4T ≤ 28.1 form (`cpu [..]@F EMC x%@F GR3D x%@F`).
    pub legacy: bool,
    /// `RAM used/totalMB (lfb NxSIZE)`, present on every tegrastats line.
    pub ram: Ram,
    /// `SWAP used/totalMB (cached NMB)`; absent when no swap is configured.
    pub swap: Option<Swap>,
    /// `IRAM used/totalkB(lfb NkB)`, TX1 and Nano only.
    pub iram: Option<Iram>,
    /// `CPU [..]`.
    pub cpu: Cpu,
    /// `EMC_FREQ x%[@MHz]` (legacy `EMC x%@MHz`).
    pub emc: Option<Emc>,
    /// `GR3D_FREQ …` tokens, in line order (`GR3D_FREQ`, then `GR3D2_FREQ`).
    pub gpus: Vec<Gr3d, MAX_GR3D>,
    /// Hardware engines (`NVENC`, `VIC_FREQ`, `NVDEC0_FREQ`, …) in line order.
    pub engines: Vec<Engine, MAX_ENGINES>,
    /// `APE <MHz>`.
    pub ape: Option<u32>,
    /// `MTS fg x% bg y%` (TX2 and Xavier, L4T 28–32).
    pub mts: Option<Mts>,
    /// `<name>@<value>C[/<peak>C]` sensors in line order.
    pub temperatures: Vec<Temperature, MAX_TEMPERATURES>,
    /// `<RAIL> cur/avg[/peak]` power rails in line order, repeats kept.
    pub rails: Vec<Rail, MAX_RAILS>,
    /// Tokens the parser did not recognise.
    pub unknown: Unknown,
}

/// `RAM used/totalMB (lfb NxSIZE)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ram {
    /// Used memory in MB.
    pub used_mb: u32,
    /// Total memory in MB.
    pub total_mb: u32,
    /// Largest free block: `count` blocks of `size`.
    pub lfb: Option<Lfb>,
}

/// Largest free block, `(lfb 3x4MB)` or `(lfb 1x512kB)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lfb {
    /// Number of blocks.
    pub count: u32,
    /// Size of one block, in `unit`.
    pub size: u32,
    /// Unit of `size` as printed.
    pub unit: SizeUnit,
}

/// A size unit as tegrastats prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeUnit {
    /// `kB`.
    KiloBytes,
    /// `MB`.
    MegaBytes,
}

impl SizeUnit {
    /// The unit as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            SizeUnit::KiloBytes => "kB",
            SizeUnit::MegaBytes => "MB",
        }
    }
}

/// `SWAP used/totalMB (cached NMB)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Swap {
    /// Used swap in MB.
    pub used_mb: u32,
    /// Total swap in MB.
    pub total_mb: u32,
    /// Swap cache in MB.
    pub cached_mb: Option<u32>,
}

/// `IRAM used/totalkB(lfb NkB)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Iram {
    /// Used IRAM in kB.
    pub used_kb: u32,
    /// Total IRAM in kB.
    pub total_kb: u32,
    /// Largest free block in kB.
    pub lfb_kb: Option<u32>,
}

/// `CPU [..]`: one entry per core, in core-id order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cpu {
    /// Cores in core-id order.
    pub cores: Vec<Core, MAX_CORES>,
    /// The legacy form's single frequency for all cores (`cpu [..]@408`).
    pub shared_freq_mhz: Option<u32>,
}

/// One CPU core: `load%@MHz`, `load%` (legacy) or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Core {
    /// The core is offline (`off`).
    Off,
    /// The core is online.
    On {
        /// Load in percent.
        load: u16,
        /// Frequency in MHz; `None` in the legacy form, which prints one
        /// frequency for the whole list ([`Cpu::shared_freq_mhz`]).
        freq_mhz: Option<u32>,
    },
}

/// `EMC_FREQ x%@MHz`, `EMC_FREQ x%`, or legacy `EMC x%@MHz`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Emc {
    /// Memory controller load in percent.
    pub load: u16,
    /// Memory controller frequency in MHz; missing without root.
    pub freq_mhz: Option<u32>,
}

/// A GPU token: `GR3D_FREQ x%`, `x%@F`, `x%@[F,..]`, Thor's `@[F,F,F]`, or
/// legacy `GR3D x%@F`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gr3d {
    /// Name without `_FREQ`: `GR3D`, `GR3D2`.
    pub name: Name,
    /// Whether the name was printed with `_FREQ`.
    pub freq_suffix: bool,
    /// Load in percent; Thor prints none.
    pub load: Option<u16>,
    /// Frequencies in MHz, one per GPC when bracketed; may be empty.
    pub freqs_mhz: Vec<u32, MAX_GPCS>,
    /// Whether the frequencies were printed as a bracketed list.
    pub bracketed: bool,
}

/// A hardware engine token (`NVENC`, `VIC_FREQ`, `NVDEC0_FREQ`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Engine {
    /// Name without `_FREQ`.
    pub name: Name,
    /// Whether the name was printed with `_FREQ`.
    pub freq_suffix: bool,
    /// What the token said.
    pub state: EngineState,
}

/// The four engine shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineState {
    /// `NVENC off`.
    Off,
    /// `NVENC 79%@166`: load in percent and frequency in MHz.
    Load {
        /// Load in percent.
        load: u16,
        /// Frequency in MHz.
        freq_mhz: u32,
    },
    /// `VIC_FREQ 729`: a bare frequency in MHz.
    Freq(u32),
    /// Thor's `NVENC0_FREQ @0`: a frequency in MHz after `@`, no load.
    AtFreq(u32),
}

/// `MTS fg x% bg y%`: foreground and background load in percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mts {
    /// Foreground load in percent.
    pub fg: u16,
    /// Background load in percent.
    pub bg: u16,
}

/// A temperature reading in milli-°C, or the `-256C` "unavailable" sentinel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// A reading in milli-°C.
    MilliCelsius(i32),
    /// tegrastats printed `-256C`: the sensor is offline.
    Unavailable,
}

impl Reading {
    /// The `-256C` sentinel, in milli-°C.
    pub const SENTINEL_MILLI: i32 = -256_000;

    /// Classifies a value in milli-°C, mapping the sentinel to [`Reading::Unavailable`].
    pub fn from_milli(milli: i32) -> Self {
        if milli == Self::SENTINEL_MILLI {
            Reading::Unavailable
        } else {
            Reading::MilliCelsius(milli)
        }
    }

    /// The reading in milli-°C, `None` when unavailable.
    pub fn milli(self) -> Option<i32> {
        match self {
            Reading::MilliCelsius(m) => Some(m),
            Reading::Unavailable => None,
        }
    }
}

/// `<name>@<value>C`, or JetPack 7's `<name>@<cur>C/<peak>C`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Temperature {
    /// Sensor name as printed (`CPU` on r35, `cpu` on r36).
    pub name: Name,
    /// Current reading.
    pub current: Reading,
    /// JetPack 7's peak since start; `None` on older releases.
    pub peak: Option<Reading>,
}

/// `<RAIL> cur/avg`, `<RAIL> curmW/avgmW`, or JetPack 7's three values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rail {
    /// Rail name as printed (`VDD_IN`, `NC`, `GPU`, …).
    pub name: Name,
    /// Instantaneous power in mW.
    pub current_mw: u32,
    /// Running average in mW.
    pub average_mw: u32,
    /// JetPack 7's peak in mW.
    pub peak_mw: Option<u32>,
    /// Whether values were printed with `mW` (L4T 32.5 and later).
    pub unit_printed: bool,
}

/// Tokens that no rule recognised: kept as data, never an error.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Unknown {
    /// How many unknown tokens the line had, including those past
    /// [`MAX_UNKNOWN`].
    pub count: u16,
    /// The first [`MAX_UNKNOWN`] tokens, each cut to [`UNKNOWN_TOKEN_LEN`] bytes.
    pub tokens: Vec<heapless::String<UNKNOWN_TOKEN_LEN>, MAX_UNKNOWN>,
}

impl Unknown {
    /// Records one unknown token: always counted, kept by name while there is room.
    pub fn record(&mut self, token: &[u8]) {
        self.count = self.count.saturating_add(1);
        let text = utf8_prefix(token, UNKNOWN_TOKEN_LEN);
        let mut name = heapless::String::new();
        if name.push_str(text).is_ok() {
            let _ = self.tokens.push(name);
        }
    }
}

/// The longest valid UTF-8 prefix of `bytes` of at most `max` bytes.
fn utf8_prefix(bytes: &[u8], max: usize) -> &str {
    let cut = bytes.get(..max).unwrap_or(bytes);
    match core::str::from_utf8(cut) {
        Ok(s) => s,
        Err(e) => cut
            .get(..e.valid_up_to())
            .and_then(|valid| core::str::from_utf8(valid).ok())
            .unwrap_or(""),
    }
}
