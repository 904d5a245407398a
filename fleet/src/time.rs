//! UTC time as the seed writes it: ISO 8601 with microseconds and `Z`
//! (`2025-07-29T17:55:48.826362Z`), and calendar days (`2025-07-29`).
//! Times are kept as Unix milliseconds everywhere else.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// Now, Unix milliseconds.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number: (year, month, day).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
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

/// The UTC day number of a time.
pub const fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

/// `2025-07-29` for a day number.
pub fn date(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `2025-07-29T17:55:48.826000Z` for Unix milliseconds.
pub fn iso(ms: i64) -> String {
    let (day, in_day) = (ms.div_euclid(DAY_MS), ms.rem_euclid(DAY_MS));
    let secs = in_day / 1000;
    format!(
        "{}T{:02}:{:02}:{:02}.{:06}Z",
        date(day),
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        in_day % 1000 * 1000
    )
}

/// `2025-07-29T17:55:48` (seconds, no zone), as seed 002 writes
/// `client_monitor`'s `created_at` and `updated_at`.
pub fn naive(ms: i64) -> String {
    let full = iso(ms);
    full.get(..19).unwrap_or(&full).to_owned()
}

/// The day number of a `YYYY-MM-DD` date; `None` unless it is one.
pub fn parse_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
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
        // 2025-07-29T17:55:48.826Z, the seed's example instant.
        assert_eq!(iso(1_753_811_748_826), "2025-07-29T17:55:48.826000Z");
        assert_eq!(date(day_of(1_753_811_748_826)), "2025-07-29");
        assert_eq!(naive(1_753_811_748_826), "2025-07-29T17:55:48");
        assert_eq!(iso(0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(iso(-1), "1969-12-31T23:59:59.999000Z");
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
}
