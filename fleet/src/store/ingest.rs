//! Writing agents' reports: a batch in one transaction. A node seen for the
//! first time is registered (to the auto-register user, if configured);
//! every report moves its `last_seen` and counts a minute of uptime; a
//! resource report also adds a heartbeat row and the day's aggregates.

use std::collections::BTreeMap;

use super::{DbError, Param, Sql, Store, int, opt_text, real, text};
use crate::report::{Heartbeat, Resource, Usage};
use edgestat_common::time::day_of;

/// A report waiting to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// When it arrived, Unix ms.
    pub at: i64,
    /// What it says.
    pub kind: PendingKind,
}

/// The two reports.
#[derive(Debug, Clone, PartialEq)]
pub enum PendingKind {
    /// `/heartbeat`.
    Heartbeat(Box<Heartbeat>),
    /// `/resource`.
    Resource(Box<Resource>),
}

impl Pending {
    /// The node it is from.
    pub fn client_id(&self) -> &str {
        match &self.kind {
            PendingKind::Heartbeat(h) => &h.client_id,
            PendingKind::Resource(r) => &r.client_id,
        }
    }
}

/// Longest name the seed allows a client.
pub const MAX_NAME: usize = 32;

/// How far back from a node's last stored report a report counts as one
/// already written (reports of one node are written in arrival order, so a
/// legitimate one is always later). A wall clock stepped back by less than
/// this loses the reports of the step, once.
pub const REPLAY_WINDOW_MS: i64 = 120_000;

fn is_replay(at: i64, last_seen: i64) -> bool {
    at <= last_seen && last_seen - at <= REPLAY_WINDOW_MS
}

/// The name a node has until a user names it: `given` (its host name, or
/// its address before its first heartbeat), else its id, cut to
/// [`MAX_NAME`] characters.
pub fn automatic_name(given: &str, id: &str) -> String {
    let from = if given.is_empty() { id } else { given };
    from.chars().take(MAX_NAME).collect()
}

/// How the ingest treats nodes.
#[derive(Debug, Clone, Default)]
pub struct IngestRules {
    /// The user new nodes are registered to; `None` keeps them unowned
    /// (and invisible) until a user claims them with `insert_client`.
    pub auto_register_user: Option<String>,
    /// How long without a report before a node is offline, ms.
    pub online_window_ms: i64,
}

impl Store {
    /// Writes `batch` in one transaction.
    pub fn write_reports(&mut self, batch: &[Pending], rules: &IngestRules) -> Result<(), DbError> {
        self.transaction(|db| batch.iter().try_for_each(|p| write_one(db, p, rules)))
    }

    /// Drops at most `chunk` heartbeats older than `cutoff_ms`, oldest
    /// first (a large backlog goes in short statements); returns how many.
    pub fn prune_heartbeats(&mut self, cutoff_ms: i64, chunk: i64) -> Result<u64, DbError> {
        self.db.exec(
            "DELETE FROM heartbeats WHERE id IN (SELECT id FROM heartbeats WHERE ts < $1 ORDER BY ts LIMIT $2)",
            &[int(cutoff_ms), int(chunk)],
        )
    }

    /// Drops daily rows older than `cutoff_ms` (one per node and day: few),
    /// and the nodes no user claimed that have not reported since.
    pub fn prune_days_and_nodes(&mut self, cutoff_ms: i64) -> Result<u64, DbError> {
        let days = self.db.exec("DELETE FROM daily WHERE day < $1", &[int(day_of(cutoff_ms))])?;
        let unclaimed = self.db.exec(
            "DELETE FROM clients WHERE user_id IS NULL AND COALESCE(last_seen, created_at) < $1",
            &[int(cutoff_ms)],
        )?;
        Ok(days + unclaimed)
    }
}

