//! One request from arrival to reply: the host check, routing, methods,
//! the token, the rate limit, the cache, and the facade that renders it.

use std::cell::RefCell;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper::body::{Body as _, Bytes, Incoming};
use hyper::header::{ALLOW, AUTHORIZATION, HOST, HeaderValue, WWW_AUTHENTICATE};
use hyper::{Method, Request, StatusCode};
use serde::Serialize;

use super::cache::Cache;
use super::json::{Iso, MapOf, UnixSecs, to_bytes};
use super::limit::{RateLimiter, Verdict};
use super::monitor_api;
use super::pistat::{self, Hardware, STATS_FIELDS, Sort};
use super::reply::{self, Reply};
use super::tegrastats_api::{Section, View};
use super::{query, route::Route};
use std::rc::Rc;

use crate::config::LogLevel;
use crate::log::log;
use crate::push::{Counters, Push};
use crate::sampler::{Point, Shared, Snapshot};

/// Largest request body accepted. Every route but Socket.IO's polling POST
/// is a GET; a body is refused (413) rather than read.
pub const MAX_BODY: u64 = 1024;

/// Largest Socket.IO polling POST body (its announced `maxPayload`).
const SOCKETIO_MAX_BODY: u64 = crate::push::socketio::MAX_PAYLOAD as u64;

/// What the request handler needs, shared by all connections of the
/// (single-threaded) server.
pub struct App {
    /// The sampler's output.
    pub shared: Arc<Shared>,
    /// Board facts for `/stats.hardware`.
    pub hardware: Hardware,
    /// The bearer token every non-health route requires, if set.
    pub token: Option<String>,
    /// `/deploy`, when the agent is on.
    pub deploy: Option<Rc<crate::agent::deploy::Deployer>>,
    /// The port `/deploy` is served on (and nothing else is).
    pub deploy_port: Option<u16>,
    /// The rate limiter, if enabled.
    pub limiter: Option<RefCell<RateLimiter>>,
    /// Rendered bodies by path and query.
    pub cache: RefCell<Cache>,
    /// Buffer sizes and socket settings for `/api/performance`.
    pub performance: monitor_api::Performance,
    /// `/api/config`'s view of the settings.
    pub monitor_config: monitor_api::Config,
    /// The live push surfaces.
    pub push: Rc<Push>,
}

impl App {
    /// Answers one request from `peer`, logged at DEBUG.
    /// `local` is the address the connection arrived on: on a loopback
    /// address only loopback `Host` names are accepted, against DNS
    /// rebinding.
    pub async fn handle(
        &self,
        request: Request<Incoming>,
        peer: SocketAddr,
        local: SocketAddr,
    ) -> Reply {
        if !crate::log::enabled(LogLevel::Debug) {
            return self.answer(request, peer, local).await;
        }
        let started = Instant::now();
        let line = format!("{} {} from {peer}", request.method(), request.uri());
        let reply = self.answer(request, peer, local).await;
        let micros = started.elapsed().as_micros();
        log!(LogLevel::Debug, "{line}: {} in {micros} µs", reply.status().as_u16());
        reply
    }

