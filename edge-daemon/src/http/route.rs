//! The routes, one line each: seed 000's `/api/*`, seed 001's piStat paths,
//! seed 004's monitor API, edgestat's own `/api/history`, `/metrics`, the
//! pages, and the paths other transports serve (Socket.IO, `/api/ws`,
//! `/deploy`). A new document is one line here plus its view.

use super::query::{self, BadParameter};
use crate::hub::Params;
use crate::views::{Doc, Section, Sort, pistat};

/// What a path serves.
#[derive(Clone, Copy)]
pub enum Serve {
    /// A document rendered from the sample: the query parameters it takes,
    /// and which document they name. Those named `cache` and `block` are
    /// piStat's and mean the same on every route that takes them.
    Doc(&'static [&'static str], fn(&Params) -> Result<Doc, BadParameter>),
    /// A fixed HTML page.
    Page(&'static str),
    /// Seed 000's `/api/health`: no token, never cached.
    ApiHealth,
    /// Seed 001's `/health`: no token, never cached.
    Health,
    /// A request another transport answers.
    Endpoint(Endpoint),
}

/// The requests other transports answer, wired by the composition root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `/socket.io/`: Socket.IO (seed 000), polling and websocket.
    SocketIo,
    /// `/api/ws`: seed 004's websocket.
    Ws,
    /// `POST /deploy`: seed 003's command protocol, on the agent's port.
    Deploy,
}

impl Endpoint {
    /// Live endpoints hold a connection per client; they are capped by
    /// `--max-connections`, not by the per-request rate limit.
    pub fn is_live(self) -> bool {
        matches!(self, Endpoint::SocketIo | Endpoint::Ws)
    }
}

/// The page at `/`: what each route returns and how to call it.
const INDEX: &str = include_str!("index.html");

/// The live page at `/dashboard`, fed by `/api/ws`; no external fetches.
const DASHBOARD: &str = include_str!("dashboard.html");

/// Every path and what it serves.
pub const ROUTES: &[(&str, Serve)] = &[
    ("/api/health", Serve::ApiHealth),
    ("/api/status", Serve::Doc(&[], |_| Ok(Doc::Status(Section::Status)))),
    ("/api/cpu", Serve::Doc(&[], |_| Ok(Doc::Status(Section::Cpu)))),
    ("/api/memory", Serve::Doc(&[], |_| Ok(Doc::Status(Section::Memory)))),
    ("/api/temperature", Serve::Doc(&[], |_| Ok(Doc::Status(Section::Temperature)))),
    ("/api/power", Serve::Doc(&[], |_| Ok(Doc::Status(Section::Power)))),
    ("/api/history", Serve::Doc(&["seconds"], history)),
    ("/stats", Serve::Doc(&["fields", "cache", "block"], stats)),
    ("/processes", Serve::Doc(&["sort", "limit"], processes)),
    ("/network/interfaces", Serve::Doc(&[], |_| Ok(Doc::NetworkInterfaces))),
    ("/storage/devices", Serve::Doc(&[], |_| Ok(Doc::StorageDevices))),
    ("/health", Serve::Health),
    ("/", Serve::Page(INDEX)),
    ("/metrics", Serve::Doc(&[], |_| Ok(Doc::Metrics))),
    ("/socket.io", Serve::Endpoint(Endpoint::SocketIo)),
    ("/api/ws", Serve::Endpoint(Endpoint::Ws)),
    ("/ws", Serve::Endpoint(Endpoint::Ws)),
    ("/api/stats", Serve::Doc(&[], |_| Ok(Doc::MonitorStats))),
    ("/api/speed-history", Serve::Doc(&[], |_| Ok(Doc::SpeedHistory))),
    ("/api/config", Serve::Doc(&[], |_| Ok(Doc::MonitorConfig))),
    ("/api/performance", Serve::Doc(&[], |_| Ok(Doc::Performance))),
    ("/api/connection-pool-stats", Serve::Doc(&[], |_| Ok(Doc::ConnectionPool))),
    ("/api/memory-pool-stats", Serve::Doc(&[], |_| Ok(Doc::MemoryPool))),
    ("/api/user-stats", Serve::Doc(&[], |_| Ok(Doc::UserStats))),
    ("/dashboard", Serve::Page(DASHBOARD)),
    ("/deploy", Serve::Endpoint(Endpoint::Deploy)),
];

