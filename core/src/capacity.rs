//! Every fixed capacity of the model, with the worst real device behind it.
//!
//! A parser that meets more entries than a capacity allows returns an
//! explicit capacity error naming the field; nothing is dropped silently.
//! Capacities of the Raspberry Pi, sysfs and /proc models sit beside their
//! types in [`crate::pi`], [`crate::sysfs`] and [`crate::linux`].

/// Longest sensor, rail, engine or interface name, in bytes.
///
/// The longest names seen are 15 bytes (`VDDQ_VDD2_1V8AO`, `VDD_CPU_SOC_MSS`);
/// Linux interface names are at most 15 bytes (`IFNAMSIZ` - 1).
pub const NAME_LEN: usize = 32;

/// CPU cores in one tegrastats `CPU [..]` list. Jetson Thor T5000 has 14.
pub const MAX_CORES: usize = 16;

/// Temperature sensors on one tegrastats line. Orin r35 dev kits print 11
/// (`CV0 CPU SOC2 SOC0 CV1 GPU tj SOC1 CV2 Tboard Tdiode`).
pub const MAX_TEMPERATURES: usize = 16;

/// Power rails on one tegrastats line. AGX Orin prints 6, repeated `NC`
/// included; TX2 prints 6.
pub const MAX_RAILS: usize = 12;

/// Hardware engines on one tegrastats line. AGX Orin r36 prints 9
/// (`NVENC NVDEC NVJPG NVJPG1 VIC OFA NVDLA0 NVDLA1 PVA0_FREQ`); Thor 8.
pub const MAX_ENGINES: usize = 16;

/// GPC frequencies in one `GR3D_FREQ x%@[f,..]` list. Thor prints 3.
pub const MAX_GPCS: usize = 4;

/// `GR3D*_FREQ` tokens on one line. The Orin r35 sudo template prints
/// `GR3D_FREQ` and `GR3D2_FREQ`.
pub const MAX_GR3D: usize = 2;

/// Unknown tokens whose names a sample keeps. More are still counted in
/// [`crate::tegra::Unknown::count`].
pub const MAX_UNKNOWN: usize = 8;

/// Longest unknown token kept by name, in bytes; longer ones keep this
/// many bytes (cut at a character boundary) and are still counted.
pub const UNKNOWN_TOKEN_LEN: usize = NAME_LEN;

/// Upper bound of [`crate::tegra::TegraSample`] serialized as the seed 000
/// `/api/status` object by [`crate::json::to_slice`]. A test serializes the
/// worst-case sample (every container full, every name [`NAME_LEN`] control
/// characters that JSON escapes to six bytes each,
/// every number at its widest) and checks that it fits.
pub const TEGRA_JSON_MAX: usize = 18 * 1024;