fn write_one(db: &mut dyn Sql, p: &Pending, rules: &IngestRules) -> Result<(), DbError> {
    let id = p.client_id();
    let known = db.query(
        "SELECT last_seen, online_since, net_counters FROM clients WHERE client_id = $1",
        &[text(id)],
    )?;
    let (last_seen, online_since, counters) = match known.first() {
        // Already written: a batch whose COMMIT was cut off by a lost
        // connection may have committed, and is written again.
        Some(row) if row[0].int().is_some_and(|seen| is_replay(p.at, seen)) => return Ok(()),
        Some(row) => (row[0].int(), row[1].int(), row[2].text().map(Counters::read)),
        None => {
            let (name, os) = match &p.kind {
                PendingKind::Heartbeat(h) => {
                    (h.hostname.as_str(), Some(h.os_type.as_str()).filter(|o| !o.is_empty()))
                }
                PendingKind::Resource(r) => (r.host_ip.as_str(), None),
            };
            let name = automatic_name(name, id);
            db.exec(
                "INSERT INTO clients (client_id, user_id, name, client_status, valid_status, os_type, created_at, updated_at)
                 VALUES ($1, $2, $3, 'active', 'valid', $4, $5, $5) ON CONFLICT (client_id) DO NOTHING",
                &[text(id), opt_text(rules.auto_register_user.as_deref()), text(name), opt_text(os), int(p.at)],
            )?;
            (None, None, None)
        }
    };
    // A gap longer than the online window starts a new online stretch.
    let since = match (last_seen, online_since) {
        (Some(seen), Some(since)) if p.at - seen <= rules.online_window_ms => since,
        _ => p.at,
    };
    let minute = p.at.div_euclid(60_000);
    let (mut cpu, mut mem, mut disk, mut up, mut down, mut beats) =
        (None, None, None, 0i64, 0i64, 0i64);
    match &p.kind {
        PendingKind::Heartbeat(h) => {
            let identity = serde_json::to_string(h).map_err(|e| DbError::new(e.to_string()))?;
            db.exec(
                "UPDATE clients SET identity = $2, os_type = COALESCE(os_type, $3), last_seen = $4, online_since = $5, updated_at = $4,
                                   name = CASE WHEN name_set = 0 THEN COALESCE($6, name) ELSE name END
                 WHERE client_id = $1",
                &[
                    text(id),
                    text(identity),
                    opt_text(Some(h.os_type.as_str()).filter(|o| !o.is_empty())),
                    int(p.at),
                    int(since),
                    // A node first heard of by `/resource` is named by its
                    // address until its host name arrives.
                    Param::Text((!h.hostname.is_empty()).then(|| automatic_name(&h.hostname, id))),
                ],
            )?;
        }
        PendingKind::Resource(r) => {
            let u = &r.resource;
            let now = Counters::of(u);
            (down, up) = counters.map_or((0, 0), |before| now.since(&before));
            (cpu, mem, disk, beats) = (
                u.cpu.usage_percent,
                u.memory.as_ref().and_then(|m| m.usage_percent),
                u.disk_percent(),
                1,
            );
            let stored = serde_json::to_string(r).map_err(|e| DbError::new(e.to_string()))?;
            db.exec(
                "UPDATE clients SET resource = $2, resource_at = $3, last_seen = $3, online_since = $4, updated_at = $3, net_counters = $5
                 WHERE client_id = $1",
                &[text(id), text(stored), int(p.at), int(since), text(now.write())],
            )?;
            db.exec(
                "INSERT INTO heartbeats (client_id, ts, cpu_usage, mem_usage, disk_usage, network_up, network_down)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[text(id), int(p.at), Param::Real(cpu), Param::Real(mem), Param::Real(disk), int(up), int(down)],
            )?;
        }
    }
    let sum = |v: Option<f64>| (real(v.unwrap_or(0.0)), int(i64::from(v.is_some())));
    let ((cs, cn), (ms, mn), (ds, dn)) = (sum(cpu), sum(mem), sum(disk));
    db.exec(
        "INSERT INTO daily (client_id, day, created_at, updated_at, cpu_sum, cpu_n, mem_sum, mem_n, disk_sum, disk_n,
                            net_in, net_out, heartbeats, online_minutes, last_minute, last_heartbeat)
         VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $3)
         ON CONFLICT (client_id, day) DO UPDATE SET
            updated_at = excluded.updated_at,
            cpu_sum = daily.cpu_sum + excluded.cpu_sum, cpu_n = daily.cpu_n + excluded.cpu_n,
            mem_sum = daily.mem_sum + excluded.mem_sum, mem_n = daily.mem_n + excluded.mem_n,
            disk_sum = daily.disk_sum + excluded.disk_sum, disk_n = daily.disk_n + excluded.disk_n,
            net_in = CASE WHEN daily.net_in > 9223372036854775807 - excluded.net_in THEN 9223372036854775807 ELSE daily.net_in + excluded.net_in END,
            net_out = CASE WHEN daily.net_out > 9223372036854775807 - excluded.net_out THEN 9223372036854775807 ELSE daily.net_out + excluded.net_out END,
            heartbeats = daily.heartbeats + excluded.heartbeats,
            online_minutes = daily.online_minutes + CASE WHEN excluded.last_minute > daily.last_minute THEN 1 ELSE 0 END,
            last_minute = CASE WHEN excluded.last_minute > daily.last_minute THEN excluded.last_minute ELSE daily.last_minute END,
            last_heartbeat = CASE WHEN excluded.last_heartbeat > daily.last_heartbeat THEN excluded.last_heartbeat ELSE daily.last_heartbeat END",
        &[text(id), int(day_of(p.at)), int(p.at), cs, cn, ms, mn, ds, dn, int(down), int(up), int(beats), int(minute)],
    )?;
    Ok(())
}