/// The route of `path` and its table path; one trailing slash is ignored.
pub fn find(path: &str) -> Option<(&'static str, Serve)> {
    let path = match path.strip_suffix('/') {
        Some(stripped) if !stripped.is_empty() => stripped,
        _ => path,
    };
    ROUTES.iter().find(|(p, _)| *p == path).copied()
}

/// `/api/history?seconds=N` (default 60).
fn history(params: &Params) -> Result<Doc, BadParameter> {
    let seconds = match query::get(params, "seconds") {
        None => 60,
        Some(v) => v.parse::<u32>().ok().filter(|&n| n >= 1).ok_or_else(|| {
            BadParameter::new("seconds", format!("`seconds` must be a whole number ≥ 1, not `{v}`"))
        })?,
    };
    Ok(Doc::History { seconds })
}

/// `/stats?fields=a,b` (each one of [`pistat::STATS_FIELDS`]).
fn stats(params: &Params) -> Result<Doc, BadParameter> {
    let fields: Option<Vec<String>> = query::get(params, "fields").map(|list| {
        list.split(',').map(|f| f.trim().to_owned()).filter(|f| !f.is_empty()).collect()
    });
    if let Some(unknown) =
        fields.iter().flatten().find(|f| !pistat::STATS_FIELDS.contains(&f.as_str()))
    {
        let message =
            format!("unknown field `{unknown}`; known: {}", pistat::STATS_FIELDS.join(", "));
        return Err(BadParameter::new("fields", message));
    }
    Ok(Doc::Stats { fields })
}

/// `/processes?sort=cpu&limit=N`.
fn processes(params: &Params) -> Result<Doc, BadParameter> {
    let sort = match query::get(params, "sort") {
        None => Sort::Cpu,
        Some(v) => Sort::from_name(v).ok_or_else(|| {
            let message = format!("`sort` must be one of {}, not `{v}`", Sort::NAMES.join(", "));
            BadParameter::new("sort", message)
        })?,
    };
    let limit = match query::get(params, "limit") {
        None => None,
        Some(v) => Some(v.parse::<usize>().ok().filter(|&n| n >= 1).ok_or_else(|| {
            BadParameter::new("limit", format!("`limit` must be a whole number ≥ 1, not `{v}`"))
        })?),
    };
    Ok(Doc::Processes { sort, limit })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_found_once_with_or_without_a_slash() {
        for (path, _) in ROUTES {
            assert_eq!(find(path).map(|(p, _)| p), Some(*path));
            assert_eq!(ROUTES.iter().filter(|(p, _)| p == path).count(), 1, "{path}");
        }
        assert_eq!(find("/api/status/").map(|(p, _)| p), Some("/api/status"));
        assert!(find("/api/statuses").is_none());
        assert!(find("/api//status").is_none());
    }

    #[test]
    fn parameters_name_their_document() {
        let p = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect()
        };
        assert_eq!(history(&p(&[("seconds", "5")])), Ok(Doc::History { seconds: 5 }));
        assert_eq!(history(&p(&[("seconds", "0")])).unwrap_err().parameter, "seconds");
        assert_eq!(
            stats(&p(&[("fields", "cpu_usage, memory")])),
            Ok(Doc::Stats { fields: Some(vec!["cpu_usage".into(), "memory".into()]) })
        );
        assert_eq!(stats(&p(&[("fields", "bogus")])).unwrap_err().parameter, "fields");
        assert_eq!(
            processes(&p(&[("sort", "name"), ("limit", "3")])),
            Ok(Doc::Processes { sort: Sort::Name, limit: Some(3) })
        );
        assert_eq!(processes(&p(&[("limit", "-1")])).unwrap_err().parameter, "limit");
    }
}
