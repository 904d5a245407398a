//! Seed 004 (a proxy's monitor API), adapted to a host monitor: `/api/stats`
//! and the stats payload of `/api/ws`, `/api/speed-history`, `/api/config`,
//! `/api/performance`, `/api/connection-pool-stats`,
//! `/api/memory-pool-stats` and `/api/user-stats`.
//!
//! Speeds and traffic are the host's network (every interface but
//! loopback) as the seed formats them (`"1.23 MB/s"`, `"15.67 GB"`);
//! `memory_usage` is the daemon's own RSS; `active_connections` and
//! `max_connections` count the daemon's live clients. `users` has no
//! meaning on a host and is always `[]`; per-interface figures are under
//! `interfaces`. The daemon pools no buffers, so `/api/memory-pool-stats`
//! is `{}`.

use core::fmt::Write as _;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::json::SeqOf;
use crate::model::{Point, Sample};

/// Seconds of history `/api/speed-history` and the first `/api/ws`
/// message cover.
pub const SPEED_HISTORY_SECONDS: u32 = 60;

/// `1536` → `"1.50 KB"`: binary multiples with two decimals, whole bytes
/// below 1 KB (`"0 B"`), as the seed prints them.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["KB", "MB", "GB", "TB", "PB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.2} {}", UNITS.get(unit).copied().unwrap_or("PB"))
}

/// A rate in bytes per second: `"2.34 MB/s"`.
pub fn speed(bytes_per_sec: u64) -> String {
    format!("{}/s", bytes(bytes_per_sec))
}

/// `"2d 5h 30m 15s"`; leading zero units left out (`"30m 15s"`).
pub fn duration(total_secs: u64) -> String {
    let (d, h, m, s) =
        (total_secs / 86_400, total_secs / 3600 % 24, total_secs / 60 % 60, total_secs % 60);
    let mut out = String::new();
    for (value, unit, shown) in
        [(d, 'd', d > 0), (h, 'h', d + h > 0), (m, 'm', d + h + m > 0), (s, 's', true)]
    {
        if shown {
            if !out.is_empty() {
                out.push(' ');
            }
            let _ = write!(out, "{value}{unit}");
        }
    }
    out
}

/// The daemon's own connection and client figures.
#[derive(Debug, Clone, Copy, Default)]
pub struct Daemon {
    /// Live clients now (Socket.IO and WebSocket).
    pub active_clients: u32,
    /// `--max-connections`.
    pub max_clients: u32,
    /// HTTP connections accepted since start.
    pub accepted: u64,
    /// HTTP connections closed since start.
    pub closed: u64,
    /// HTTP connections open now.
    pub open: u32,
    /// Responses served from the cache, and rendered, since start.
    pub cache_hits: u64,
    /// Responses rendered because no fresh cached one existed.
    pub cache_misses: u64,
}

/// `/api/stats` and the `/api/ws` stats payload.
pub struct Stats<'a> {
    /// The sample.
    pub sample: &'a Sample,
    /// The daemon's figures.
    pub daemon: Daemon,
    /// Whether to add `connection_pool` and `memory_pool`, as the
    /// websocket payload does (which then also carries `status`, the seed
    /// 000 object, spliced in by the caller: the dashboard needs no
    /// polling).
    pub pools: bool,
}

impl Serialize for Stats<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let s = self.sample;
        let (down, up) = s.network.rates().unwrap_or_default();
        let (rx, tx) = s.network.totals();
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("upload_speed", &speed(up))?;
        map.serialize_entry("download_speed", &speed(down))?;
        map.serialize_entry("total_traffic", &bytes(rx.saturating_add(tx)))?;
        map.serialize_entry("uptime", &s.uptime_cs.map(|cs| duration(cs / 100)))?;
        map.serialize_entry("memory_usage", &s.own_rss_kb.map(|kb| bytes(kb * 1024)))?;
        map.serialize_entry("total_memory", &s.memory.ram.map(|r| bytes(r.total_kb * 1024)))?;
        map.serialize_entry("active_connections", &self.daemon.active_clients)?;
        map.serialize_entry("max_connections", &self.daemon.max_clients)?;
        map.serialize_entry("users", &[(); 0])?;
        map.serialize_entry("interfaces", &Interfaces(s))?;
        if self.pools {
            map.serialize_entry("connection_pool", &ConnectionPool(self.daemon))?;
            map.serialize_entry("memory_pool", &MemoryPool)?;
        }
        map.end()
    }
}

/// Per interface: speeds and traffic.
struct Interfaces<'a>(&'a Sample);

