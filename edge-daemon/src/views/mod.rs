//! Views: pure functions from a [`Sample`] (and what the caller passes in)
//! to the bytes of one wire format. No I/O, no clock, no settings beyond
//! their arguments. One module per format:
//!
//! | module | format |
//! |---|---|
//! | [`status`] | seed 000: `/api/status` and its sections, Socket.IO's `tegrastats_update` |
//! | [`pistat`] | seed 001: `/stats`, `/processes`, `/network/interfaces`, `/storage/devices` |
//! | [`monitor`] | seed 004: `/api/stats`, `/api/speed-history`, `/api/config`, …, `/api/ws`'s messages |
//! | [`metrics`] | Prometheus' text format: `/metrics` |
//! | [`report`] | seed 003: the agent's `/heartbeat` and `/resource` |
//! | [`history`] | `/api/history`: the ring |
//! | [`health`] | `/api/health` and `/health` |
//!
//! [`Doc`] names every document rendered from a sample; [`render`] writes
//! one. The transports get each document's bytes once per sample through
//! the hub and share them.

pub mod health;
pub mod history;
pub mod json;
pub mod metrics;
pub mod monitor;
pub mod pistat;
pub mod report;
pub mod status;

use hyper::body::Bytes;

use crate::model::{Ring, Sample};
pub use pistat::Sort;
pub use status::Section;

/// A document rendered from a sample. Equal docs of one sample have equal
/// bytes, so a doc is also the key its bytes are kept under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Doc {
    /// Seed 000: `/api/status` or one of its sections.
    Status(Section),
    /// `/api/history?seconds=N`.
    History {
        /// How far back.
        seconds: u32,
    },
    /// Seed 001: `/stats?fields=…`.
    Stats {
        /// The fields asked for (checked against
        /// [`pistat::STATS_FIELDS`]); `None`: all.
        fields: Option<Vec<String>>,
    },
    /// Seed 001: `/processes?sort=…&limit=…`.
    Processes {
        /// The order.
        sort: Sort,
        /// How many at most.
        limit: Option<usize>,
    },
    /// Seed 001: `/network/interfaces`.
    NetworkInterfaces,
    /// Seed 001: `/storage/devices`.
    StorageDevices,
    /// Prometheus: `/metrics`.
    Metrics,
    /// Seed 004: `/api/stats`.
    MonitorStats,
    /// Seed 004: `/api/speed-history`.
    SpeedHistory,
    /// Seed 004: `/api/config`.
    MonitorConfig,
    /// Seed 004: `/api/performance`.
    Performance,
    /// Seed 004: `/api/connection-pool-stats`.
    ConnectionPool,
    /// Seed 004: `/api/memory-pool-stats`.
    MemoryPool,
    /// Seed 004: `/api/user-stats`.
    UserStats,
    /// `/api/stats` with the pools, the payload of `/api/ws`'s stats
    /// message before the status is spliced in ([`ws_stats`]).
    MonitorPools,
}

impl Doc {
    /// Whether rendering needs the ring.
    pub fn needs_ring(&self) -> bool {
        matches!(self, Doc::History { .. } | Doc::SpeedHistory)
    }

    /// Whether the document includes the daemon's own counters, which
    /// change between samples.
    pub fn has_counters(&self) -> bool {
        matches!(self, Doc::Metrics | Doc::MonitorStats | Doc::ConnectionPool | Doc::MonitorPools)
    }
}

/// What a view may use besides the sample: facts fixed at start, the
/// daemon's counters and the ring, passed in by the caller.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Facts fixed at start.
    pub facts: &'a Facts,
    /// The daemon's counters now.
    pub daemon: monitor::Daemon,
    /// The ring, for the docs that [need it](Doc::needs_ring).
    pub ring: Option<&'a Ring>,
}

/// What the views say about the daemon itself, fixed at start.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The sampler period, seconds.
    pub interval_secs: f64,
    /// When the daemon started, µs since the epoch.
    pub started_unix_micros: i64,
    /// `/api/config`.
    pub monitor_config: monitor::Config,
    /// `/api/performance`.
    pub performance: monitor::Performance,
}

