//! tegrastats::parse never panics; an accepted line serializes within
//! TEGRA_JSON_MAX, and rendering it back parses to the same sample.
#![no_main]

use edgestat_core::capacity::TEGRA_JSON_MAX;
use edgestat_parsers::tegrastats;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(mut sample) = tegrastats::parse(data) else { return };
    let mut json = [0u8; TEGRA_JSON_MAX];
    assert!(edgestat_core::json::to_slice(&sample, &mut json).is_ok());
    sample.unknown = Default::default();
    let mut line = String::new();
    tegrastats::render(&sample, &mut line).unwrap();
    assert_eq!(tegrastats::parse(line.as_bytes()).as_ref(), Ok(&sample), "{line}");
});
