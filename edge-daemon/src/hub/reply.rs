//! Building responses, for every transport that answers HTTP: JSON bodies,
//! errors in the seeds' form, and HTML.

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use hyper::{Response, StatusCode};
use serde::Serialize;

use crate::views::json::{Iso, to_bytes};

/// The response body type: one buffer.
pub type Body = Full<Bytes>;

/// A response.
pub type Reply = Response<Body>;

/// A JSON response.
pub fn json(status: StatusCode, body: Bytes) -> Reply {
    let mut reply = Response::new(Full::new(body));
    *reply.status_mut() = status;
    let headers = reply.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    reply
}

/// A value rendered as a 200 JSON response (500 if it does not fit the
/// largest response buffer).
pub fn ok(value: &impl Serialize, unix_micros: i64) -> Reply {
    match to_bytes(value) {
        Some(body) => json(StatusCode::OK, body),
        None => error(StatusCode::INTERNAL_SERVER_ERROR, "Response too large", unix_micros),
    }
}

/// The seeds' error body: `{"error": "...", "timestamp": "..."}`.
pub fn error(status: StatusCode, message: &str, unix_micros: i64) -> Reply {
    #[derive(Serialize)]
    struct Error<'a> {
        error: &'a str,
        status: u16,
        timestamp: Iso,
    }
    let body = Error { error: message, status: status.as_u16(), timestamp: Iso(unix_micros) };
    let bytes = to_bytes(&body).unwrap_or_else(|| Bytes::from_static(b"{\"error\":\"error\"}"));
    json(status, bytes)
}

/// A 400 naming the query parameter at fault.
pub fn bad_parameter(parameter: &str, message: &str, unix_micros: i64) -> Reply {
    #[derive(Serialize)]
    struct BadParameter<'a> {
        error: &'a str,
        status: u16,
        parameter: &'a str,
        timestamp: Iso,
    }
    let body = BadParameter { error: message, status: 400, parameter, timestamp: Iso(unix_micros) };
    let bytes = to_bytes(&body).unwrap_or_else(|| Bytes::from_static(b"{\"error\":\"error\"}"));
    json(StatusCode::BAD_REQUEST, bytes)
}

/// 429 with `Retry-After`.
pub fn too_many(retry_after: u64, unix_micros: i64) -> Reply {
    let mut reply = error(StatusCode::TOO_MANY_REQUESTS, "Too many requests", unix_micros);
    reply.headers_mut().insert(RETRY_AFTER, HeaderValue::from(retry_after));
    reply
}

/// An HTML page.
pub fn html(page: &'static str) -> Reply {
    let mut reply = Response::new(Full::new(Bytes::from_static(page.as_bytes())));
    reply.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    reply
}

/// A response of `content_type`.
pub fn bytes(content_type: &'static str, body: Bytes) -> Reply {
    let mut reply = Response::new(Full::new(body));
    reply.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    reply
}
