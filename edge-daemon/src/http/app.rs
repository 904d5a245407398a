//! One request from arrival to reply: the host check, the route, the port,
//! the rate limit, the method, the body size, the token, the query, and
//! then the document from the hub, a health answer, a page, or the
//! endpoint another transport serves.

use std::cell::RefCell;
use std::net::{IpAddr, SocketAddr};
use std::rc::Rc;
use std::time::{Duration, Instant};

use edgestat_common::log::{self as logging, Level, log};
use edgestat_common::time::now_micros;
use hyper::body::{Body as _, Incoming};
use hyper::header::{ALLOW, HOST, HeaderValue, WWW_AUTHENTICATE};
use hyper::{Method, Request, StatusCode};

use super::limit::{RateLimiter, Verdict};
use super::query::{self, BadParameter};
use super::route::{self, Endpoint, Serve};
use crate::hub::reply::{self, Reply};
use crate::hub::{self, Hub, Unavailable};
use crate::views::Doc;
use crate::views::health::{Age, ApiHealth, Health};

/// Largest request body accepted by a route that takes none (every GET);
/// a larger one is refused (413) rather than read.
pub const MAX_BODY: u64 = 1024;

/// The handlers of [`Endpoint`]s, wired by the composition root; one left
/// out answers 404.
#[derive(Default)]
pub struct Endpoints {
    /// `/socket.io/`.
    pub socketio: Option<Rc<dyn hub::Endpoint>>,
    /// `/api/ws`.
    pub ws: Option<Rc<dyn hub::Endpoint>>,
    /// `/deploy`, when the agent is on.
    pub deploy: Option<Rc<dyn hub::Endpoint>>,
}

