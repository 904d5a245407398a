//! Logging to stderr, one line per event, under a level set at start.

use std::sync::atomic::{AtomicU8, Ordering};

/// 0 error, 1 warning, 2 info, 3 debug.
static LEVEL: AtomicU8 = AtomicU8::new(2);

/// Sets the threshold.
pub fn set_level(level: u8) {
    LEVEL.store(level, Ordering::Relaxed);
}

/// Whether `level` is logged.
pub fn enabled(level: u8) -> bool {
    level <= LEVEL.load(Ordering::Relaxed)
}

/// `log!(level, "format", args…)`: level 0 error … 3 debug.
macro_rules! log {
    ($level:expr, $($arg:tt)*) => {
        if $crate::log::enabled($level) {
            const NAMES: [&str; 4] = ["error", "warning", "info", "debug"];
            eprintln!("edgestat-fleet {}: {}", NAMES[usize::from($level).min(3)], format_args!($($arg)*));
        }
    };
}
pub(crate) use log;

/// Levels, named.
pub const ERROR: u8 = 0;
/// Levels, named.
pub const WARNING: u8 = 1;
/// Levels, named.
pub const INFO: u8 = 2;
/// Levels, named.
pub const DEBUG: u8 = 3;
