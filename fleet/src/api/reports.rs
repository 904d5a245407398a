//! The agents' reports (seed 003): checked whole, then queued for the
//! writer. The agent gets what the protocol asks, 200 with an empty body,
//! or an envelope saying what was wrong.

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::{Response, StatusCode};

use super::{App, Failure, Reply, failure};
use crate::report;
use crate::store::{Pending, PendingKind};
use edgestat_common::log::{Level, log};
use edgestat_common::time::now_ms;

/// Checks and queues one report (`kind` is `heartbeat` or `resource`).
pub fn receive(app: &App, kind: &str, body: &[u8]) -> Reply {
    let parsed = if kind == "heartbeat" {
        report::heartbeat(body).map(|h| PendingKind::Heartbeat(Box::new(h)))
    } else {
        report::resource(body).map(|r| PendingKind::Resource(Box::new(r)))
    };
    let pending = match parsed {
        Ok(kind) => Pending { at: now_ms(), kind },
        Err(why) => {
            log!(Level::Warning, "/{kind} refused: {why}");
            return failure(Failure::bad(why));
        }
    };
    log!(Level::Debug, "/{kind} from {}", pending.client_id());
    if app.queue.push(pending).is_err() {
        return failure(Failure(
            StatusCode::SERVICE_UNAVAILABLE,
            "report queue full; report again later".into(),
        ));
    }
    Response::new(Full::new(Bytes::new()))
}