impl Serialize for Interfaces<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Interface {
            upload_speed: Option<String>,
            download_speed: Option<String>,
            total_traffic: String,
        }
        let mut map = serializer.serialize_map(None)?;
        for i in &self.0.network.interfaces {
            let interface = Interface {
                upload_speed: i.rates.map(|r| speed(r.1)),
                download_speed: i.rates.map(|r| speed(r.0)),
                total_traffic: bytes(i.counters.rx_bytes.saturating_add(i.counters.tx_bytes)),
            };
            map.serialize_entry(i.name(), &interface)?;
        }
        map.end()
    }
}

/// `/api/connection-pool-stats`: the daemon's HTTP connections and its
/// response cache. edgestat keeps no idle connections, so `current_idle`
/// is 0 and `total_reused` counts cache hits' twin: none.
pub struct ConnectionPool(pub Daemon);

impl Serialize for ConnectionPool {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        let lookups = d.cache_hits + d.cache_misses;
        let rate = (d.cache_hits * 10_000).checked_div(lookups).map_or(0.0, |r| r as f64 / 100.0);
        let mut map = serializer.serialize_map(Some(8))?;
        map.serialize_entry("total_created", &d.accepted)?;
        map.serialize_entry("total_reused", &0u64)?;
        map.serialize_entry("total_closed", &d.closed)?;
        map.serialize_entry("current_active", &d.open)?;
        map.serialize_entry("current_idle", &0u32)?;
        map.serialize_entry("cache_hits", &d.cache_hits)?;
        map.serialize_entry("cache_misses", &d.cache_misses)?;
        map.serialize_entry("hit_rate", &rate)?;
        map.end()
    }
}

/// `/api/memory-pool-stats`: edgestat pools no buffers, so there is
/// nothing to report: `{}` (see docs/api.md).
pub struct MemoryPool;

impl Serialize for MemoryPool {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_map(Some(0))?.end()
    }
}

/// `/api/speed-history` and the first `/api/ws` message's payload: the
/// ring's network rates, `timestamp` in seconds since the daemon started.
pub struct SpeedHistory<'a> {
    /// Ring points, oldest first.
    pub points: &'a [Point],
    /// When the daemon started, µs since the epoch.
    pub started_unix_micros: i64,
}

impl Serialize for SpeedHistory<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Entry {
            timestamp: String,
            upload_speed: String,
            download_speed: String,
        }
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry(
            "history",
            &SeqOf(|| {
                self.points.iter().filter_map(|p| {
                    let (down, up) = p.net_bytes_per_sec?;
                    let since = (p.unix_micros - self.started_unix_micros).max(0) / 1_000_000;
                    Some(Entry {
                        timestamp: since.to_string(),
                        upload_speed: speed(up),
                        download_speed: speed(down),
                    })
                })
            }),
        )?;
        map.serialize_entry("duration_seconds", &SPEED_HISTORY_SECONDS)?;
        map.end()
    }
}

/// `/api/config`.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    /// Seconds of speed history kept for `/api/speed-history`.
    pub speed_history_duration: u32,
    /// Seconds between `/api/ws` updates (the sampler interval).
    pub broadcast_interval: f64,
    /// `--max-connections`.
    pub websocket_max_connections: u32,
    /// Seconds without a frame before `/api/ws` closes.
    pub websocket_heartbeat_timeout: u64,
    /// The seed's proxy connection cap: here the HTTP connection cap.
    pub vless_max_connections: u32,
}

/// `/api/performance`: the daemon's real buffer sizes and socket settings.
#[derive(Debug, Clone, Serialize)]
pub struct Performance {
    /// hyper's per-connection read buffer, bytes.
    pub buffer_size: usize,
    /// Whether accepted sockets set `TCP_NODELAY`.
    pub tcp_nodelay: bool,
    /// The listening socket's `SO_RCVBUF`, bytes.
    pub tcp_recv_buffer: Option<usize>,
    /// The listening socket's `SO_SNDBUF`, bytes.
    pub tcp_send_buffer: Option<usize>,
    /// The sampler's file read buffer, bytes.
    pub stats_batch_size: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_as_the_seed_does() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(speed(0), "0 B/s");
        assert_eq!(bytes(1536), "1.50 KB");
        assert_eq!(speed(2_453_667), "2.34 MB/s");
        assert_eq!(bytes(16 * 1024 * 1024 * 1024), "16.00 GB");
        assert_eq!(bytes(16_826_000_000), "15.67 GB");
        assert_eq!(duration(2 * 86_400 + 5 * 3600 + 30 * 60 + 15), "2d 5h 30m 15s");
        assert_eq!(duration(30 * 60 + 15), "30m 15s");
        assert_eq!(duration(3600), "1h 0m 0s");
        assert_eq!(duration(7), "7s");
    }
}