/// The bytes of `doc` for `s`; `None` only when the document outgrows
/// [`json::RESPONSE_MAX`].
pub fn render(doc: &Doc, s: &Sample, cx: &Context<'_>) -> Option<Bytes> {
    let points = |seconds: u32| -> Vec<crate::model::Point> {
        let since = s.unix_micros - i64::from(seconds) * 1_000_000;
        cx.ring.map(|r| r.since(since).copied().collect()).unwrap_or_default()
    };
    match doc {
        Doc::Status(section) => json::to_bytes(&status::Status(s, *section)),
        Doc::History { seconds } => json::to_bytes(&history::History {
            interval: cx.facts.interval_secs,
            points: &points(*seconds),
            unix_micros: s.unix_micros,
        }),
        Doc::Stats { fields } => {
            json::to_bytes(&pistat::Stats { sample: s, fields: fields.as_deref() })
        }
        Doc::Processes { sort, limit } => {
            let empty = Vec::new();
            let table = s.processes.as_ref().map_or(&empty, |t| &t.processes);
            json::to_bytes(&pistat::Processes {
                processes: pistat::select(table, *sort, *limit),
                mem_total_kb: s.memory.ram.map(|r| r.total_kb),
                unix_micros: s.unix_micros,
            })
        }
        Doc::NetworkInterfaces => json::to_bytes(&pistat::Interfaces(s)),
        Doc::StorageDevices => json::to_bytes(&pistat::Storage(s)),
        Doc::Metrics => Some(Bytes::from(metrics::render(s, cx.daemon.open))),
        Doc::MonitorStats | Doc::MonitorPools => json::to_bytes(&monitor::Stats {
            sample: s,
            daemon: cx.daemon,
            pools: *doc == Doc::MonitorPools,
        }),
        Doc::SpeedHistory => json::to_bytes(&monitor::SpeedHistory {
            points: &points(monitor::SPEED_HISTORY_SECONDS),
            started_unix_micros: cx.facts.started_unix_micros,
        }),
        Doc::MonitorConfig => json::to_bytes(&cx.facts.monitor_config),
        Doc::Performance => json::to_bytes(&cx.facts.performance),
        Doc::ConnectionPool => json::to_bytes(&monitor::ConnectionPool(cx.daemon)),
        Doc::MemoryPool => json::to_bytes(&monitor::MemoryPool),
        Doc::UserStats => json::to_bytes(&[(); 0]),
    }
}

/// `/api/ws`'s stats message, `{"type":"stats","payload":{…,"status":…}}`,
/// from the bytes of [`Doc::MonitorPools`] and of the `/api/status` object.
pub fn ws_stats(pools: &[u8], status: &[u8]) -> Bytes {
    let object = pools.strip_suffix(b"}").unwrap_or(pools);
    let comma = if object.ends_with(b"{") { "" } else { "," };
    typed("stats", &[object, comma.as_bytes(), b"\"status\":", status, b"}"])
}

/// `/api/ws`'s first message, `{"type":"history","payload":…}`, from the
/// bytes of [`Doc::SpeedHistory`].
pub fn ws_history(speed_history: &[u8]) -> Bytes {
    typed("history", &[speed_history])
}

/// `{"type":"<kind>","payload":<parts joined>}`.
fn typed(kind: &str, payload: &[&[u8]]) -> Bytes {
    let len = payload.iter().map(|p| p.len()).sum::<usize>() + kind.len() + 24;
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(b"{\"type\":\"");
    out.extend_from_slice(kind.as_bytes());
    out.extend_from_slice(b"\",\"payload\":");
    for part in payload {
        out.extend_from_slice(part);
    }
    out.push(b'}');
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_splice_rendered_bytes() {
        assert_eq!(
            &ws_stats(br#"{"upload_speed":"0 B/s"}"#, br#"{"cpu":{}}"#)[..],
            br#"{"type":"stats","payload":{"upload_speed":"0 B/s","status":{"cpu":{}}}}"#
        );
        assert_eq!(&ws_stats(b"{}", b"{}")[..], br#"{"type":"stats","payload":{"status":{}}}"#);
        assert_eq!(
            &ws_history(br#"{"history":[]}"#)[..],
            br#"{"type":"history","payload":{"history":[]}}"#
        );
    }
}
