//! Bare-metal image that runs every parser and writes its JSON.
//!
//! Linking it for `thumbv7em-none-eabihf`, with `edgestat_parse` as the
//! image's entry (see `.cargo/config.toml`), proves that every parse and
//! serialize path needs neither `std` nor an allocator: the linker must
//! resolve all of it, and there is no global allocator to resolve against.
#![no_std]
#![no_main]

#[cfg(feature = "with-alloc")]
extern crate alloc;

use core::panic::PanicInfo;

use edgestat_core::json::to_slice;
use edgestat_parsers::{nv_tegra_release, procfs, sysfs, tegrastats, vcgencmd};

/// Which parser [`edgestat_parse`] runs.
#[repr(u8)]
pub enum Source {
    /// A tegrastats line.
    Tegrastats,
    /// A vcgencmd reply (every command is tried).
    Vcgencmd,
    /// A /proc file (every format is tried).
    Procfs,
    /// A sysfs file (every format is tried).
    Sysfs,
}

/// Parses `input` as `source` and writes JSON into `out`; returns the total
/// JSON length written by the parsers that accepted the input.
#[unsafe(no_mangle)]
pub extern "C" fn edgestat_parse(source: Source, input: &[u8; 4096], out: &mut [u8; 20480]) -> usize {
    #[cfg(feature = "with-alloc")]
    {
        let v = alloc::vec![1u8];
        core::hint::black_box(v);
    }
    let mut written = 0;
    macro_rules! emit {
        ($($parse:expr),* $(,)?) => {{
            $(if let Ok(value) = $parse(&input[..]) {
                written += to_slice(&value, out).unwrap_or(0);
            })*
        }};
    }
    match source {
        Source::Tegrastats => emit!(tegrastats::parse),
        Source::Vcgencmd => emit!(
            vcgencmd::measure_temp::parse,
            vcgencmd::measure_clock::parse,
            vcgencmd::measure_volts::parse,
            vcgencmd::get_throttled::parse,
            vcgencmd::get_mem::parse,
            vcgencmd::version::parse,
            vcgencmd::get_config::parse,
            vcgencmd::codec_enabled::parse,
            vcgencmd::get_camera::parse,
            vcgencmd::commands::parse,
            vcgencmd::pmic_read_adc::parse,
            vcgencmd::firmware_error::parse,
        ),
        Source::Procfs => emit!(
            procfs::stat::parse,
            procfs::meminfo::parse,
            procfs::loadavg::parse,
            procfs::uptime::parse,
            procfs::net_dev::parse,
            procfs::net_tcp::parse,
            procfs::net_snmp::parse,
            procfs::net_wireless::parse,
            procfs::diskstats::parse,
            procfs::mounts::parse,
            procfs::pid_stat::parse,
            procfs::pid_status::parse,
            procfs::cpuinfo::parse,
            procfs::device_tree_model::parse,
            nv_tegra_release::parse,
        ),
        Source::Sysfs => {
            emit!(
                sysfs::gpu_load::parse,
                sysfs::cpufreq::parse,
                sysfs::devfreq::parse,
                sysfs::cpulist::parse
            );
            if let Ok(zone) = sysfs::thermal::zone(0, &input[..64], Ok(&input[64..])) {
                written += to_slice(&zone, out).unwrap_or(0);
            }
            let files = [("in1_label", Ok(&input[..32])), ("in1_input", Ok(&input[32..64]))];
            if let Ok(device) = sysfs::ina3221::hwmon::parse_dir(files) {
                written += to_slice(&device, out).unwrap_or(0);
            }
            let files = [("rail_name_0", Ok(&input[..32])), ("in_power0_input", Ok(&input[32..64]))];
            if let Ok(device) = sysfs::ina3221::iio::parse_dir(files) {
                written += to_slice(&device, out).unwrap_or(0);
            }
        }
    }
    written
}

#[panic_handler]
fn panic(_: &PanicInfo<'_>) -> ! {
    loop {}
}
