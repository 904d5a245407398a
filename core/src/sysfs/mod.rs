//! Values read from sysfs: thermal zones, INA3221 power monitors (both
//! driver generations), GPU load, cpufreq and devfreq clocks, hwmon alarms.
//!
//! ```text
//! /sys/class/thermal/thermal_zone0/temp                               44388
//! /sys/bus/i2c/drivers/ina3221/1-0040/hwmon/hwmon3/in1_label          VDD_GPU_SOC
//! /sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0/in_power0_input    1020
//! /sys/devices/gpu.0/load                                             1000
//! ```
//! Values keep the kernel's integers (milli-°C, mV, mA, mW, kHz, Hz, per
//! mille). A file that exists in the layout but could not be read is a
//! [`ReadFault`], kept next to the other values instead of failing the
//! whole device.

mod json;

use heapless::Vec;

use crate::Name;

/// Channels of one INA3221 device: its three inputs plus the mainline
/// driver's summation channel (`in7_label` = `sum of shunt voltages`,
/// `curr4_*`), as on the AGX Orin `1-0040` monitor (L4T r36).
pub const MAX_INA3221_CHANNELS: usize = 4;

/// Why a sysfs file that should exist gave no contents.
///
/// The caller does the reading and maps its error here; see
/// [`ReadFault::from_errno`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadFault {
    /// The file does not exist (`ENOENT`, `ENODEV`).
    Missing,
    /// `Input/output error` (`EIO`, `ENXIO`), e.g. an INA3221 attribute on
    /// a powered-down bus.
    Io,
    /// `Resource temporarily unavailable` (`EAGAIN`), e.g. Orin `cv*-thermal`
    /// zones while the CV cluster is off.
    Again,
    /// `Invalid argument` (`EINVAL`), e.g. `thermal_zone0/temp` on a Pi 3B+
    /// with a 64-bit 5.10 kernel.
    Invalid,
    /// `No data available` (`ENODATA`): the mainline INA3221 driver's answer
    /// for a disabled channel's values.
    NoData,
    /// `Permission denied` (`EACCES`, `EPERM`).
    Denied,
    /// The file is larger than the reader's fixed buffer.
    TooLarge,
    /// Not a regular file: a FIFO, socket or device where a sensor file
    /// should be, which could block a reader forever; it is not read.
    NotRegular,
    /// Any other failure.
    Other,
}

impl ReadFault {
    /// Classifies a Linux errno (generic numbering, as on arm, arm64, x86
    /// and riscv), e.g. from `std::io::Error::raw_os_error`.
    pub const fn from_errno(errno: i32) -> Self {
        match errno {
            2 | 19 => ReadFault::Missing,
            5 | 6 => ReadFault::Io,
            11 => ReadFault::Again,
            22 => ReadFault::Invalid,
            61 => ReadFault::NoData,
            1 | 13 => ReadFault::Denied,
            _ => ReadFault::Other,
        }
    }

    /// A short lower-case name (`"missing"`, `"io"`, `"again"`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            ReadFault::Missing => "missing",
            ReadFault::Io => "io",
            ReadFault::Again => "again",
            ReadFault::Invalid => "invalid",
            ReadFault::NoData => "no_data",
            ReadFault::Denied => "denied",
            ReadFault::TooLarge => "too_large",
            ReadFault::NotRegular => "not_regular",
            ReadFault::Other => "other",
        }
    }
}

/// One thermal zone: `thermal_zone<N>/type` and `thermal_zone<N>/temp`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThermalZone {
    /// `N` of `thermal_zone<N>`.
    pub index: u32,
    /// The `type` file (`cpu-thermal`, `CPU-therm`, …).
    pub name: Name,
    /// The `temp` file in milli-°C (may be negative), or why it could not
    /// be read. On Orin `cv*-thermal` zones a reading of exactly `0` is
    /// what the kernel returned and is kept as data.
    pub milli_celsius: Result<i32, ReadFault>,
}

/// The two INA3221 driver generations on Jetson boards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ina3221Driver {
    /// NVIDIA's IIO driver `ina3221x` (L4T ≤ 32: TX1, TX2, Nano, Xavier):
    /// channels 0–2, power read from `in_power<ch>_input`.
    Iio,
    /// The mainline hwmon driver `ina3221` (L4T ≥ 34, Orin): channels 1–3
    /// plus the summation channel 7; power computed by [`power_mw`].
    Hwmon,
}

/// What an INA3221 channel measures, from its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelKind {
    /// A named rail (`VDD_GPU_SOC`, `POM_5V_IN`, …), or a channel whose
    /// label could not be read.
    Rail,
    /// Label `NC`: nothing is connected.
    NotConnected,
    /// Label `sum of shunt voltages`: the hwmon summation channel.
    ShuntSum,
}

