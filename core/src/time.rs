//! Calendar timestamps as devices print them (no time zone, second precision).

use core::fmt;

use serde::{Serialize, Serializer};

/// A wall-clock time as printed by a device, without a time zone.
///
/// tegrastats prints `MM-DD-YYYY HH:MM:SS`; vcgencmd `version` prints
/// `Mon D YYYY HH:MM:SS` or `YYYY/MM/DD HH:MM:SS`. All serialize as ISO 8601
/// `YYYY-MM-DDTHH:MM:SS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct DateTime {
    /// Year, e.g. 2025.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31.
    pub day: u8,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute, 0–59.
    pub minute: u8,
    /// Second, 0–60 (60 for a leap second).
    pub second: u8,
}

impl DateTime {
    /// Builds a timestamp, or `None` when a part is out of its calendar range.
    pub fn new(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Option<Self> {
        let valid = (1..=12).contains(&month)
            && (1..=31).contains(&day)
            && hour < 24
            && minute < 60
            && second <= 60
            && year <= 9999;
        valid.then_some(Self { year, month, day, hour, minute, second })
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
