//! Logging to stderr (journald picks it up under systemd), one line per
//! event, `PROGRAM: LEVEL: message`, filtered by a level set at start.
//!
//! What each program logs: at ERROR failures of the server itself; at
//! WARNING what a user should act on (a collector that became degraded, a
//! report refused); at INFO start-up, shutdown and recoveries; at DEBUG
//! every request.

use core::fmt;
use core::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

/// How much is logged, least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Errors only.
    Error,
    /// Errors and warnings.
    Warning,
    /// Also what the program is doing (the default).
    Info,
    /// Everything.
    Debug,
}

impl Level {
    /// `ERROR`, `WARNING` (or `WARN`), `INFO` or `DEBUG`, in any case.
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_uppercase().as_str() {
            "ERROR" => Some(Self::Error),
            "WARNING" | "WARN" => Some(Self::Warning),
            "INFO" => Some(Self::Info),
            "DEBUG" => Some(Self::Debug),
            _ => None,
        }
    }

    /// The upper-case name, as [`Level::parse`] reads it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "ERROR",
            Self::Warning => "WARNING",
            Self::Info => "INFO",
            Self::Debug => "DEBUG",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

static LEVEL: AtomicU8 = AtomicU8::new(Level::Info as u8);
static PROGRAM: OnceLock<&'static str> = OnceLock::new();

/// Sets the program name lines start with (once; later calls keep the
/// first) and the least severe level written.
pub fn init(program: &'static str, level: Level) {
    let _ = PROGRAM.set(program);
    LEVEL.store(level as u8, Ordering::Relaxed);
}

/// Whether messages of `level` are written.
pub fn enabled(level: Level) -> bool {
    level as u8 <= LEVEL.load(Ordering::Relaxed)
}

/// Writes one line at `level`.
pub fn write(level: Level, message: fmt::Arguments<'_>) {
    if enabled(level) {
        let program = PROGRAM.get().copied().unwrap_or("edgestat");
        eprintln!("{program}: {level}: {message}");
    }
}

/// `log!(Level::Warning, "…", args)`.
#[macro_export]
macro_rules! log {
    ($level:expr, $($arg:tt)*) => {
        $crate::log::write($level, format_args!($($arg)*))
    };
}
pub use crate::log;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_filter_by_severity_and_read_back() {
        init("test", Level::Warning);
        assert!(enabled(Level::Error) && enabled(Level::Warning));
        assert!(!enabled(Level::Info) && !enabled(Level::Debug));
        init("test", Level::Debug);
        assert!(enabled(Level::Debug));
        init("test", Level::Info);
        for level in [Level::Error, Level::Warning, Level::Info, Level::Debug] {
            assert_eq!(Level::parse(&level.as_str().to_lowercase()), Some(level));
        }
        assert_eq!(Level::parse("warn"), Some(Level::Warning));
        assert_eq!(Level::parse("loud"), None);
    }
}