/// What the request handler needs, shared by all connections of the
/// (single-threaded) server.
pub struct App {
    /// The sample and its rendered views.
    pub hub: Rc<Hub>,
    /// The bearer token every route but health and `/deploy` requires.
    pub token: Option<String>,
    /// The port `/deploy` is served on (and nothing else is).
    pub deploy_port: Option<u16>,
    /// The rate limiter, if enabled.
    pub limiter: Option<RefCell<RateLimiter>>,
    /// The requests other transports answer.
    pub endpoints: Endpoints,
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
        if !logging::enabled(Level::Debug) {
            return self.answer(request, peer, local).await;
        }
        let started = Instant::now();
        let line = format!("{} {} from {peer}", request.method(), redacted(request.uri()));
        let reply = self.answer(request, peer, local).await;
        let micros = started.elapsed().as_micros();
        log!(Level::Debug, "{line}: {} in {micros} µs", reply.status().as_u16());
        reply
    }

    async fn answer(
        &self,
        request: Request<Incoming>,
        peer: SocketAddr,
        local: SocketAddr,
    ) -> Reply {
        let now = now_micros();
        let host = match host(&request) {
            Ok(host) => host,
            Err(message) => return reply::error(StatusCode::BAD_REQUEST, message, now),
        };
        if local.ip().is_loopback() && !is_loopback_name(&host) {
            return reply::error(StatusCode::FORBIDDEN, "Host not allowed", now);
        }
        let Some((path, serve)) = route::find(request.uri().path()) else {
            return reply::error(StatusCode::NOT_FOUND, "Not found", now);
        };
        // /deploy answers only on the agent's service port, and that port
        // answers nothing else.
        let deploy = matches!(serve, Serve::Endpoint(Endpoint::Deploy));
        let on_deploy_port = self.deploy_port.is_some_and(|port| port == local.port());
        if deploy != on_deploy_port {
            return reply::error(StatusCode::NOT_FOUND, "Not found", now);
        }
        let live = matches!(serve, Serve::Endpoint(e) if e.is_live());
        // Counted before any token check, so guessing tokens is limited too.
        if let Some(limiter) = self.limiter.as_ref().filter(|_| !live) {
            if let Verdict::Deny { retry_after } =
                limiter.borrow_mut().check(hub::client_ip(peer.ip()), Instant::now())
            {
                return reply::too_many(retry_after, now);
            }
        }
        if deploy {
            // Its own method, token and body: the deploy endpoint's.
            return self.endpoint(Endpoint::Deploy, request, &[], now).await;
        }
        // Socket.IO answers every method and reads its own bodies (up to its
        // maxPayload, announced or chunked), as Engine.IO says to.
        let own_protocol = matches!(serve, Serve::Endpoint(Endpoint::SocketIo));
        if !matches!(*request.method(), Method::GET | Method::HEAD) && !own_protocol {
            let mut reply = reply::error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed", now);
            reply.headers_mut().insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
            return reply;
        }
        let size = request.body().size_hint();
        if !own_protocol
            && (size.lower() > MAX_BODY || size.upper().is_none_or(|upper| upper > MAX_BODY))
        {
            return reply::error(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large", now);
        }
        // Health answers load balancers and watchdogs; the pages are static
        // HTML that hold no data (the dashboard brings its token to
        // /api/ws itself), so `/dashboard#token=…` can load.
        let open = matches!(serve, Serve::ApiHealth | Serve::Health | Serve::Page(_));
        if !open && !self.authorized(&request) {
            let mut reply = reply::error(StatusCode::UNAUTHORIZED, "Missing or wrong token", now);
            reply.headers_mut().insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return reply;
        }
        let params = match query::parse(request.uri().query()) {
            Ok(params) => params,
            Err(message) => return reply::bad_parameter("query", &message, now),
        };
        match serve {
            Serve::Page(page) => reply::html(page),
            Serve::ApiHealth => self.api_health(now),
            Serve::Health => {
                let latest = self.hub.latest();
                reply::ok(&Health { latest: latest.as_deref(), age: self.age(now) }, now)
            }
            Serve::Endpoint(endpoint) => self.endpoint(endpoint, request, &params, now).await,
            Serve::Doc(accepted, doc) => self.document(path, accepted, doc, &params, now).await,
        }
    }

    /// A document rendered from the sample.
    async fn document(
        &self,
        path: &str,
        accepted: &[&str],
        doc: fn(&hub::Params) -> Result<Doc, BadParameter>,
        params: &hub::Params,
        now: i64,
    ) -> Reply {
        let bad = |e: BadParameter| reply::bad_parameter(&e.parameter, &e.message, now);
        if let Some((name, _)) = params.iter().find(|(n, _)| !accepted.contains(&n.as_str())) {
            let message = format!("unknown parameter `{name}` for {path}");
            return bad(BadParameter::new(name, message));
        }
        let flag = |name: &str| match query::get(params, name) {
            None => Ok(false),
            Some(value) => query::boolean(name, value).map_err(|m| BadParameter::new(name, m)),
        };
        // `cache=false` asks for the latest sample, never an older one.
        let (bypass, block) = match (flag("cache"), flag("block")) {
            (Ok(cache), Ok(block)) => (query::get(params, "cache").is_some() && !cache, block),
            (Err(e), _) | (_, Err(e)) => return bad(e),
        };
        let doc = match doc(params) {
            Ok(doc) => doc,
            Err(e) => return bad(e),
        };
        if block {
            // piStat's `block=true`: a fresh sample, not the latest one.
            let seen = self.hub.latest().map_or(0, |s| s.seq);
            self.next_sample(seen, 2).await;
        }
        if matches!(doc, Doc::Processes { .. }) {
            if let Err(reply) = self.process_table(now).await {
                return reply;
            }
        }
        match self.hub.cached(&doc, bypass || block) {
            Ok(body) if doc == Doc::Metrics => {
                reply::bytes(crate::views::metrics::CONTENT_TYPE, body)
            }
            Ok(body) => reply::json(StatusCode::OK, body),
            Err(Unavailable::Starting) => {
                reply::error(StatusCode::SERVICE_UNAVAILABLE, "No data available", now)
            }
            Err(Unavailable::TooLarge) => {
                reply::error(StatusCode::INTERNAL_SERVER_ERROR, "Response too large", now)
            }
        }
    }

    /// Asks for the process table and waits for one whose CPU shares are
    /// known: the table starts when first asked for, and its shares need a
    /// second scan (about two intervals), once.
    async fn process_table(&self, now: i64) -> Result<(), Reply> {
        self.hub.shared.want_processes();
        let ready = |s: &crate::model::Sample| {
            s.processes
                .as_ref()
                .is_some_and(|t| t.processes.iter().any(|p| p.cpu_per_mille.is_some()))
        };
        for _ in 0..3 {
            match self.hub.latest() {
                Some(s) if ready(&s) => break,
                latest => self.next_sample(latest.map_or(0, |s| s.seq), 2).await,
            }
        }
        match self.hub.latest() {
            None => Err(reply::error(StatusCode::SERVICE_UNAVAILABLE, "No data available", now)),
            Some(s) if s.processes.is_none() => {
                Err(reply::error(StatusCode::SERVICE_UNAVAILABLE, "Process table not ready", now))
            }
            Some(_) => Ok(()),
        }
    }

    /// Waits until a sample newer than `seen` is published, or `intervals`
    /// sampler periods pass.
    async fn next_sample(&self, seen: u64, intervals: u32) {
        let shared = &self.hub.shared;
        let deadline = Instant::now() + shared.interval() * intervals + Duration::from_millis(500);
        loop {
            let listener = shared.published.listen();
            if shared.latest().is_some_and(|s| s.seq > seen) || Instant::now() >= deadline {
                return;
            }
            smol::future::or(listener, async {
                smol::Timer::at(deadline).await;
            })
            .await;
        }
    }

    /// A request another transport answers; 404 when it is not wired (the
    /// agent is off).
    async fn endpoint(
        &self,
        endpoint: Endpoint,
        request: Request<Incoming>,
        params: &hub::Params,
        now: i64,
    ) -> Reply {
        let handler = match endpoint {
            Endpoint::SocketIo => self.endpoints.socketio.as_ref(),
            Endpoint::Ws => self.endpoints.ws.as_ref(),
            Endpoint::Deploy => self.endpoints.deploy.as_ref(),
        };
        match handler {
            Some(handler) => handler.serve(request, params).await,
            None => {
                reply::error(StatusCode::NOT_FOUND, "Not found: the agent is off (--agent)", now)
            }
        }
    }

    fn authorized(&self, request: &Request<Incoming>) -> bool {
        self.token
            .as_deref()
            .is_none_or(|token| hub::auth::bearer_matches(request.headers(), token))
    }

    /// Seed 000's `/api/health`.
    fn api_health(&self, now: i64) -> Reply {
        let latest = self.hub.latest();
        let body = ApiHealth {
            latest: latest.as_deref(),
            platform: &self.hub.shared.board.platform,
            connected_clients: self.hub.live_clients(),
            age: self.age(now),
        };
        reply::ok(&body, now)
    }

    fn age(&self, now: i64) -> Age {
        let interval = self.hub.shared.interval().as_micros();
        Age { now_micros: now, interval_micros: i64::try_from(interval).unwrap_or(i64::MAX) }
    }
}

