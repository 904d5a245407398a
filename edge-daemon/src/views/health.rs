//! `/api/health` (seed 000) and `/health` (seed 001): whether the daemon
//! has a sample and which sources failed in it, and why.
//!
//! ```json
//! {"status":"degraded","service":"tegrastats-api","timestamp":"…","connected_clients":0,
//!  "version":"0.1.0","platform":{"kind":"raspberry_pi",…},"collectors":{"vcgencmd":["…"]}}
//! ```

use edgestat_core::json::Scaled;
use serde::{Serialize, Serializer};

use super::json::{Iso, MapOf, UnixSecs};
use crate::model::{Collector, Platform, Sample};

/// `starting` before the first sample, `degraded` while a source fails,
/// else `healthy`.
pub fn status(latest: Option<&Sample>) -> &'static str {
    match latest {
        None => "starting",
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
    /// Now.
    pub unix_micros: i64,
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
            collectors: Collectors<'a>,
        }
        Body {
            status: status(self.latest),
            service: "tegrastats-api",
            timestamp: Iso(self.unix_micros),
            connected_clients: self.connected_clients,
            version: env!("CARGO_PKG_VERSION"),
            platform: self.platform,
            collectors: Collectors(self.latest),
        }
        .serialize(serializer)
    }
}

/// piStat's `/health`: status and the host's uptime.
pub struct Health<'a> {
    /// The latest sample, if any.
    pub latest: Option<&'a Sample>,
    /// Now.
    pub unix_micros: i64,
}

impl Serialize for Health<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Body<'a> {
            status: &'static str,
            uptime: Option<Scaled>,
            timestamp: UnixSecs,
            collectors: Collectors<'a>,
        }
        let uptime = self.latest.and_then(|s| s.uptime_cs);
        Body {
            status: status(self.latest),
            uptime: uptime.map(|cs| Scaled(i64::try_from(cs).unwrap_or(i64::MAX), 100)),
            timestamp: UnixSecs(self.unix_micros),
            collectors: Collectors(self.latest),
        }
        .serialize(serializer)
    }
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
