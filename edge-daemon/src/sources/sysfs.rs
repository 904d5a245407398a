//! The sysfs files read on every sample: thermal zones, INA3221 power
//! monitors, GPU load and frequency, CPU frequencies and the Raspberry Pi's
//! under-voltage alarm.
//!
//! Which files exist is discovered by [`Layout::discover`] (directory
//! listings), and refreshed now and then by the sampler, so a sample reads
//! only files, never directories. A file that vanishes between samples
//! empties its one value.

use std::path::{Path, PathBuf};

use edgestat_core::sysfs::{CpuSet, DevFreq, GpuLoad, Ina3221, ReadFault, ThermalZone};
use edgestat_parsers::sysfs::{alarm, cpufreq, cpulist, devfreq, gpu_load, ina3221, thermal};

use super::{Roots, numbered_entries, parse_file, read};
use crate::model::Fault;

/// Thermal zones a sample keeps. AGX Orin r35 dev kits have 11; x86
/// laptops with ACPI and NVMe zones have around 20.
pub const MAX_THERMAL_ZONES: usize = 32;

/// INA3221 devices a sample keeps. AGX Orin has 2 (`1-0040`, `1-0041`),
/// TX2 2, Nano 1.
pub const MAX_INA3221: usize = 4;

/// GPU `load` files, by board (FORMATS.md §5), tried in this order.
const GPU_LOAD_PATHS: [&str; 6] = [
    "devices/platform/bus@0/17000000.gpu/load",
    "devices/platform/gpu.0/load",
    "devices/gpu.0/load",
    "devices/57000000.gpu/load",
    "devices/17000000.gp10b/load",
    "devices/platform/17000000.gpu/load",
];

/// Largest sysfs attribute read here (a label or a number and a newline).
const ATTR_BUF: usize = 128;

/// Which files this host has, found by listing directories once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// `class/thermal/thermal_zone<N>`, by N.
    pub thermal_zones: Vec<(u32, PathBuf)>,
    /// INA3221 device directories: hwmon (`…/ina3221/*/hwmon/hwmon<N>`) or
    /// IIO (`…/ina3221x/*/iio:device<N>`), with the driver's parser.
    pub ina3221: Vec<(PathBuf, InaDriver)>,
    /// The GPU `load` file.
    pub gpu_load: Option<PathBuf>,
    /// The GPU devfreq `cur_freq` file (Hz).
    pub gpu_freq: Option<PathBuf>,
    /// `devices/system/cpu/cpu<N>/cpufreq/scaling_cur_freq`, by N.
    pub cpu_freqs: Vec<(u32, PathBuf)>,
    /// The CPUs the board has (`devices/system/cpu/present`), online or
    /// not; `/proc/stat` lists only the online ones.
    pub cpus_present: Option<CpuSet>,
    /// The Raspberry Pi firmware's under-voltage alarm (`rpi_volt` hwmon
    /// `in0_lcrit_alarm`).
    pub under_voltage: Option<PathBuf>,
}

/// The two INA3221 driver generations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InaDriver {
    /// Mainline `ina3221` (L4T ≥ 34).
    Hwmon,
    /// NVIDIA's `ina3221x` (L4T ≤ 32).
    Iio,
}

impl Layout {
    /// Lists the directories under the sysfs root.
    pub fn discover(roots: &Roots) -> Self {
        let thermal_zones = numbered_entries(&roots.sys("class/thermal"), "thermal_zone");
        let mut ina3221 = Vec::new();
        for device in subdirs(&roots.sys("bus/i2c/drivers/ina3221")) {
            for (_, dir) in numbered_entries(&device.join("hwmon"), "hwmon") {
                ina3221.push((dir, InaDriver::Hwmon));
            }
        }
        for device in subdirs(&roots.sys("bus/i2c/drivers/ina3221x")) {
            for (_, dir) in numbered_entries(&device, "iio:device") {
                ina3221.push((dir, InaDriver::Iio));
            }
        }
        let gpu_load = GPU_LOAD_PATHS.iter().map(|p| roots.sys(p)).find(|p| p.is_file());
        let gpu_freq = subdirs(&roots.sys("class/devfreq"))
            .into_iter()
            .find(|dir| dir.file_name().and_then(|n| n.to_str()).is_some_and(is_gpu_devfreq))
            .map(|dir| dir.join("cur_freq"));
        let cpu_freqs = numbered_entries(&roots.sys("devices/system/cpu"), "cpu")
            .into_iter()
            .map(|(n, dir)| (n, dir.join("cpufreq/scaling_cur_freq")))
            .filter(|(_, file)| file.is_file())
            .collect();
        let under_voltage = rpi_volt_hwmon(roots).map(|dir| dir.join("in0_lcrit_alarm"));
        let present = roots.sys("devices/system/cpu/present");
        let cpus_present = parse_file(&present, &mut [0u8; ATTR_BUF], cpulist::parse).ok();
        Layout {
            thermal_zones,
            ina3221,
            gpu_load,
            gpu_freq,
            cpu_freqs,
            cpus_present,
            under_voltage,
        }
    }
}

