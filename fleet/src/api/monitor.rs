//! Monitoring routes: the fleet's statistics, daily history and the
//! heartbeat series.

use serde_json::{Value, json};

use super::clients::{matching, require, round1, round3};
use super::params::Query;
use super::{App, Failure, Outcome, Token};
use crate::store::DailyRow;
use edgestat_common::time::{DAY_MS, date, day_of, iso_ms, naive, now_ms, parse_date};

const OK: &str = "Operation successful";

/// Minutes in a day, the denominator of `uptime_rate`.
const DAY_MINUTES: f64 = 1440.0;

/// `GET /api/user/client_stat`.
pub async fn stat(app: &App, q: &Query, token: Token<'_>) -> Outcome {
    // The list's filters apply here too, should a client send them.
    let clients = matching(app, q, token).await?;
    let user = q.user_id()?.to_owned();
    let today = day_of(now_ms());
    let yesterday = today - 1;
    let rows = app.db(move |s| s.daily_rows(&user, None, yesterday)).await?;
    let registered: Vec<(&str, i64)> =
        clients.iter().map(|(c, _)| (c.client_id.as_str(), c.created_at)).collect();
    let uptime_rate = uptime_rate(&registered, &rows, today);
    let warn = app.config.warn_health;
    Ok((
        json!({
            "systems_total_number": clients.len(),
            "systems_online_number": clients.iter().filter(|(_, v)| v.online).count(),
            "systems_maintenance_number": clients.iter().filter(|(_, v)| v.status == "maintenance").count(),
            "systems_warnings_number": clients
                .iter()
                .filter(|(c, v)| c.last_seen.is_some() && v.status != "maintenance" && v.health < warn)
                .count(),
            "total_tflops": round3(Some(clients.iter().filter_map(|(_, v)| v.tflops).fold(0.0, |a, b| a + b))),
            "uptime_rate": round1(Some(uptime_rate)),
        }),
        OK,
    ))
}

/// `uptime_rate`, percent: over the clients (id, registered at) registered
/// before day `today`, the mean share of yesterday's minutes in which each
/// reported; 0 without such clients.
pub fn uptime_rate(clients: &[(&str, i64)], rows: &[DailyRow], today: i64) -> f64 {
    let minutes = |id: &str| {
        rows.iter()
            .find(|r| r.day == today - 1 && r.client_id == id)
            .map_or(0, |r| r.online_minutes)
    };
    // Clients registered before today had all of yesterday to report.
    let counted: Vec<f64> = clients
        .iter()
        .filter(|(_, created)| *created < today * DAY_MS)
        .map(|(id, _)| (minutes(id) as f64 / DAY_MINUTES * 100.0).min(100.0))
        .collect();
    if counted.is_empty() { 0.0 } else { counted.iter().sum::<f64>() / counted.len() as f64 }
}

/// `GET /api/user/client_monitor`: one row per client and day, newest
/// first, over the retention period.
pub async fn daily(app: &App, q: &Query, token: Token<'_>) -> Outcome {
    let (user, client) = q.scope(token)?;
    if let Some(id) = &client {
        require(app, &user, id).await?;
    }
    let from = day_of(now_ms()) - i64::from(app.config.retention_days);
    let rows = app.db(move |s| s.daily_rows(&user, client.as_deref(), from)).await?;
    let per = |total: i64, n: i64| {
        if n > 0 { json!(((total as f64 / n as f64) * 10.0).round() / 10.0) } else { json!(0.0) }
    };
    let data: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "client_id": r.client_id,
                "client_name": r.client_name,
                "created_at": naive(r.created_at),
                "updated_at": naive(r.updated_at),
                "date": date(r.day),
                "avg_cpu_usage": round1(r.avg_cpu),
                "avg_memory_usage": round1(r.avg_mem),
                "avg_disk_usage": round1(r.avg_disk),
                "total_network_in_bytes": r.net_in,
                "total_network_out_bytes": r.net_out,
                "total_heartbeats": r.heartbeats,
                "last_heartbeat": iso_ms(r.last_heartbeat),
                "avg_network_in_bytes": per(r.net_in, r.heartbeats),
                "avg_network_out_bytes": per(r.net_out, r.heartbeats),
                "online_minutes": r.online_minutes,
            })
        })
        .collect();
    Ok((Value::Array(data), OK))
}

/// `GET /api/user/client_health`: heartbeats between `start_date` and
/// `end_date` (UTC days, both included; today when neither is given, that
/// one day when only one is).
pub async fn health(app: &App, q: &Query, token: Token<'_>) -> Outcome {
    let (user, client) = q.scope(token)?;
    let day = |name: &str| {
        q.get(name)
            .map(|d| {
                parse_date(d)
                    .ok_or_else(|| Failure::bad(format!("{name} must be a date, YYYY-MM-DD")))
            })
            .transpose()
    };
    let (start, end) = (day("start_date")?, day("end_date")?);
    let today = day_of(now_ms());
    let (start, end) = match (start, end) {
        (Some(s), Some(e)) => (s, e),
        (Some(d), None) | (None, Some(d)) => (d, d),
        (None, None) => (today, today),
    };
    if end < start {
        return Err(Failure::bad("end_date is before start_date"));
    }
    if let Some(id) = &client {
        require(app, &user, id).await?;
    }
    let rows = app
        .db(move |s| s.health_rows(&user, client.as_deref(), start * DAY_MS, (end + 1) * DAY_MS))
        .await?;
    let data: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "client_id": r.client_id,
                "client_name": r.client_name,
                "timestamp": iso_ms(r.ts),
                "cpu_usage": round1(r.cpu_usage),
                "mem_usage": round1(r.mem_usage),
                "disk_usage": round1(r.disk_usage),
                "network_up": r.network_up,
                "network_down": r.network_down,
            })
        })
        .collect();
    Ok((Value::Array(data), OK))
}