/// One INA3221 channel. Every value is `None` when its file is absent or
/// could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ina3221Channel {
    /// The channel number as the driver names it: 0–2 (IIO), 1–3 or 7
    /// (hwmon summation).
    pub channel: u8,
    /// What the channel measures.
    pub kind: ChannelKind,
    /// `rail_name_<ch>` or `in<ch>_label`.
    pub label: Option<Name>,
    /// Bus voltage in mV (`in_voltage<ch>_input`, `in<ch>_input`).
    pub millivolts: Option<i32>,
    /// Current in mA (`in_current<ch>_input`, `curr<ch>_input`; the
    /// summation channel's `curr4_input`).
    pub milliamps: Option<i32>,
    /// Power in mW: `in_power<ch>_input` (IIO), or [`power_mw`] of the
    /// voltage and current (hwmon).
    pub milliwatts: Option<i32>,
    /// Shunt voltage in µV (hwmon `in<ch+3>_input`; `in7_input` for the
    /// summation channel).
    pub shunt_microvolts: Option<i32>,
    /// Warning current limit in mA (`warn_current_limit_<ch>`, `curr<ch>_max`).
    pub max_milliamps: Option<i32>,
    /// Critical current limit in mA (`crit_current_limit_<ch>`, `curr<ch>_crit`).
    pub crit_milliamps: Option<i32>,
    /// `curr<ch>_max_alarm` (hwmon only).
    pub max_alarm: Option<bool>,
    /// `curr<ch>_crit_alarm` (hwmon only).
    pub crit_alarm: Option<bool>,
}

impl Ina3221Channel {
    /// A channel with nothing read yet.
    pub const fn new(channel: u8) -> Self {
        Self {
            channel,
            kind: ChannelKind::Rail,
            label: None,
            millivolts: None,
            milliamps: None,
            milliwatts: None,
            shunt_microvolts: None,
            max_milliamps: None,
            crit_milliamps: None,
            max_alarm: None,
            crit_alarm: None,
        }
    }
}

/// One INA3221 device directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ina3221 {
    /// Which driver generation the files came from.
    pub driver: Ina3221Driver,
    /// Channels in channel-number order; only those with at least one file.
    pub channels: Vec<Ina3221Channel, MAX_INA3221_CHANNELS>,
}

impl Ina3221 {
    /// The channel labelled `label`.
    pub fn rail(&self, label: &str) -> Option<&Ina3221Channel> {
        self.channels.iter().find(|c| c.label.as_deref() == Some(label))
    }
}

/// Power in mW from mV and mA: `mV × mA / 1000`, computed exactly in 64
/// bits and rounded to the nearest mW, halves away from zero
/// (`5000 mV × 204 mA` → 1020 mW; `1 mV × 500 mA` → 1 mW). `None` when the
/// result does not fit an `i32`.
pub fn power_mw(millivolts: i32, milliamps: i32) -> Option<i32> {
    let micro = i64::from(millivolts) * i64::from(milliamps);
    let half = if micro < 0 { -500 } else { 500 };
    i32::try_from((micro + half) / 1000).ok()
}

/// A GPU `load` file: the GPU's busy share in per mille (0–1000).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GpuLoad {
    /// Load in per mille; 1000 is fully busy.
    pub per_mille: u16,
}

/// A cpufreq frequency file (`scaling_cur_freq`, `cpuinfo_max_freq`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CpuFreq {
    /// Frequency in kHz.
    pub khz: u32,
}

/// CPUs a kernel list names (`/sys/devices/system/cpu/present`, `online`,
/// `offline`): `0-3,6`. Up to [`CpuSet::CAPACITY`] CPUs, the same bound as
/// `/proc/stat`'s [`crate::linux::MAX_CPUS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CpuSet {
    bits: [u64; 2],
}

impl CpuSet {
    /// CPU numbers a set can hold: 0 to 127.
    pub const CAPACITY: u32 = 128;

    /// Adds CPU `n`; `false` when `n` is beyond [`CpuSet::CAPACITY`].
    pub fn insert(&mut self, n: u32) -> bool {
        let Some(word) = self.bits.get_mut((n / 64) as usize) else { return false };
        *word |= 1 << (n % 64);
        true
    }

    /// Whether CPU `n` is in the set.
    pub fn contains(&self, n: u32) -> bool {
        self.bits.get((n / 64) as usize).is_some_and(|word| word & (1 << (n % 64)) != 0)
    }

    /// The CPUs in the set, in order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..Self::CAPACITY).filter(|&n| self.contains(n))
    }

    /// How many CPUs the set holds.
    pub fn len(&self) -> u32 {
        self.bits.iter().map(|w| w.count_ones()).sum()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A devfreq frequency file (`cur_freq`, `min_freq`, `max_freq`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DevFreq {
    /// Frequency in Hz.
    pub hz: u64,
}