/// A GPU devfreq device: `17000000.gpu`, `57000000.gpu`, `17000000.gv11b`,
/// `17000000.ga10b`, Thor's `gpu-gpc-0`.
fn is_gpu_devfreq(name: &str) -> bool {
    name.contains("gpu") || name.ends_with(".gv11b") || name.ends_with(".ga10b")
}

/// The `rpi_volt` hwmon directory: under `class/hwmon`, else where the
/// firmware driver registers it.
fn rpi_volt_hwmon(roots: &Roots) -> Option<PathBuf> {
    let platform = roots.sys("devices/platform/soc/soc:firmware/raspberrypi-hwmon/hwmon");
    let mut buf = [0u8; ATTR_BUF];
    numbered_entries(&roots.sys("class/hwmon"), "hwmon")
        .into_iter()
        .chain(numbered_entries(&platform, "hwmon"))
        .map(|(_, dir)| dir)
        .find(|dir| read(&dir.join("name"), &mut buf).is_ok_and(|n| n.trim_ascii() == b"rpi_volt"))
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut dirs: Vec<PathBuf> =
        entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    dirs
}

/// Reads every thermal zone of `layout`. A zone whose `temp` fails keeps
/// the failure as its reading (an Orin `cv*-thermal` zone answers EAGAIN
/// while the CV cluster is off); a zone without a readable `type` is left
/// out and reported.
pub fn thermal_zones(
    layout: &Layout,
    zones: &mut heapless::Vec<ThermalZone, MAX_THERMAL_ZONES>,
    faults: &mut Vec<Fault>,
) {
    zones.clear();
    let mut type_buf = [0u8; ATTR_BUF];
    let mut temp_buf = [0u8; ATTR_BUF];
    for (index, dir) in &layout.thermal_zones {
        let type_path = dir.join("type");
        let type_file = match read(&type_path, &mut type_buf) {
            Ok(bytes) => bytes,
            Err(ReadFault::Missing) => continue, // the zone went away
            Err(fault) => {
                faults.push(Fault::read(&type_path, fault));
                continue;
            }
        };
        let temp_path = dir.join("temp");
        let temp_file = read(&temp_path, &mut temp_buf);
        // A sensor that is off answers EAGAIN (an Orin's CV zones) and reads
        // null: that is its state. A temp file that is gone, refused or not
        // a file at all is a fault to report.
        if let Err(fault @ (ReadFault::Missing | ReadFault::Denied | ReadFault::NotRegular)) =
            temp_file
        {
            faults.push(Fault::read(&temp_path, fault));
        }
        match thermal::zone(*index, type_file, temp_file) {
            Ok(zone) => {
                if zones.push(zone).is_err() {
                    faults.push(Fault::Tool(format!(
                        "thermal: more than {MAX_THERMAL_ZONES} zones; the rest are left out"
                    )));
                    return;
                }
            }
            Err(error) => faults.push(Fault::Parse { path: dir.clone(), error }),
        }
    }
}

/// Reads every INA3221 device of `layout` into `out`, using `buf` as the
/// scratch space for one device's files.
pub fn ina3221(layout: &Layout, buf: &mut [u8], out: &mut Vec<Ina3221>, faults: &mut Vec<Fault>) {
    out.clear();
    for (dir, driver) in layout.ina3221.iter().take(MAX_INA3221) {
        match read_ina_dir(dir, *driver, buf) {
            Ok(device) => out.push(device),
            Err(fault) => faults.push(fault),
        }
    }
}