/// The request's host: the authority of an absolute-form target
/// (`GET http://host/…`, which RFC 9112 §3.2.2 says overrides `Host`),
/// else the one `Host` header. `Err`: no host, or two `Host` headers.
fn host(request: &Request<Incoming>) -> Result<String, &'static str> {
    let mut hosts = request.headers().get_all(HOST).iter();
    let (first, second) = (hosts.next(), hosts.next());
    if second.is_some() {
        return Err("More than one Host header");
    }
    if let Some(authority) = request.uri().authority() {
        return Ok(authority.as_str().to_owned());
    }
    let host = first.and_then(|h| h.to_str().ok()).filter(|h| !h.trim().is_empty());
    host.map(str::to_owned).ok_or("A Host header is required")
}

/// The request target for a log line: query values of parameters whose
/// names say they are secret are left out.
fn redacted(uri: &hyper::Uri) -> String {
    let Some(query) = uri.query() else { return uri.path().to_owned() };
    let secret = |name: &str| {
        let name = name.to_ascii_lowercase();
        ["token", "key", "secret", "pass", "auth"].iter().any(|s| name.contains(s))
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if secret(name) => format!("{name}=***"),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{}?{}", uri.path(), pairs.join("&"))
}

/// `localhost`, `127.x.x.x` or `[::1]`, with or without a port.
fn is_loopback_name(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        let ok = ["localhost:58090", "127.0.0.1:8585", "127.0.0.1", "[::1]:58090", "LOCALHOST"];
        for host in ok {
            assert!(is_loopback_name(host), "{host}");
        }
        let rebinding = ["attacker.example:58090", "192.168.1.10", "[2001:db8::1]:80", ""];
        for host in rebinding {
            assert!(!is_loopback_name(host), "{host}");
        }
    }

    #[test]
    fn secrets_stay_out_of_log_lines() {
        let uri: hyper::Uri = "/stats?fields=memory&token=s3cret&api_key=k&x".parse().unwrap();
        assert_eq!(redacted(&uri), "/stats?fields=memory&token=***&api_key=***&x");
        assert_eq!(redacted(&"/api/status".parse().unwrap()), "/api/status");
    }
}