/// Each interface's byte counters (received, sent) at one report, `lo`
/// left out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Counters(BTreeMap<String, (u64, u64)>);

impl Counters {
    fn of(u: &Usage) -> Self {
        Self(
            u.counted_interfaces()
                .map(|n| (n.interface.clone(), (n.rx_bytes, n.tx_bytes)))
                .collect(),
        )
    }

    /// What the column holds; unreadable text reads as no interfaces.
    fn read(text: &str) -> Self {
        Self(serde_json::from_str(text).unwrap_or_default())
    }

    fn write(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_default()
    }

    /// Bytes (received, sent) since `before`, summed over the interfaces
    /// both reports have: one that appeared or went away is not traffic,
    /// and a counter that went back (a reboot, a driver reload) counts
    /// from zero. Saturates rather than overflows.
    fn since(&self, before: &Self) -> (i64, i64) {
        let delta = |now: u64, then: u64| if now >= then { now - then } else { now };
        let (rx, tx) = self.0.iter().fold((0u64, 0u64), |(rx, tx), (name, &(r, t))| {
            match before.0.get(name) {
                Some(&(r0, t0)) => {
                    (rx.saturating_add(delta(r, r0)), tx.saturating_add(delta(t, t0)))
                }
                None => (rx, tx),
            }
        });
        (i64::try_from(rx).unwrap_or(i64::MAX), i64::try_from(tx).unwrap_or(i64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::Counters;

    fn counters(list: &[(&str, u64, u64)]) -> Counters {
        Counters(list.iter().map(|&(n, r, t)| (n.to_owned(), (r, t))).collect())
    }

    #[test]
    fn traffic_is_per_interface() {
        // The Orin fixture's eth0, then 10 s later; wlan0 comes up with
        // 2 GB already counted since boot: not traffic of this interval.
        let before = counters(&[("eth0", 2_310_544_821, 15_238_911)]);
        let now = counters(&[("eth0", 2_310_644_821, 15_240_911), ("wlan0", 2_000_000_000, 9)]);
        assert_eq!(now.since(&before), (100_000, 2_000));
        // eth0 goes away: the others still count.
        assert_eq!(counters(&[("wlan0", 2_000_000_500, 19)]).since(&now), (500, 10));
        // A reboot: counters back near zero count from zero.
        assert_eq!(counters(&[("eth0", 4_096, 1_024)]).since(&before), (4_096, 1_024));
        assert_eq!(
            counters(&[("eth0", u64::MAX, 0)]).since(&counters(&[("eth0", 0, 0)])),
            (i64::MAX, 0)
        );
        assert_eq!(Counters::read(&now.write()), now);
        assert_eq!(Counters::read("not json"), Counters::default());
    }
}
