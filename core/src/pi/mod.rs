//! Raspberry Pi values from `vcgencmd`: temperature, clocks, volts,
//! throttling, memory split, firmware version, configuration, codecs,
//! camera, the command list and the Pi 5 PMIC rails.
//!
//! ```text
//! temp=42.8'C
//! frequency(48)=600169920
//! throttled=0x50005
//!   VDD_CORE_A current(7)=0.94657990A
//! ```
//! One type per command. Values keep the firmware's own resolution as
//! integers (milli-°C, µV, Hz, MB, nA, nV); their `Serialize` impls turn
//! them into the decimal numbers of the `edgestat parse vcgencmd` output. Every
//! capacity is a named constant in this module, with the capture behind it.

mod json;

use heapless::{String, Vec};

use crate::{DateTime, Name};

pub use json::NamedClock;

/// `get_config int` entries one reply may hold. The largest capture, a
/// Pi 3 `get_config int` (2018 firmware, corpus VC-B), prints 26; newer
/// firmware knows more options, so this leaves room for several times that.
pub const MAX_CONFIG_ENTRIES: usize = 128;

/// Longest `get_config` key, in bytes. Pi 3 keys reach 24 bytes
/// (`disable_commandline_tags`, `framebuffer_ignore_alpha`); Pi 4 adds a
/// `:N` display suffix to some.
pub const CONFIG_KEY_LEN: usize = 40;

/// Longest `get_config` string value, in bytes. `get_config str` prints
/// file names (a Pi 4's `kernel=kernel8.img`, 11 bytes); 64 leaves room
/// for longer names and overlay lists.
pub const CONFIG_VALUE_LEN: usize = 64;

/// Commands one `vcgencmd commands` reply may list. Pi 4 firmware of 2024
/// lists 70 (corpus VC-A10), Pi 3 firmware of 2018 lists 64 (VC-B).
pub const MAX_COMMANDS: usize = 128;

/// Rails one Pi 5 `pmic_read_adc` reply may hold. The Pi 5 prints 14
/// (12 with a current and a voltage, plus `EXT5V` and `BATT`; corpus VC-D1).
pub const MAX_PMIC_RAILS: usize = 24;

/// Longest firmware version hash, in bytes: a 40-digit git hash (Pi 4,
/// corpus VC-A9); the Pi 5 prints 8 digits.
pub const HASH_LEN: usize = 40;

/// Longest firmware variant, in bytes. Pi 4 firmware prints `start` or
/// `start_cd` (8 bytes), Pi 5 firmware `embedded` (8 bytes).
pub const VARIANT_LEN: usize = 16;

/// Longest firmware error message, in bytes. The longest seen is
/// `Command not registered` (22 bytes, Pi 5).
pub const ERROR_MESSAGE_LEN: usize = 64;

/// `measure_temp`: `temp=42.8'C`, the SoC temperature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Temperature {
    /// Temperature in milli-°C (the firmware prints one decimal).
    pub milli_celsius: i32,
}

/// `measure_clock <clock>`: `frequency(48)=600169920`.
///
/// The reply does not name the clock; the caller knows it from the command
/// argument and serializes it with [`NamedClock`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockReading {
    /// The firmware's clock id in parentheses (`48` for the Pi 4 ARM, `0`
    /// for every Pi 5 clock). Not stable across boards: never a key.
    pub id: u32,
    /// Frequency in Hz; `0` when the clock is off.
    pub hz: u64,
}

/// `measure_volts [core|sdram_c|sdram_i|sdram_p]`: `volt=0.8600V`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Volts {
    /// Voltage in µV (the firmware prints four decimals of a volt).
    pub microvolts: u32,
}

/// `get_throttled`: `throttled=0x50005`, the firmware's throttling bits.
///
/// Bits 0–3 say what is happening now, bits 16–19 whether the same thing
/// has happened since boot. Other bits are kept in [`Throttled::raw`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Throttled {
    /// The whole bit field as printed.
    pub raw: u32,
}

impl Throttled {
    /// Bit 0: under-voltage detected now.
    pub const UNDER_VOLTAGE: u32 = 1 << 0;
    /// Bit 1: ARM frequency capped now.
    pub const ARM_FREQ_CAPPED: u32 = 1 << 1;
    /// Bit 2: currently throttled.
    pub const THROTTLED: u32 = 1 << 2;
    /// Bit 3: soft temperature limit active now.
    pub const SOFT_TEMP_LIMIT: u32 = 1 << 3;
    /// Bit 16: under-voltage has occurred since boot.
    pub const UNDER_VOLTAGE_OCCURRED: u32 = 1 << 16;
    /// Bit 17: ARM frequency capping has occurred since boot.
    pub const ARM_FREQ_CAPPED_OCCURRED: u32 = 1 << 17;
    /// Bit 18: throttling has occurred since boot.
    pub const THROTTLED_OCCURRED: u32 = 1 << 18;
    /// Bit 19: the soft temperature limit has been active since boot.
    pub const SOFT_TEMP_LIMIT_OCCURRED: u32 = 1 << 19;

    /// Wraps the bit field.
    pub const fn from_raw(raw: u32) -> Self {
        Self { raw }
    }

    /// Whether every bit of `mask` is set.
    pub const fn has(self, mask: u32) -> bool {
        self.raw & mask == mask
    }

    /// Bit 0: under-voltage detected now.
    pub const fn under_voltage(self) -> bool {
        self.has(Self::UNDER_VOLTAGE)
    }

    /// Bit 1: ARM frequency capped now.
    pub const fn arm_freq_capped(self) -> bool {
        self.has(Self::ARM_FREQ_CAPPED)
    }

