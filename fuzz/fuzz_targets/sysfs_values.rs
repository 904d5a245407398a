//! Single-value sysfs files: thermal `temp` and `type`, cpufreq governor,
//! hwmon alarms. None of their parse functions panics.
#![no_main]

use edgestat_parsers::sysfs::{alarm, cpufreq, thermal};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = thermal::parse_temp(data);
    let _ = thermal::parse_type(data);
    let _ = cpufreq::parse_governor(data);
    let _ = alarm::parse(data);
    if let Some((type_file, temp)) = split_once(data, 0) {
        if let Ok(zone) = thermal::zone(0, type_file, Ok(temp)) {
            let mut json = [0u8; 1024];
            edgestat_core::json::to_slice(&zone, &mut json).expect("a zone fits 1 KiB of JSON");
        }
    }
});

fn split_once(data: &[u8], sep: u8) -> Option<(&[u8], &[u8])> {
    let at = data.iter().position(|&b| b == sep)?;
    Some((&data[..at], &data[at + 1..]))
}
