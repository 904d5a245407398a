//! The HTTP surface: the agents' reports (seed 003: `POST /heartbeat`,
//! `POST /resource`) and the gpuf-s API of seed 002, in its
//! `{success, data, message, timestamp}` envelope, behind an optional
//! token and a CORS allow-list.

mod clients;
mod models;
pub(crate) mod monitor;
mod params;
mod reports;

use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{Value, json};

use crate::config::{Config, Scope};
use crate::health::Rules;
use crate::ingest::Queue;
use crate::store::{DbError, Store};
use edgestat_common::log::{Level, log};

/// Largest API request body, bytes.
pub const MAX_API_BODY: usize = 64 * 1024;

const ORIGIN_NOT_ALLOWED: &str = "origin not allowed (see --allowed-origins)";

/// A reply.
pub type Reply = Response<Full<Bytes>>;

/// What every request handler shares.
#[derive(Debug)]
pub struct App {
    /// The database (one connection; calls run on blocking threads).
    pub store: Arc<Mutex<Store>>,
    /// Reports on their way to the database.
    pub queue: Arc<Queue>,
    /// Settings.
    pub config: Config,
    /// How views are computed.
    pub rules: Rules,
}

/// An answer that is not a success.
#[derive(Debug)]
pub struct Failure(StatusCode, String);

impl Failure {
    /// 400 with `message`.
    pub fn bad(message: impl Into<String>) -> Self {
        Self(StatusCode::BAD_REQUEST, message.into())
    }
}

impl From<DbError> for Failure {
    fn from(e: DbError) -> Self {
        log!(Level::Error, "database: {e}");
        Self(StatusCode::INTERNAL_SERVER_ERROR, format!("database error: {e}"))
    }
}

