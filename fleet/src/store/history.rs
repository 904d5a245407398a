//! History: the heartbeat rows (`client_health`) and the daily aggregates
//! (`client_monitor`, `uptime_rate`), always scoped to one user's clients.

use super::{DbError, Store, int, text};

/// Most heartbeat rows one `client_health` answer carries.
pub const MAX_HEALTH_ROWS: i64 = 100_000;

/// One heartbeat.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthRow {
    /// The client.
    pub client_id: String,
    /// Its name.
    pub client_name: String,
    /// When, Unix ms.
    pub ts: i64,
    /// CPU usage, percent.
    pub cpu_usage: Option<f64>,
    /// Memory usage, percent.
    pub mem_usage: Option<f64>,
    /// Disk usage, percent.
    pub disk_usage: Option<f64>,
    /// Bytes sent since the previous heartbeat.
    pub network_up: i64,
    /// Bytes received since the previous heartbeat.
    pub network_down: i64,
}

/// One client's day.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyRow {
    /// The client.
    pub client_id: String,
    /// Its name.
    pub client_name: String,
    /// UTC day number.
    pub day: i64,
    /// First report of the day, Unix ms.
    pub created_at: i64,
    /// Last report of the day, Unix ms.
    pub updated_at: i64,
    /// Mean CPU usage, percent (null without readings).
    pub avg_cpu: Option<f64>,
    /// Mean memory usage.
    pub avg_mem: Option<f64>,
    /// Mean disk usage.
    pub avg_disk: Option<f64>,
    /// Bytes received.
    pub net_in: i64,
    /// Bytes sent.
    pub net_out: i64,
    /// Heartbeats (resource reports).
    pub heartbeats: i64,
    /// Minutes with at least one report.
    pub online_minutes: i64,
    /// Last report, Unix ms.
    pub last_heartbeat: i64,
}

impl Store {
    /// Heartbeats of `user`'s clients in `[from_ms, to_ms)`, newest first.
    pub fn health_rows(
        &mut self,
        user: &str,
        client_id: Option<&str>,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<HealthRow>, DbError> {
        let mut params = vec![text(user), int(from_ms), int(to_ms), int(MAX_HEALTH_ROWS)];
        let only = client_id.map_or("", |id| {
            params.push(text(id));
            "AND h.client_id = $5"
        });
        let rows = self.db.query(
            &format!(
                "SELECT h.client_id, c.name, h.ts, h.cpu_usage, h.mem_usage, h.disk_usage, h.network_up, h.network_down
                 FROM heartbeats h JOIN clients c ON c.client_id = h.client_id
                 WHERE c.user_id = $1 AND h.ts >= $2 AND h.ts < $3 {only}
                 ORDER BY h.ts DESC, h.client_id LIMIT $4"
            ),
            &params,
        )?;
        Ok(rows
            .iter()
            .map(|r| HealthRow {
                client_id: r[0].string(),
                client_name: r[1].string(),
                ts: r[2].int().unwrap_or(0),
                cpu_usage: r[3].real(),
                mem_usage: r[4].real(),
                disk_usage: r[5].real(),
                network_up: r[6].int().unwrap_or(0),
                network_down: r[7].int().unwrap_or(0),
            })
            .collect())
    }

    /// Daily rows of `user`'s clients from day `from_day` on, newest first.
    pub fn daily_rows(
        &mut self,
        user: &str,
        client_id: Option<&str>,
        from_day: i64,
    ) -> Result<Vec<DailyRow>, DbError> {
        let mut params = vec![text(user), int(from_day)];
        let only = client_id.map_or("", |id| {
            params.push(text(id));
            "AND d.client_id = $3"
        });
        let rows = self.db.query(
            &format!(
                "SELECT d.client_id, c.name, d.day, d.created_at, d.updated_at, d.cpu_sum, d.cpu_n, d.mem_sum, d.mem_n,
                        d.disk_sum, d.disk_n, d.net_in, d.net_out, d.heartbeats, d.online_minutes, d.last_heartbeat
                 FROM daily d JOIN clients c ON c.client_id = d.client_id
                 WHERE c.user_id = $1 AND d.day >= $2 {only}
                 ORDER BY d.day DESC, c.created_at, d.client_id"
            ),
            &params,
        )?;
        let mean = |sum: Option<f64>, n: Option<i64>| match (sum, n) {
            (Some(s), Some(n)) if n > 0 => Some(s / n as f64),
            _ => None,
        };
        Ok(rows
            .iter()
            .map(|r| DailyRow {
                client_id: r[0].string(),
                client_name: r[1].string(),
                day: r[2].int().unwrap_or(0),
                created_at: r[3].int().unwrap_or(0),
                updated_at: r[4].int().unwrap_or(0),
                avg_cpu: mean(r[5].real(), r[6].int()),
                avg_mem: mean(r[7].real(), r[8].int()),
                avg_disk: mean(r[9].real(), r[10].int()),
                net_in: r[11].int().unwrap_or(0),
                net_out: r[12].int().unwrap_or(0),
                heartbeats: r[13].int().unwrap_or(0),
                online_minutes: r[14].int().unwrap_or(0),
                last_heartbeat: r[15].int().unwrap_or(0),
            })
            .collect())
    }
}
