//! INA3221 directories: `ina3221::iio::parse_dir` (legacy `ina3221x`) and
//! `ina3221::hwmon::parse_dir` (mainline) never panic on any set of files.
//! Input: records `name=contents` separated by NUL; a record `name!` stands
//! for a file that failed to read.
#![no_main]

use edgestat_core::sysfs::ReadFault;
use edgestat_parsers::sysfs::ina3221::{hwmon, iio};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let files = || {
        data.split(|&b| b == 0).filter_map(|record| {
            let at = record.iter().position(|&b| b == b'=' || b == b'!')?;
            let name = std::str::from_utf8(&record[..at]).ok()?;
            let contents = &record[at + 1..];
            Some(match record[at] {
                b'=' => (name, Ok(contents)),
                _ => (name, Err(ReadFault::Io)),
            })
        })
    };
    let mut json = [0u8; 8192];
    if let Ok(device) = iio::parse_dir(files()) {
        edgestat_core::json::to_slice(&device, &mut json).expect("a device fits 8 KiB of JSON");
    }
    if let Ok(device) = hwmon::parse_dir(files()) {
        edgestat_core::json::to_slice(&device, &mut json).expect("a device fits 8 KiB of JSON");
    }
});
