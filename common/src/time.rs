//! The clock, and UTC as the seeds write it: ISO 8601 with microseconds
//! and `Z` (`2025-10-03T06:33:49.223455Z`, seeds 000 and 002), calendar days
//! (`2025-07-29`) and seed 002's zone-less seconds (`2025-07-29T17:55:48`).
//!
//! Times are integers since the Unix epoch: microseconds in the daemon,
//! milliseconds in the fleet manager. Dates are proleptic Gregorian, by
//! Howard Hinnant's `days_from_civil` and `civil_from_days`.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// Microseconds in a day.
const DAY_MICROS: i64 = 86_400_000_000;

/// Now, microseconds since the Unix epoch (0 before it).
pub fn now_micros() -> i64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since.as_micros()).unwrap_or(i64::MAX)
}

/// Now, milliseconds since the Unix epoch (0 before it).
pub fn now_ms() -> i64 {
    now_micros().div_euclid(1000)
}

/// Days since 1970-01-01 of a date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01: (year, month, day).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

/// The UTC day number of a time in milliseconds.
pub const fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

/// `2025-07-29` for a day number.
pub fn date(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `2025-10-03T06:33:49.223455Z` for microseconds since the epoch.
pub fn iso_micros(micros: i64) -> String {
    let (day, in_day) = (micros.div_euclid(DAY_MICROS), micros.rem_euclid(DAY_MICROS));
    let secs = in_day / 1_000_000;
    format!(
        "{}T{:02}:{:02}:{:02}.{:06}Z",
        date(day),
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        in_day % 1_000_000
    )
}

/// `2025-07-29T17:55:48.826000Z` for milliseconds since the epoch.
pub fn iso_ms(ms: i64) -> String {
    iso_micros(ms.saturating_mul(1000))
}

/// `2025-07-29T17:55:48` (seconds, no zone), as seed 002 writes
/// `client_monitor`'s `created_at` and `updated_at`.
pub fn naive(ms: i64) -> String {
    let full = iso_ms(ms);
    full.get(..19).unwrap_or(&full).to_owned()
}

/// The day number of a `YYYY-MM-DD` date; `None` unless it is one.
pub fn parse_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let num = |r: core::ops::Range<usize>| -> Option<u32> {
        let s = text.get(r)?;
        s.bytes().all(|c| c.is_ascii_digit()).then(|| s.parse().ok())?
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    let day = days_from_civil(i64::from(y), m, d);
    // 2025-02-30 would roll over into March: refuse it.
    (civil_from_days(day) == (i64::from(y), m, d)).then_some(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_timestamps() {
        // 2025-10-03T06:33:49.223455Z, the seed 000 example.
        assert_eq!(iso_micros(1_759_473_229_223_455), "2025-10-03T06:33:49.223455Z");
        assert_eq!(iso_micros(0), "1970-01-01T00:00:00.000000Z");
        // A leap day and a century.
        assert_eq!(iso_micros(951_782_400_000_000), "2000-02-29T00:00:00.000000Z");
        // 2025-07-29T17:55:48.826Z, the seed 002 example.
        assert_eq!(iso_ms(1_753_811_748_826), "2025-07-29T17:55:48.826000Z");
        assert_eq!(date(day_of(1_753_811_748_826)), "2025-07-29");
        assert_eq!(naive(1_753_811_748_826), "2025-07-29T17:55:48");
        assert_eq!(iso_ms(-1), "1969-12-31T23:59:59.999000Z");
    }

    #[test]
    fn dates_round_trip_and_refuse_nonsense() {
        assert_eq!(parse_date("2025-07-29"), Some(day_of(1_753_811_748_826)));
        assert_eq!(parse_date("2024-02-29").map(date).as_deref(), Some("2024-02-29"));
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-00-10",
            "2025-7-29",
            "2025/07/29",
            "",
            "２０２５-07-29",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        for day in [-1, 0, 59, 60, 20_000, 2_932_896] {
            assert_eq!(parse_date(&date(day)), Some(day));
        }
    }

    #[test]
    fn the_clock_is_after_2025() {
        assert!(now_micros() > 1_735_689_600_000_000);
        assert_eq!(now_ms() / 1000, now_micros() / 1_000_000);
    }
}
