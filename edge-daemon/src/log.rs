//! Logging to stderr (journald picks it up under systemd), filtered by
//! `--log-level` (`--debug` means DEBUG).
//!
//! What is logged: at ERROR failures of the server itself; at WARNING a
//! collector that becomes degraded, with its reason; at INFO start-up,
//! shutdown and a collector that recovers; at DEBUG every request.

use core::sync::atomic::{AtomicU8, Ordering};

use crate::config::LogLevel;

static LEVEL: AtomicU8 = AtomicU8::new(LogLevel::Info as u8);

/// Sets the least severe level written.
pub fn init(level: LogLevel) {
    LEVEL.store(level as u8, Ordering::Relaxed);
}

/// Whether messages of `level` are written.
pub fn enabled(level: LogLevel) -> bool {
    level as u8 <= LEVEL.load(Ordering::Relaxed)
}

/// Writes one line at `level`.
pub fn write(level: LogLevel, message: core::fmt::Arguments<'_>) {
    if enabled(level) {
        eprintln!("edgestat: {level}: {message}");
    }
}

/// `log!(LogLevel::Warning, "…", args)`.
macro_rules! log {
    ($level:expr, $($arg:tt)*) => {
        $crate::log::write($level, format_args!($($arg)*))
    };
}
pub(crate) use log;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_filter_by_severity() {
        init(LogLevel::Warning);
        assert!(enabled(LogLevel::Error) && enabled(LogLevel::Warning));
        assert!(!enabled(LogLevel::Info) && !enabled(LogLevel::Debug));
        init(LogLevel::Debug);
        assert!(enabled(LogLevel::Debug));
        init(LogLevel::Info);
    }
}
