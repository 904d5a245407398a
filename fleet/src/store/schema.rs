//! The schema, one list of migrations for both backends. They differ only
//! in how a table gets an auto-numbered id, written `{id}` below.

use super::ingest::automatic_name;
use super::{DbError, Dialect, Param, Sql};

/// A migration's step in Rust, after its SQL, in the same transaction.
type Step = Option<fn(&mut dyn Sql) -> Result<(), DbError>>;

/// Migrations in order; a database records the last one it ran in
/// `schema_migrations`. Never edit one that has shipped: add another.
const MIGRATIONS: &[(i64, &str, Step)] = &[
    (
        1,
        "CREATE TABLE clients (
        client_id TEXT PRIMARY KEY,
        user_id TEXT,
        name TEXT NOT NULL,
        client_status TEXT NOT NULL,
        valid_status TEXT NOT NULL,
        os_type TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        last_seen BIGINT,
        online_since BIGINT,
        identity TEXT,
        resource TEXT,
        resource_at BIGINT,
        net_rx BIGINT,
        net_tx BIGINT
    );
    CREATE INDEX clients_user ON clients (user_id);
    CREATE TABLE heartbeats (
        id {id},
        client_id TEXT NOT NULL,
        ts BIGINT NOT NULL,
        cpu_usage DOUBLE PRECISION,
        mem_usage DOUBLE PRECISION,
        disk_usage DOUBLE PRECISION,
        network_up BIGINT NOT NULL,
        network_down BIGINT NOT NULL
    );
    CREATE INDEX heartbeats_client_ts ON heartbeats (client_id, ts);
    CREATE INDEX heartbeats_ts ON heartbeats (ts);
    CREATE TABLE daily (
        client_id TEXT NOT NULL,
        day BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        cpu_sum DOUBLE PRECISION NOT NULL,
        cpu_n BIGINT NOT NULL,
        mem_sum DOUBLE PRECISION NOT NULL,
        mem_n BIGINT NOT NULL,
        disk_sum DOUBLE PRECISION NOT NULL,
        disk_n BIGINT NOT NULL,
        net_in BIGINT NOT NULL,
        net_out BIGINT NOT NULL,
        heartbeats BIGINT NOT NULL,
        online_minutes BIGINT NOT NULL,
        last_minute BIGINT NOT NULL,
        last_heartbeat BIGINT NOT NULL,
        PRIMARY KEY (client_id, day)
    );
    CREATE TABLE models (
        id {id},
        name TEXT NOT NULL,
        version TEXT NOT NULL,
        version_code BIGINT NOT NULL,
        engine_type BIGINT NOT NULL,
        is_active BIGINT NOT NULL,
        min_memory_mb BIGINT,
        min_gpu_memory_gb BIGINT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        UNIQUE (name, version)
    );",
        None,
    ),
    // net_counters: each interface's counters at the last report,
    // {"eth0":[rx,tx],...}; traffic is the sum of per-interface differences,
    // so an interface that appears or goes away is not traffic. It replaces
    // net_rx/net_tx (the totals), no longer written.
    // name_set: 1 once a user named the client; until then it follows the
    // node's host name ([`users_names`] sets it for existing clients).
    (
        2,
        "ALTER TABLE clients ADD COLUMN net_counters TEXT;
         ALTER TABLE clients ADD COLUMN name_set BIGINT NOT NULL DEFAULT 0;",
        Some(users_names),
    ),
];

/// The newest schema version.
pub const LATEST: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// Migration 2's data step: a client whose name is not the automatic one
/// (schema 1 gave it the same way, [`automatic_name`]) of its stored host
/// name or address was named by a user, who keeps it.
fn users_names(db: &mut dyn Sql) -> Result<(), DbError> {
    let field = |json: Option<&str>, key: &str| -> Option<String> {
        let value: serde_json::Value = serde_json::from_str(json?).ok()?;
        value.get(key)?.as_str().map(str::to_owned)
    };
    for row in db.query("SELECT client_id, name, identity, resource FROM clients", &[])? {
        let (id, name) = (row[0].string(), row[1].string());
        let host = field(row[2].text(), "hostname").map(|h| automatic_name(&h, &id));
        let ip = field(row[3].text(), "host_ip").map(|ip| automatic_name(&ip, &id));
        if host.as_deref() != Some(name.as_str()) && ip.as_deref() != Some(name.as_str()) {
            db.exec(
                "UPDATE clients SET name_set = 1 WHERE client_id = $1",
                &[Param::Text(Some(id))],
            )?;
        }
    }
    Ok(())
}

/// Brings `db` up to [`LATEST`], each migration in its own transaction.
pub fn migrate(db: &mut dyn Sql) -> Result<(), DbError> {
    migrate_to(db, LATEST)
}

/// Brings `db` up to version `last`.
pub fn migrate_to(db: &mut dyn Sql, last: i64) -> Result<(), DbError> {
    db.batch("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)")?;
    let done = db
        .query("SELECT MAX(version) FROM schema_migrations", &[])?
        .first()
        .and_then(|row| row.first().and_then(super::Cell::int))
        .unwrap_or(0);
    if done > LATEST {
        return Err(DbError::new(format!(
            "the database is at schema version {done}, newer than this edgestat-fleet ({LATEST}); upgrade edgestat-fleet"
        )));
    }
    let id = match db.dialect() {
        Dialect::Sqlite => "INTEGER PRIMARY KEY AUTOINCREMENT",
        Dialect::Postgres => "BIGSERIAL PRIMARY KEY",
    };
    for &(version, sql, step) in MIGRATIONS.iter().filter(|(v, ..)| *v > done && *v <= last) {
        db.batch("BEGIN")?;
        let sql = sql.replace("{id}", id);
        let applied =
            db.batch(&sql).and_then(|()| step.map_or(Ok(()), |step| step(db))).and_then(|()| {
                db.exec(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                    &[Param::Int(Some(version)), Param::Int(Some(edgestat_common::time::now_ms()))],
                )
            });
        match applied {
            Ok(_) => db.batch("COMMIT")?,
            Err(e) => {
                let _ = db.batch("ROLLBACK");
                return Err(DbError::new(format!("schema migration {version}: {e}")));
            }
        }
    }
    Ok(())
}