type Outcome = Result<(Value, &'static str), Failure>;

/// What a request asks its token to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access<'a> {
    /// One user's clients.
    User(&'a str),
    /// Reading the model catalogue, which every user shares.
    ReadShared,
    /// Changing the model catalogue: only a `*` token.
    WriteShared,
}

/// Checks the request's token for an [`Access`].
pub type Token<'a> = &'a (dyn Fn(Access<'_>) -> Result<(), Failure> + Sync);

/// The envelope.
fn envelope(status: StatusCode, success: bool, data: Value, message: &str) -> Reply {
    let body = json!({
        "success": success,
        "data": data,
        "message": message,
        "timestamp": edgestat_common::time::iso_ms(edgestat_common::time::now_ms()),
    });
    let mut reply = Response::new(Full::new(Bytes::from(body.to_string())));
    *reply.status_mut() = status;
    reply.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    reply
}

fn failure(f: Failure) -> Reply {
    envelope(f.0, false, Value::Null, &f.1)
}

impl App {
    /// Runs `f` on the database, on a blocking thread.
    pub async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, DbError> + Send + 'static,
    ) -> Result<T, Failure> {
        let store = self.store.clone();
        Ok(smol::unblock(move || {
            f(&mut store.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
        })
        .await?)
    }

    /// Answers one request from `peer`.
    pub async fn handle(&self, request: Request<Incoming>, peer: IpAddr) -> Reply {
        let origin =
            request.headers().get(header::ORIGIN).and_then(|o| o.to_str().ok()).map(str::to_owned);
        let foreign = origin.is_some();
        let allowed =
            origin.filter(|o| self.config.allowed_origins.iter().any(|a| a == "*" || a == o));
        let mut reply = if request.method() == Method::OPTIONS {
            self.preflight(allowed.is_some())
        } else if foreign && allowed.is_none() && request.uri().path().starts_with("/api/") {
            // A browser page of another origin: refused before anything
            // runs, not only hidden from its script by CORS.
            failure(Failure(StatusCode::FORBIDDEN, ORIGIN_NOT_ALLOWED.into()))
        } else {
            self.route(request, peer).await
        };
        if let Some(origin) = allowed {
            let h = reply.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&origin) {
                h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
            }
            h.insert(header::VARY, HeaderValue::from_static("Origin"));
        }
        reply
    }

    fn preflight(&self, allowed: bool) -> Reply {
        if !allowed {
            return failure(Failure(StatusCode::FORBIDDEN, ORIGIN_NOT_ALLOWED.into()));
        }
        let mut reply = Response::new(Full::new(Bytes::new()));
        *reply.status_mut() = StatusCode::NO_CONTENT;
        let h = reply.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, OPTIONS"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("Content-Type, Authorization"),
        );
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        reply
    }

    async fn route(&self, request: Request<Incoming>, peer: IpAddr) -> Reply {
        let path = request.uri().path().to_owned();
        let query = params::Query::parse(request.uri().query().unwrap_or(""));
        let method = request.method().clone();
        let routes: &[(&str, Method)] = &[
            ("/heartbeat", Method::POST),
            ("/resource", Method::POST),
            ("/api/user/insert_client", Method::POST),
            ("/api/user/edit_client_info", Method::POST),
            ("/api/user/client_list", Method::GET),
            ("/api/user/client_status_list", Method::GET),
            ("/api/user/client_device_detail", Method::GET),
            ("/api/user/client_stat", Method::GET),
            ("/api/user/client_monitor", Method::GET),
            ("/api/user/client_health", Method::GET),
            ("/api/models/insert", Method::POST),
            ("/api/models/get", Method::GET),
            ("/health", Method::GET),
        ];
        let Some((_, expected)) = routes.iter().find(|(p, _)| *p == path) else {
            return failure(Failure(StatusCode::NOT_FOUND, format!("no route {path}")));
        };
        if method != *expected && !(method == Method::HEAD && *expected == Method::GET) {
            let mut reply = failure(Failure(
                StatusCode::METHOD_NOT_ALLOWED,
                format!("{path} takes {expected}"),
            ));
            if let Ok(v) = HeaderValue::from_str(expected.as_str()) {
                reply.headers_mut().insert(header::ALLOW, v);
            }
            return reply;
        }
        if let Some(report) =
            path.strip_prefix('/').filter(|p| *p == "heartbeat" || *p == "resource")
        {
            let networks = &self.config.report_networks;
            if !networks.is_empty() && !networks.iter().any(|n| n.contains(peer)) {
                log!(Level::Warning, "/{report} from {peer} refused: outside --report-networks");
                return failure(Failure(
                    StatusCode::FORBIDDEN,
                    "reports are not taken from this address (--report-networks)".into(),
                ));
            }
            return match read_body(request, crate::report::MAX_BODY).await {
                Ok(body) => reports::receive(self, report, &body),
                // Seed 003's agents expect 400 for any report refused.
                Err(Failure(StatusCode::PAYLOAD_TOO_LARGE, why)) => failure(Failure::bad(why)),
                Err(f) => failure(f),
            };
        }
        if path == "/health" {
            return match self.db(Store::ping).await {
                Ok(()) => envelope(
                    StatusCode::OK,
                    true,
                    json!({"database": "ok"}),
                    "Operation successful",
                ),
                Err(f) => failure(f),
            };
        }
        if let Some(name) = query.control_character() {
            return failure(Failure::bad(format!(
                "query parameter {name:?} contains a control character"
            )));
        }
        let headers = request.headers().clone();
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if method == Method::POST && !json {
            // As seed 002 says; it also keeps a cross-site form from posting.
            return failure(Failure(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "send the body as Content-Type: application/json".into(),
            ));
        }
        let body = if method == Method::POST {
            match read_body(request, MAX_API_BODY).await.and_then(|b| params::json_object(&b)) {
                Ok(v) => v,
                Err(f) => return failure(f),
            }
        } else {
            serde_json::Map::new()
        };
        let check = |access: Access<'_>| self.authorize(&headers, access);
        let token: Token<'_> = &check;
        let outcome: Outcome = match path.as_str() {
            "/api/user/insert_client" => clients::insert(self, &body, token).await,
            "/api/user/edit_client_info" => clients::edit(self, &body, token).await,
            "/api/user/client_list" | "/api/user/client_status_list" => {
                clients::list(self, &query, token).await
            }
            "/api/user/client_device_detail" => clients::detail(self, &query, token).await,
            "/api/user/client_stat" => monitor::stat(self, &query, token).await,
            "/api/user/client_monitor" => monitor::daily(self, &query, token).await,
            "/api/user/client_health" => monitor::health(self, &query, token).await,
            "/api/models/insert" => models::insert(self, &body, token).await,
            _ => models::list(self, &query, token).await,
        };
        match outcome {
            Ok((data, message)) => envelope(StatusCode::OK, true, data, message),
            Err(f) => failure(f),
        }
    }

    /// Checks the request's token for `access`. Open when no token is
    /// configured.
    fn authorize(&self, headers: &hyper::HeaderMap, access: Access<'_>) -> Result<(), Failure> {
        if self.config.api_tokens.is_empty() {
            return Ok(());
        }
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let Some(given) = given else {
            return Err(Failure(
                StatusCode::UNAUTHORIZED,
                "missing API token (Authorization: Bearer TOKEN)".into(),
            ));
        };
        let scope = self
            .config
            .api_tokens
            .iter()
            .find(|(_, t)| constant_time_eq(t.as_bytes(), given.as_bytes()))
            .map(|(s, _)| s);
        match (scope, access) {
            (None, _) => Err(Failure(StatusCode::UNAUTHORIZED, "invalid API token".into())),
            (Some(Scope::All), _) | (Some(Scope::User(_)), Access::ReadShared) => Ok(()),
            (Some(Scope::User(u)), Access::User(user)) if u == user => Ok(()),
            (Some(Scope::User(_)), Access::User(_)) => Err(Failure(
                StatusCode::FORBIDDEN,
                "this token does not give access to that user_id".into(),
            )),
            (Some(Scope::User(_)), Access::WriteShared) => Err(Failure(
                StatusCode::FORBIDDEN,
                "only a `*` token (--api-tokens *:TOKEN) may change the shared models".into(),
            )),
        }
    }
}

/// Compares without leaking where two tokens differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Reads a body of at most `limit` bytes within
/// [`edgestat_common::body::BODY_TIMEOUT`].
async fn read_body(request: Request<Incoming>, limit: usize) -> Result<Bytes, Failure> {
    use edgestat_common::body::BodyError;
    edgestat_common::body::read_body(request.into_body(), limit).await.map_err(|e| match e {
        BodyError::TooLarge => {
            Failure(StatusCode::PAYLOAD_TOO_LARGE, format!("body over {limit} bytes"))
        }
        BodyError::TooSlow => Failure(StatusCode::REQUEST_TIMEOUT, e.to_string()),
        BodyError::Broken => Failure::bad(e.to_string()),
    })
}