    async fn answer(
        &self,
        request: Request<Incoming>,
        peer: SocketAddr,
        local: SocketAddr,
    ) -> Reply {
        let now = unix_micros_now();
        if local.ip().is_loopback() && !host_is_loopback(request.headers().get(HOST)) {
            return reply::error(StatusCode::FORBIDDEN, "Host not allowed", now);
        }
        let path = request.uri().path();
        let Some(route) = Route::from_path(path) else {
            return reply::error(StatusCode::NOT_FOUND, "Not found", now);
        };
        // /deploy answers only on the agent's service port, and that port
        // answers nothing else.
        let on_deploy_port = self.deploy_port.is_some_and(|port| port == local.port());
        if (route == Route::Deploy) != on_deploy_port {
            return reply::error(StatusCode::NOT_FOUND, "Not found", now);
        }
        // Counted before any token check, so guessing tokens is limited too.
        if let Some(limiter) = self.limiter.as_ref().filter(|_| !route.is_live()) {
            if let Verdict::Deny { retry_after } =
                limiter.borrow_mut().check(ip(peer), Instant::now())
            {
                return reply::too_many(retry_after, now);
            }
        }
        if route == Route::Deploy {
            return self.deploy(request, now).await;
        }
        let post_allowed = route == Route::SocketIo && request.method() == Method::POST;
        if !matches!(*request.method(), Method::GET | Method::HEAD) && !post_allowed {
            let mut reply = reply::error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed", now);
            reply.headers_mut().insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
            return reply;
        }
        let max_body = if post_allowed { SOCKETIO_MAX_BODY } else { MAX_BODY };
        if request.body().size_hint().lower() > max_body
            || request.body().size_hint().upper().is_none_or(|upper| upper > max_body)
        {
            return reply::error(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large", now);
        }
        if !route.is_health() && !self.authorized(request.headers().get(AUTHORIZATION)) {
            let mut reply = reply::error(StatusCode::UNAUTHORIZED, "Missing or wrong token", now);
            reply.headers_mut().insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return reply;
        }
        let params = match query::parse(request.uri().query()) {
            Ok(params) => params,
            Err(message) => return reply::bad_parameter("query", &message, now),
        };
        match route {
            Route::SocketIo => {
                return crate::push::serve_socketio(&self.push, request, &params).await;
            }
            Route::Ws => return self.websocket(request, now),
            _ => {}
        }
        self.route(route, &params, request.uri().to_string(), now).await
    }

    async fn route(
        &self,
        route: Route,
        params: &[(String, String)],
        key: String,
        now: i64,
    ) -> Reply {
        match route {
            Route::Index => return reply::html(INDEX),
            Route::Dashboard => return reply::html(DASHBOARD),
            Route::ApiHealth => return self.api_health(now),
            Route::Health => return self.health(now),
            _ => {}
        }
        let mut use_cache = true;
        let mut block = false;
        for (name, value) in params {
            let known = match (route, name.as_str()) {
                (Route::Stats, "cache") | (Route::Stats, "block") => {
                    let Ok(flag) = query::boolean(name, value) else {
                        let message = format!("`{name}` must be true or false, not `{value}`");
                        return reply::bad_parameter(name, &message, now);
                    };
                    if name == "cache" {
                        use_cache = flag;
                    } else {
                        block = flag;
                    }
                    true
                }
                (Route::Stats, "fields") | (Route::Processes, "sort" | "limit") => true,
                (Route::History, "seconds") => true,
                _ => false,
            };
            if !known {
                let message = format!("unknown parameter `{name}` for {}", route.path());
                return reply::bad_parameter(name, &message, now);
            }
        }
        if route == Route::Processes {
            return self.processes(params, now).await;
        }
        if route == Route::Metrics {
            // Always the latest sample: Prometheus keeps its own time.
            return match self.shared.latest() {
                Some(s) => reply::text(
                    super::metrics::CONTENT_TYPE,
                    super::metrics::render(&s, self.push.open_connections.get()),
                ),
                None => reply::error(StatusCode::SERVICE_UNAVAILABLE, "No data available", now),
            };
        }
        if block {
            // piStat's `block=true`: a fresh sample, not the latest one.
            let seen = self.shared.latest().map_or(0, |s| s.seq);
            self.next_sample(seen, 2).await;
            use_cache = false;
        }
        let cached = use_cache.then(|| self.cache.borrow().get(&key, Instant::now())).flatten();
        if let Some(body) = cached {
            Counters::bump(&self.push.counters.cache_hits);
            return reply::json(StatusCode::OK, body);
        }
        Counters::bump(&self.push.counters.cache_misses);
        let Some(snapshot) = self.shared.latest() else {
            return reply::error(StatusCode::SERVICE_UNAVAILABLE, "No data available", now);
        };
        match self.render(route, params, &snapshot) {
            Ok(body) => {
                self.cache.borrow_mut().put(&key, body.clone(), Instant::now());
                reply::json(StatusCode::OK, body)
            }
            Err(reply) => reply,
        }
    }

    /// Renders a data route from `s`; `Err` is a 400 for a bad parameter.
    // The error reply is rare and built anyway; boxing it buys nothing.
    #[allow(clippy::result_large_err)]
    fn render(
        &self,
        route: Route,
        params: &[(String, String)],
        s: &Snapshot,
    ) -> Result<Bytes, Reply> {
        let now = s.unix_micros;
        match route {
            Route::ApiStatus => body(&View(s, Section::Status), now),
            Route::ApiCpu => body(&View(s, Section::Cpu), now),
            Route::ApiMemory => body(&View(s, Section::Memory), now),
            Route::ApiTemperature => body(&View(s, Section::Temperature), now),
            Route::ApiPower => body(&View(s, Section::Power), now),
            Route::History => {
                let seconds = match param(params, "seconds") {
                    None => 60,
                    Some(v) => v.parse::<u32>().ok().filter(|&n| n >= 1).ok_or_else(|| {
                        let message = format!("`seconds` must be a whole number ≥ 1, not `{v}`");
                        reply::bad_parameter("seconds", &message, now)
                    })?,
                };
                let since = s.unix_micros - i64::from(seconds) * 1_000_000;
                let points: Vec<Point> =
                    self.shared.with_ring(|r| r.since(since).copied().collect());
                #[derive(Serialize)]
                struct History {
                    interval: f64,
                    points: Vec<Point>,
                    timestamp: Iso,
                }
                let interval = self.shared.interval().as_secs_f64();
                body(&History { interval, points, timestamp: Iso(now) }, now)
            }
            Route::Stats => {
                let fields: Option<Vec<String>> = param(params, "fields").map(|list| {
                    list.split(',').map(|f| f.trim().to_owned()).filter(|f| !f.is_empty()).collect()
                });
                if let Some(unknown) =
                    fields.iter().flatten().find(|f| !STATS_FIELDS.contains(&f.as_str()))
                {
                    let message =
                        format!("unknown field `{unknown}`; known: {}", STATS_FIELDS.join(", "));
                    return Err(reply::bad_parameter("fields", &message, now));
                }
                let stats = pistat::Stats {
                    snapshot: s,
                    hardware: &self.hardware,
                    fields: fields.as_deref(),
                };
                body(&stats, now)
            }
            Route::NetworkInterfaces => body(&pistat::Interfaces(s), now),
            Route::MonitorStats => {
                let stats =
                    monitor_api::Stats { snapshot: s, daemon: self.push.daemon(), pools: false };
                body(&stats, now)
            }
            Route::SpeedHistory => {
                let since =
                    s.unix_micros - i64::from(monitor_api::SPEED_HISTORY_SECONDS) * 1_000_000;
                let points: Vec<Point> =
                    self.shared.with_ring(|r| r.since(since).copied().collect());
                let started_unix_micros = self.shared.started_unix_micros;
                body(&monitor_api::SpeedHistory { points: &points, started_unix_micros }, now)
            }
            Route::MonitorConfig => body(&self.monitor_config, now),
            Route::Performance => body(&self.performance, now),
            Route::ConnectionPool => body(&monitor_api::ConnectionPool(self.push.daemon()), now),
            Route::MemoryPool => body(&monitor_api::MemoryPool, now),
            Route::UserStats => body(&[(); 0], now),
            Route::StorageDevices => body(&pistat::Storage(s), now),
            Route::Processes
            | Route::Index
            | Route::ApiHealth
            | Route::Health
            | Route::Metrics
            | Route::SocketIo
            | Route::Ws
            | Route::Dashboard
            | Route::Deploy => {
                Err(reply::error(StatusCode::INTERNAL_SERVER_ERROR, "not a data route", now))
            }
        }
    }

    async fn processes(&self, params: &[(String, String)], now: i64) -> Reply {
        let sort = match param(params, "sort") {
            None => Sort::Cpu,
            Some(v) => match Sort::from_name(v) {
                Some(sort) => sort,
                None => {
                    let message =
                        format!("`sort` must be one of {}, not `{v}`", Sort::NAMES.join(", "));
                    return reply::bad_parameter("sort", &message, now);
                }
            },
        };
        let limit = match param(params, "limit") {
            None => None,
            Some(v) => match v.parse::<usize>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    let message = format!("`limit` must be a whole number ≥ 1, not `{v}`");
                    return reply::bad_parameter("limit", &message, now);
                }
            },
        };
        self.shared.want_processes();
        // The table starts when first asked for; its CPU shares need a
        // second scan. Wait for them (about two intervals), once.
        let ready = |s: &Snapshot| {
            s.processes
                .as_ref()
                .is_some_and(|t| t.processes.iter().any(|p| p.cpu_per_mille.is_some()))
        };
        for _ in 0..3 {
            match self.shared.latest() {
                Some(s) if ready(&s) => break,
                latest => self.next_sample(latest.map_or(0, |s| s.seq), 2).await,
            }
        }
        let Some(s) = self.shared.latest() else {
            return reply::error(StatusCode::SERVICE_UNAVAILABLE, "No data available", now);
        };
        let Some(table) = &s.processes else {
            return reply::error(StatusCode::SERVICE_UNAVAILABLE, "Process table not ready", now);
        };
        let view = pistat::Processes {
            processes: pistat::select(&table.processes, sort, limit),
            mem_total_kb: s.memory.and_then(|m| m.mem_total_kb),
            unix_micros: s.unix_micros,
        };
        reply::ok(&view, s.unix_micros)
    }

    /// Waits until a sample newer than `seen` is published, or `intervals`
    /// sampler periods pass.
    async fn next_sample(&self, seen: u64, intervals: u32) {
        let deadline =
            Instant::now() + self.shared.interval() * intervals + Duration::from_millis(500);
        loop {
            let listener = self.shared.published.listen();
            if self.shared.latest().is_some_and(|s| s.seq > seen) || Instant::now() >= deadline {
                return;
            }
            let timer = smol::Timer::at(deadline);
            futures_or(listener, timer).await;
        }
    }

    /// `POST /deploy`: its own token (the API token does not open it).
    async fn deploy(&self, request: Request<Incoming>, now: i64) -> Reply {
        use crate::agent::deploy::MAX_REQUEST;
        let Some(deployer) = &self.deploy else {
            return reply::error(
                StatusCode::NOT_FOUND,
                "Not found: the agent is off (--agent)",
                now,
            );
        };
        if request.method() != Method::POST {
            let mut reply = reply::error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed", now);
            reply.headers_mut().insert(ALLOW, HeaderValue::from_static("POST"));
            return reply;
        }
        let Some(token) = &deployer.token else {
            return reply::error(
                StatusCode::FORBIDDEN,
                "/deploy is disabled: set --deploy-token",
                now,
            );
        };
        let given = request.headers().get(AUTHORIZATION).and_then(|h| h.to_str().ok());
        let given = given.and_then(|h| h.strip_prefix("Bearer ")).map(str::trim);
        if !given.is_some_and(|g| constant_time_eq(g.as_bytes(), token.as_bytes())) {
            let mut reply =
                reply::error(StatusCode::UNAUTHORIZED, "Missing or wrong deploy token", now);
            reply.headers_mut().insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return reply;
        }
        let body = match read_body(request.into_body(), MAX_REQUEST).await {
            Ok(body) => body,
            Err(status) => return reply::error(status, "Request body too large or too slow", now),
        };
        reply::json(StatusCode::OK, Bytes::from(deployer.handle(&body).await))
    }

    /// `/api/ws`: the Origin check, then the websocket handshake.
    fn websocket(&self, mut request: Request<Incoming>, now: i64) -> Reply {
        if !crate::push::ws::origin_allowed(request.headers(), &self.push.allowed_origins) {
            return reply::error(StatusCode::FORBIDDEN, "Origin not allowed", now);
        }
        if !crate::push::upgrade::is_upgrade(request.headers()) {
            return reply::error(StatusCode::BAD_REQUEST, "WebSocket upgrade required", now);
        }
        match crate::push::upgrade::accept(&mut request) {
            Ok((reply, socket)) => {
                let push = self.push.clone();
                self.push
                    .ex
                    .spawn(async move {
                        if let Some(socket) = socket.await {
                            crate::push::ws::serve(push, socket).await;
                        }
                    })
                    .detach();
                reply
            }
            Err(message) => reply::error(StatusCode::BAD_REQUEST, message, now),
        }
    }

    fn authorized(&self, header: Option<&HeaderValue>) -> bool {
        let Some(token) = &self.token else { return true };
        let Some(given) =
            header.and_then(|h| h.to_str().ok()).and_then(|h| h.strip_prefix("Bearer "))
        else {
            return false;
        };
        constant_time_eq(given.trim().as_bytes(), token.as_bytes())
    }

    fn health_status(&self, s: Option<&Snapshot>) -> &'static str {
        match s {
            None => "starting",
            Some(s) if s.faults.is_empty() => "healthy",
            Some(_) => "degraded",
        }
    }

    /// Seed 000's `/api/health`, plus which collectors are degraded and why.
    fn api_health(&self, now: i64) -> Reply {
        let latest = self.shared.latest();
        #[derive(Serialize)]
        struct ApiHealth<'a, C: Serialize> {
            status: &'static str,
            service: &'static str,
            timestamp: Iso,
            connected_clients: u32,
            version: &'static str,
            platform: &'a crate::sources::platform::Platform,
            collectors: C,
        }
        let body = ApiHealth {
            status: self.health_status(latest.as_deref()),
            service: "tegrastats-api",
            timestamp: Iso(now),
            connected_clients: self.push.clients(),
            version: env!("CARGO_PKG_VERSION"),
            platform: &self.shared.platform,
            collectors: Collectors(latest.as_deref()),
        };
        reply::ok(&body, now)
    }

    /// piStat's `/health`: status and the host's uptime.
    fn health(&self, now: i64) -> Reply {
        let latest = self.shared.latest();
        #[derive(Serialize)]
        struct Health<C: Serialize> {
            status: &'static str,
            uptime: Option<edgestat_core::json::Scaled>,
            timestamp: UnixSecs,
            collectors: C,
        }
        let uptime = latest.as_ref().and_then(|s| s.uptime).map(|u| {
            edgestat_core::json::Scaled(i64::try_from(u.uptime_cs).unwrap_or(i64::MAX), 100)
        });
        let body = Health {
            status: self.health_status(latest.as_deref()),
            uptime,
            timestamp: UnixSecs(now),
            collectors: Collectors(latest.as_deref()),
        };
        reply::ok(&body, now)
    }
}

