//! tegrastats: `parse` never panics; an accepted line serializes within
//! TEGRA_JSON_MAX, renders back to the same sample, and `parse_into` on a
//! sample reused across inputs (as the daemon does) agrees with `parse`.
#![no_main]

use std::cell::RefCell;

use edgestat_core::capacity::TEGRA_JSON_MAX;
use edgestat_core::tegra::TegraSample;
use edgestat_parsers::tegrastats;
use libfuzzer_sys::fuzz_target;

thread_local! {
    static REUSED: RefCell<TegraSample> = RefCell::new(TegraSample::default());
}

fuzz_target!(|data: &[u8]| {
    let fresh = tegrastats::parse(data);
    REUSED.with_borrow_mut(|reused| {
        let into = tegrastats::parse_into(data, reused);
        assert_eq!(into.err(), fresh.as_ref().err().copied());
        if let Ok(fresh) = &fresh {
            assert_eq!(reused, fresh);
        }
    });
    let Ok(mut sample) = fresh else { return };
    let mut json = [0u8; TEGRA_JSON_MAX];
    assert!(edgestat_core::json::to_slice(&sample, &mut json).is_ok());
    sample.unknown = Default::default();
    let mut line = String::new();
    tegrastats::render(&sample, &mut line).unwrap();
    assert_eq!(tegrastats::parse(line.as_bytes()).as_ref(), Ok(&sample), "{line}");
});
