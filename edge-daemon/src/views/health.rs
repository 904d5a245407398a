//! `/api/health` (seed 000) and `/health` (seed 001): whether the daemon
//! has a fresh sample and which sources failed in it, and why.
//!
//! ```json
//! {"status":"degraded","service":"tegrastats-api","timestamp":"…","connected_clients":0,
//!  "version":"0.1.0","platform":{"kind":"raspberry_pi",…},"sample_age":0.412,
//!  "collectors":{"vcgencmd":["…"]}}
//! ```

use edgestat_core::json::Scaled;
use serde::{Serialize, Serializer};

use super::json::{Iso, MapOf, UnixSecs};
use crate::model::{Collector, Platform, Sample};

/// A sample older than this many sampler intervals is stale: the sampler
/// has stopped publishing.
pub const STALE_INTERVALS: i64 = 3;

/// How old a sample is, and how old it may be.
#[derive(Debug, Clone, Copy)]
pub struct Age {
    /// Now, µs since the epoch.
    pub now_micros: i64,
    /// The sampler period, µs.
    pub interval_micros: i64,
}

impl Age {
    /// The latest sample's age, µs.
    fn of(&self, sample: &Sample) -> i64 {
        self.now_micros.saturating_sub(sample.unix_micros)
    }

    fn stale(&self, sample: &Sample) -> bool {
        self.of(sample) > STALE_INTERVALS.saturating_mul(self.interval_micros)
    }
}

/// `starting` before the first sample, `stale` when the latest is older
/// than [`STALE_INTERVALS`] intervals, `degraded` while a source fails,
/// else `healthy`.
pub fn status(latest: Option<&Sample>, age: Age) -> &'static str {
    match latest {
        None => "starting",
        Some(s) if age.stale(s) => "stale",
        Some(s) if !s.degraded() => "healthy",
        Some(_) => "degraded",
    }
}

/// Seed 000's `/api/health`, plus the platform and which collectors are
/// degraded and why.
pub struct ApiHealth<'a> {
    /// The latest sample, if any.
    pub latest: Option<&'a Sample>,
    /// The board.
    pub platform: &'a Platform,
    /// Live clients now.
    pub connected_clients: u32,
    /// Now, and the sampler period.
    pub age: Age,
}

impl Serialize for ApiHealth<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Body<'a> {
            status: &'static str,
            service: &'static str,
            timestamp: Iso,
            connected_clients: u32,
            version: &'static str,
            platform: &'a Platform,
            sample_age: Option<Scaled>,
            collectors: Collectors<'a>,
        }
        Body {
            status: status(self.latest, self.age),
            service: "tegrastats-api",
            timestamp: Iso(self.age.now_micros),
            connected_clients: self.connected_clients,
            version: env!("CARGO_PKG_VERSION"),
            platform: self.platform,
            sample_age: sample_age(self.latest, self.age),
            collectors: Collectors(self.latest),
        }
        .serialize(serializer)
    }
}

/// piStat's `/health`: status and the host's uptime.
pub struct Health<'a> {
    /// The latest sample, if any.
    pub latest: Option<&'a Sample>,
    /// Now, and the sampler period.
    pub age: Age,
}

impl Serialize for Health<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Body<'a> {
            status: &'static str,
            uptime: Option<Scaled>,
            timestamp: UnixSecs,
            sample_age: Option<Scaled>,
            collectors: Collectors<'a>,
        }
        let uptime = self.latest.and_then(|s| s.uptime_cs);
        Body {
            status: status(self.latest, self.age),
            uptime: uptime.map(|cs| Scaled(i64::try_from(cs).unwrap_or(i64::MAX), 100)),
            timestamp: UnixSecs(self.age.now_micros),
            sample_age: sample_age(self.latest, self.age),
            collectors: Collectors(self.latest),
        }
        .serialize(serializer)
    }
}

/// The latest sample's age, seconds to the millisecond (additive).
fn sample_age(latest: Option<&Sample>, age: Age) -> Option<Scaled> {
    latest.map(|s| Scaled(age.of(s).max(0) / 1000, 1000))
}

/// `{"procfs": ["why", …], "vcgencmd": […]}`: each collector that failed
/// in the latest sample, with every reason.
struct Collectors<'a>(Option<&'a Sample>);

impl Serialize for Collectors<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let faults = self.0.map(|s| s.faults.as_slice()).unwrap_or_default();
        let failed =
            || Collector::ALL.into_iter().filter(|c| faults.iter().any(|d| d.collector == *c));
        MapOf(|| {
            failed().map(|c| {
                let reasons: Vec<String> = faults
                    .iter()
                    .filter(|d| d.collector == c)
                    .map(|d| d.fault.to_string())
                    .collect();
                (c.as_str(), reasons)
            })
        })
        .serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_older_than_three_intervals_is_stale() {
        let sample = Sample { seq: 1, unix_micros: 10_000_000, ..Sample::default() };
        let at = |now_micros| Age { now_micros, interval_micros: 1_000_000 };
        assert_eq!(status(None, at(10_000_000)), "starting");
        assert_eq!(status(Some(&sample), at(13_000_000)), "healthy", "3 intervals old");
        assert_eq!(status(Some(&sample), at(13_000_001)), "stale");
        let body = |now| {
            let health = Health { latest: Some(&sample), age: at(now) };
            String::from_utf8(crate::views::json::to_bytes(&health).unwrap().to_vec()).unwrap()
        };
        assert!(body(14_500_000).contains(r#""status":"stale""#));
        assert!(body(14_500_000).contains(r#""sample_age":4.5"#), "{}", body(14_500_000));
    }
}