/// `{"procfs": null, "vcgencmd": "why", …}`: each collector that failed in
/// the latest sample, with every reason joined.
struct Collectors<'a>(Option<&'a Snapshot>);

impl Serialize for Collectors<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let faults = self.0.map(|s| s.faults.as_slice()).unwrap_or_default();
        let mut collectors: Vec<_> = faults.iter().map(|(c, _)| *c).collect();
        collectors.sort();
        collectors.dedup();
        MapOf(|| {
            collectors.iter().map(|c| {
                let reasons: Vec<&str> =
                    faults.iter().filter(|(f, _)| f == c).map(|(_, why)| why.as_str()).collect();
                (c.as_str(), reasons)
            })
        })
        .serialize(serializer)
    }
}

/// How long a request body may take to arrive once its head has.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// Reads a body of at most `max` bytes within [`BODY_TIMEOUT`]; `Err` is
/// 413 (too large) or 408 (too slow).
pub async fn read_body(body: Incoming, max: usize) -> Result<Bytes, StatusCode> {
    use http_body_util::{BodyExt as _, Limited};
    let read = async {
        Limited::new(body, max)
            .collect()
            .await
            .map(|b| b.to_bytes())
            .map_err(|_| StatusCode::PAYLOAD_TOO_LARGE)
    };
    smol::future::or(read, async {
        smol::Timer::after(BODY_TIMEOUT).await;
        Err(StatusCode::REQUEST_TIMEOUT)
    })
    .await
}