    /// Bit 2: currently throttled.
    pub const fn throttled(self) -> bool {
        self.has(Self::THROTTLED)
    }

    /// Bit 3: soft temperature limit active now.
    pub const fn soft_temp_limit(self) -> bool {
        self.has(Self::SOFT_TEMP_LIMIT)
    }

    /// Bit 16: under-voltage has occurred since boot.
    pub const fn under_voltage_occurred(self) -> bool {
        self.has(Self::UNDER_VOLTAGE_OCCURRED)
    }

    /// Bit 17: ARM frequency capping has occurred since boot.
    pub const fn arm_freq_capped_occurred(self) -> bool {
        self.has(Self::ARM_FREQ_CAPPED_OCCURRED)
    }

    /// Bit 18: throttling has occurred since boot.
    pub const fn throttled_occurred(self) -> bool {
        self.has(Self::THROTTLED_OCCURRED)
    }

    /// Bit 19: the soft temperature limit has been active since boot.
    pub const fn soft_temp_limit_occurred(self) -> bool {
        self.has(Self::SOFT_TEMP_LIMIT_OCCURRED)
    }
}

/// `get_mem arm|gpu`: `arm=948M`, one side of the ARM/GPU memory split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Memory {
    /// The region as printed before `=` (`arm`, `gpu`).
    pub region: Name,
    /// Size in MB.
    pub mb: u32,
}

/// `version`: the firmware build.
///
/// ```text
/// Feb 29 2024 12:24:53
/// Copyright (c) 2012 Broadcom
/// version f4e2138c2adc8f3a92a3a65939e458f11d7298ba (clean) (release) (start)
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirmwareVersion {
    /// Build time from line 1 (`Feb 29 2024 12:24:53` or Pi 5
    /// `2023/12/06 18:29:25`).
    pub date: DateTime,
    /// Git hash as printed: 40 hex digits, or 8 on the Pi 5.
    pub hash: String<HASH_LEN>,
    /// Whether the build was marked `(clean)`.
    pub clean: bool,
    /// The firmware variant in the last parentheses (`start`, `start_cd`,
    /// `embedded`, …); `None` when the firmware prints none.
    pub variant: Option<String<VARIANT_LEN>>,
}

/// `get_config int|str|<name>`: `key=value` lines in printed order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    /// Entries in printed order.
    pub entries: Vec<ConfigEntry, MAX_CONFIG_ENTRIES>,
}

impl Config {
    /// The value of `key`, if the reply had it.
    pub fn get(&self, key: &str) -> Option<&ConfigValue> {
        self.entries.iter().find(|e| e.key == key).map(|e| &e.value)
    }
}

/// One `key=value` line of `get_config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigEntry {
    /// The option name (`arm_freq`, `hdmi_group:0`).
    pub key: String<CONFIG_KEY_LEN>,
    /// Its value.
    pub value: ConfigValue,
}

/// A `get_config` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigValue {
    /// Decimal (`1200`), negative (`-23750`) or hex (`0x36ee80`) integer.
    Int(i64),
    /// Anything else, as printed (possibly empty).
    Str(String<CONFIG_VALUE_LEN>),
}

/// `codec_enabled <codec>`: `H264=enabled`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Codec {
    /// The codec as printed (`H264`, `MPG2`, …).
    pub codec: Name,
    /// `enabled` or `disabled`.
    pub enabled: bool,
}

/// `get_camera`: `supported=0 detected=0, libcamera interfaces=0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Camera {
    /// Legacy camera stack supported (`supported=`).
    pub supported: u32,
    /// Legacy cameras detected (`detected=`).
    pub detected: u32,
    /// `libcamera interfaces=`; `None` on firmware that does not print it.
    pub libcamera_interfaces: Option<u32>,
}

/// `commands`: `commands="commands, set_logging, …"`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Commands {
    /// Command names in printed order.
    pub names: Vec<Name, MAX_COMMANDS>,
}

/// `pmic_read_adc` (Pi 5): rails in first-printed order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pmic {
    /// One entry per rail name, its `_A` and `_V` lines merged.
    pub rails: Vec<PmicRail, MAX_PMIC_RAILS>,
}

impl Pmic {
    /// The rail called `name` (without `_A`/`_V`).
    pub fn rail(&self, name: &str) -> Option<&PmicRail> {
        self.rails.iter().find(|r| r.name == name)
    }
}

/// One Pi 5 PMIC rail: `VDD_CORE_A current(7)=…A` and `VDD_CORE_V volt(15)=…V`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PmicRail {
    /// Rail name without the `_A`/`_V` suffix (`VDD_CORE`, `EXT5V`).
    pub name: Name,
    /// The `current(<n>)` line: value in nA. `EXT5V` and `BATT` have none.
    pub current: Option<AdcReading>,
    /// The `volt(<n>)` line: value in nV.
    pub volts: Option<AdcReading>,
}

/// One PMIC ADC channel reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdcReading {
    /// The ADC channel in parentheses (`current(7)` → 7).
    pub channel: u16,
    /// The value in nano-units (nA for a current, nV for a voltage); the
    /// firmware prints 8 decimals, so the last digit is always 0.
    pub nano: i64,
}

/// `error=2 error_msg="Invalid arguments"`: vcgencmd's answer to a bad
/// command or argument, printed instead of the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirmwareError {
    /// The error code (`1` command not registered, `2` invalid arguments).
    pub code: i32,
    /// The message between the quotes.
    pub message: String<ERROR_MESSAGE_LEN>,
}
