//! The routes: seed 000's `/api/*`, seed 001's piStat paths, and edgestat's
//! own `/api/history`, Prometheus' `/metrics`, Socket.IO and seed 004's
//! monitor API.

/// One route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// `GET /api/health` (seed 000).
    ApiHealth,
    /// `GET /api/status` (seed 000).
    ApiStatus,
    /// `GET /api/cpu` (seed 000).
    ApiCpu,
    /// `GET /api/memory` (seed 000).
    ApiMemory,
    /// `GET /api/temperature` (seed 000).
    ApiTemperature,
    /// `GET /api/power` (seed 000).
    ApiPower,
    /// `GET /api/history?seconds=N`: the sampler's ring.
    History,
    /// `GET /stats` (seed 001).
    Stats,
    /// `GET /processes` (seed 001).
    Processes,
    /// `GET /network/interfaces` (seed 001).
    NetworkInterfaces,
    /// `GET /storage/devices` (seed 001).
    StorageDevices,
    /// `GET /health` (seed 001).
    Health,
    /// `GET /`: the documentation page (seed 001).
    Index,
    /// `GET /metrics`: Prometheus.
    Metrics,
    /// `/socket.io/`: Socket.IO (seed 000), polling and websocket.
    SocketIo,
    /// `/api/ws` and `/ws`: seed 004's websocket.
    Ws,
    /// `GET /api/stats` (seed 004).
    MonitorStats,
    /// `GET /api/speed-history` (seed 004).
    SpeedHistory,
    /// `GET /api/config` (seed 004).
    MonitorConfig,
    /// `GET /api/performance` (seed 004).
    Performance,
    /// `GET /api/connection-pool-stats` (seed 004).
    ConnectionPool,
    /// `GET /api/memory-pool-stats` (seed 004).
    MemoryPool,
    /// `GET /api/user-stats` (seed 004): always `[]` on a host.
    UserStats,
    /// `GET /dashboard`: the live page.
    Dashboard,
    /// `POST /deploy`: seed 003's command protocol (the agent).
    Deploy,
}

/// Every route and its path.
pub const ROUTES: [(Route, &str); 26] = [
    (Route::ApiHealth, "/api/health"),
    (Route::ApiStatus, "/api/status"),
    (Route::ApiCpu, "/api/cpu"),
    (Route::ApiMemory, "/api/memory"),
    (Route::ApiTemperature, "/api/temperature"),
    (Route::ApiPower, "/api/power"),
    (Route::History, "/api/history"),
    (Route::Stats, "/stats"),
    (Route::Processes, "/processes"),
    (Route::NetworkInterfaces, "/network/interfaces"),
    (Route::StorageDevices, "/storage/devices"),
    (Route::Health, "/health"),
    (Route::Index, "/"),
    (Route::Metrics, "/metrics"),
    (Route::SocketIo, "/socket.io"),
    (Route::Ws, "/api/ws"),
    (Route::Ws, "/ws"),
    (Route::MonitorStats, "/api/stats"),
    (Route::SpeedHistory, "/api/speed-history"),
    (Route::MonitorConfig, "/api/config"),
    (Route::Performance, "/api/performance"),
    (Route::ConnectionPool, "/api/connection-pool-stats"),
    (Route::MemoryPool, "/api/memory-pool-stats"),
    (Route::UserStats, "/api/user-stats"),
    (Route::Dashboard, "/dashboard"),
    (Route::Deploy, "/deploy"),
];

impl Route {
    /// The route of `path`; one trailing slash is ignored.
    pub fn from_path(path: &str) -> Option<Self> {
        let path = match path.strip_suffix('/') {
            Some(stripped) if !stripped.is_empty() => stripped,
            _ => path,
        };
        ROUTES.iter().find(|(_, p)| *p == path).map(|(route, _)| *route)
    }

    /// Its path.
    pub fn path(self) -> &'static str {
        ROUTES.iter().find(|(r, _)| *r == self).map_or("/", |(_, p)| p)
    }

    /// Live routes hold a connection per client; they are capped by
    /// `--max-connections`, not by the per-request rate limit.
    pub fn is_live(self) -> bool {
        matches!(self, Route::SocketIo | Route::Ws)
    }

    /// The health routes answer without a token, for load balancers and
    /// systemd watchdogs.
    pub fn is_health(self) -> bool {
        matches!(self, Route::ApiHealth | Route::Health)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip() {
        for (route, path) in ROUTES {
            assert_eq!(Route::from_path(path), Some(route));
        }
        assert_eq!(Route::Ws.path(), "/api/ws");
        assert_eq!(Route::from_path("/api/status/"), Some(Route::ApiStatus));
        assert_eq!(Route::from_path("/api/statuses"), None);
        assert_eq!(Route::from_path("/api//status"), None);
    }
}