/// `value` as a JSON body, or a 500 when it outgrows the largest buffer.
#[allow(clippy::result_large_err)]
fn body(value: &impl Serialize, unix_micros: i64) -> Result<Bytes, Reply> {
    to_bytes(value).ok_or_else(|| {
        reply::error(StatusCode::INTERNAL_SERVER_ERROR, "Response too large", unix_micros)
    })
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

fn ip(peer: SocketAddr) -> IpAddr {
    match peer.ip() {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// `localhost`, `127.x.x.x` or `[::1]`, with or without a port.
fn host_is_loopback(host: Option<&HeaderValue>) -> bool {
    let Some(host) = host.and_then(|h| h.to_str().ok()) else { return false };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn futures_or(a: impl std::future::Future<Output = ()>, b: smol::Timer) {
    smol::future::or(a, async {
        b.await;
    })
    .await;
}

fn unix_micros_now() -> i64 {
    let since =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since.as_micros()).unwrap_or(i64::MAX)
}

/// The page at `/`: what each route returns and how to call it.
const INDEX: &str = include_str!("index.html");

/// The live page at `/dashboard`, fed by `/api/ws`; no external fetches.
const DASHBOARD: &str = include_str!("dashboard.html");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        let ok = ["localhost:58090", "127.0.0.1:8585", "127.0.0.1", "[::1]:58090", "LOCALHOST"];
        for host in ok {
            assert!(host_is_loopback(Some(&HeaderValue::from_static(host))), "{host}");
        }
        let rebinding = ["attacker.example:58090", "192.168.1.10", "[2001:db8::1]:80"];
        for host in rebinding {
            assert!(!host_is_loopback(Some(&HeaderValue::from_static(host))), "{host}");
        }
        assert!(!host_is_loopback(None));
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"s3cret", b"s3cret"));
        assert!(!constant_time_eq(b"s3cret", b"s3cre"));
        assert!(!constant_time_eq(b"s3cret", b"s3creT"));
    }
}
