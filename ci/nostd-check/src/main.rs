//! Bare-metal image that parses a tegrastats line and writes its JSON.
//!
//! Linking it for `thumbv7em-none-eabihf` proves that parse + serialize need
//! neither `std` nor an allocator.
#![no_std]
#![no_main]

#[cfg(feature = "with-alloc")]
extern crate alloc;

use core::panic::PanicInfo;

/// Parses `len` bytes at `line` and writes JSON into `out`; returns the JSON
/// length, or 0 when the line or the buffer did not fit.
#[unsafe(no_mangle)]
pub extern "C" fn edgestat_parse(line: &[u8; 512], out: &mut [u8; 20480]) -> usize {
    #[cfg(feature = "with-alloc")]
    {
        let v = alloc::vec![1u8];
        core::hint::black_box(v);
    }
    match edgestat_parsers::tegrastats::parse(line) {
        Ok(sample) => edgestat_core::json::to_slice(&sample, out).unwrap_or(0),
        Err(_) => 0,
    }
}

#[panic_handler]
fn panic(_: &PanicInfo<'_>) -> ! {
    loop {}
}