/// Reads the channel files of one INA3221 directory back to back into
/// `buf` and hands them to the driver's parser.
fn read_ina_dir(dir: &Path, driver: InaDriver, buf: &mut [u8]) -> Result<Ina3221, Fault> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Fault::read(dir, ReadFault::from_errno(e.raw_os_error().unwrap_or(0))))?;
    // Each file's name, and where its contents sit in `buf`.
    type Slot = (String, Result<(usize, usize), ReadFault>);
    let mut files: Vec<Slot> = Vec::new();
    let mut used = 0;
    for entry in entries.filter_map(Result::ok) {
        let Ok(name) = entry.file_name().into_string() else { continue };
        if !is_channel_file(&name, driver) {
            continue;
        }
        let free = buf.get_mut(used..).unwrap_or_default();
        let result = read(&entry.path(), free).map(|bytes| (used, bytes.len()));
        if let Ok((_, len)) = result {
            used += len;
        }
        files.push((name, result));
    }
    let contents = &*buf;
    let pairs = files.iter().map(|(name, result)| {
        let file = result.map(|(at, len)| contents.get(at..at + len).unwrap_or_default());
        (name.as_str(), file)
    });
    let parsed = match driver {
        InaDriver::Hwmon => ina3221::hwmon::parse_dir(pairs),
        InaDriver::Iio => ina3221::iio::parse_dir(pairs),
    };
    parsed.map_err(|error| Fault::Parse { path: dir.to_path_buf(), error })
}

fn is_channel_file(name: &str, driver: InaDriver) -> bool {
    match driver {
        InaDriver::Hwmon => name.starts_with("in") || name.starts_with("curr"),
        InaDriver::Iio => {
            name.starts_with("rail_name_")
                || name.starts_with("in_")
                || name.starts_with("warn_current_limit_")
                || name.starts_with("crit_current_limit_")
        }
    }
}

/// The GPU load, if this board has the file.
pub fn gpu_load(layout: &Layout, faults: &mut Vec<Fault>) -> Option<GpuLoad> {
    let path = layout.gpu_load.as_ref()?;
    parse_file(path, &mut [0u8; ATTR_BUF], gpu_load::parse).map_err(|f| faults.push(f)).ok()
}

/// The GPU devfreq frequency, if this board has one.
pub fn gpu_freq(layout: &Layout, faults: &mut Vec<Fault>) -> Option<DevFreq> {
    let path = layout.gpu_freq.as_ref()?;
    parse_file(path, &mut [0u8; ATTR_BUF], devfreq::parse).map_err(|f| faults.push(f)).ok()
}

/// Each CPU's current frequency in kHz, by CPU number; `None` for a CPU
/// whose file failed (an offline CPU has none).
pub fn cpu_freqs(layout: &Layout) -> impl Iterator<Item = (u32, Option<u32>)> + '_ {
    let mut buf = [0u8; ATTR_BUF];
    layout
        .cpu_freqs
        .iter()
        .map(move |(n, path)| (*n, parse_file(path, &mut buf, cpufreq::parse).ok().map(|f| f.khz)))
}

/// The Pi's under-voltage alarm now, if this board has it.
pub fn under_voltage(layout: &Layout, faults: &mut Vec<Fault>) -> Option<bool> {
    let path = layout.under_voltage.as_ref()?;
    parse_file(path, &mut [0u8; ATTR_BUF], alarm::parse).map_err(|f| faults.push(f)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Roots {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../parsers/tests/data/sysfs");
        Roots { sysfs: root.join(name).join("sys"), ..Roots::default() }
    }

    #[test]
    fn orin_layout_and_readings() {
        let roots = fixture("orin-agx-r36");
        let layout = Layout::discover(&roots);
        assert_eq!(layout.thermal_zones.len(), 9);
        assert_eq!(layout.ina3221.len(), 2);
        let mut zones = heapless::Vec::new();
        let mut faults = Vec::new();
        thermal_zones(&layout, &mut zones, &mut faults);
        assert_eq!(zones.first().map(|z| z.name.as_str()), Some("cpu-thermal"));
        let mut buf = vec![0u8; 16 * 1024];
        let mut devices = Vec::new();
        ina3221(&layout, &mut buf, &mut devices, &mut faults);
        assert!(faults.is_empty(), "{faults:?}");
        let gpu = devices.iter().find_map(|d| d.rail("VDD_GPU_SOC")).unwrap();
        assert!(gpu.milliwatts.is_some());
    }
}
