//! /proc/net/wireless contents: `procfs::net_wireless::parse` never panics, and what it accepts serializes.
#![no_main]

use edgestat_parsers::procfs::net_wireless;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = net_wireless::parse(data) {
        let mut json = vec![0u8; 1 << 16];
        edgestat_core::json::to_slice(&value, &mut json).expect("a parsed value fits 64 KiB of JSON");
    }
});
