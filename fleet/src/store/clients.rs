//! Clients: what a user registered (`insert_client`, `edit_client_info`)
//! and the latest of what the node reported. A client belongs to one user.

use super::{Cell, DbError, Store, int, opt_text, text};

/// A client as stored.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientRow {
    /// 32 hex characters.
    pub client_id: String,
    /// Its name.
    pub name: String,
    /// The status set by a user (`active`, `online`, `offline`,
    /// `maintenance`, `error`).
    pub client_status: String,
    /// `valid` or `invalid`.
    pub valid_status: String,
    /// Operating system.
    pub os_type: Option<String>,
    /// Registered, Unix ms.
    pub created_at: i64,
    /// Last changed, Unix ms.
    pub updated_at: i64,
    /// Last report, Unix ms.
    pub last_seen: Option<i64>,
    /// Start of the current online stretch, Unix ms.
    pub online_since: Option<i64>,
    /// The last heartbeat report, JSON.
    pub identity: Option<String>,
    /// The last resource report, JSON.
    pub resource: Option<String>,
}

const COLUMNS: &str = "client_id, name, client_status, valid_status, os_type, created_at, updated_at, last_seen, online_since, identity, resource";

fn row(cells: &[Cell]) -> ClientRow {
    let opt = |c: &Cell| c.text().map(str::to_owned);
    ClientRow {
        client_id: cells[0].string(),
        name: cells[1].string(),
        client_status: cells[2].string(),
        valid_status: cells[3].string(),
        os_type: opt(&cells[4]),
        created_at: cells[5].int().unwrap_or(0),
        updated_at: cells[6].int().unwrap_or(0),
        last_seen: cells[7].int(),
        online_since: cells[8].int(),
        identity: opt(&cells[9]),
        resource: opt(&cells[10]),
    }
}

/// `insert_client`'s fields, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct NewClient {
    /// Owner.
    pub user_id: String,
    /// 32 hex characters, lower case.
    pub client_id: String,
    /// Status.
    pub client_status: String,
    /// Operating system.
    pub os_type: Option<String>,
    /// Name.
    pub name: String,
}

/// `edit_client_info`'s fields, validated; `None` leaves a field as is.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Edit {
    /// Owner.
    pub user_id: String,
    /// The client.
    pub client_id: String,
    /// Operating system.
    pub os_type: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Status.
    pub client_status: Option<String>,
    /// `valid` or `invalid`.
    pub valid_status: Option<String>,
}

/// What `insert_client` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    /// A new client.
    Created,
    /// An existing client of this user (or an unowned node it claimed).
    Updated,
    /// The client belongs to another user: nothing changed.
    OwnedByOther,
}

impl Store {
    /// The clients of `user`, oldest first; only `client_id` if given.
    pub fn clients_of(
        &mut self,
        user: &str,
        client_id: Option<&str>,
    ) -> Result<Vec<ClientRow>, DbError> {
        let rows = match client_id {
            Some(id) => self.db.query(
                &format!("SELECT {COLUMNS} FROM clients WHERE user_id = $1 AND client_id = $2"),
                &[text(user), text(id)],
            )?,
            None => self.db.query(
                &format!("SELECT {COLUMNS} FROM clients WHERE user_id = $1 ORDER BY created_at, client_id"),
                &[text(user)],
            )?,
        };
        Ok(rows.iter().map(|r| row(r)).collect())
    }

    /// Creates or updates a client for its user. Safe against a node's
    /// first report registering it at the same moment (the writer has its
    /// own connection): neither statement can fail on the other's row.
    pub fn upsert_client(&mut self, c: &NewClient, now: i64) -> Result<Upsert, DbError> {
        self.transaction(|db| {
            let created = db.exec(
                "INSERT INTO clients (client_id, user_id, name, client_status, valid_status, os_type, created_at, updated_at, name_set)
                 VALUES ($1, $2, $3, $4, 'valid', $5, $6, $6, 1) ON CONFLICT (client_id) DO NOTHING",
                &[text(&c.client_id), text(&c.user_id), text(&c.name), text(&c.client_status), opt_text(c.os_type.as_deref()), int(now)],
            )?;
            if created > 0 {
                return Ok(Upsert::Created);
            }
            // Ours, or a node nobody claimed yet.
            let updated = db.exec(
                "UPDATE clients SET user_id = $2, name = $3, name_set = 1, client_status = $4, os_type = COALESCE($5, os_type), updated_at = $6
                 WHERE client_id = $1 AND (user_id IS NULL OR user_id = $2)",
                &[text(&c.client_id), text(&c.user_id), text(&c.name), text(&c.client_status), opt_text(c.os_type.as_deref()), int(now)],
            )?;
            Ok(if updated > 0 { Upsert::Updated } else { Upsert::OwnedByOther })
        })
    }

    /// Applies `edit`; `false` when the user has no such client.
    pub fn edit_client(&mut self, e: &Edit, now: i64) -> Result<bool, DbError> {
        let changed = self.db.exec(
            "UPDATE clients SET os_type = COALESCE($3, os_type), name = COALESCE($4, name),
                    name_set = CASE WHEN $4 IS NULL THEN name_set ELSE 1 END,
                    client_status = COALESCE($5, client_status), valid_status = COALESCE($6, valid_status), updated_at = $7
             WHERE client_id = $1 AND user_id = $2",
            &[
                text(&e.client_id),
                text(&e.user_id),
                opt_text(e.os_type.as_deref()),
                opt_text(e.name.as_deref()),
                opt_text(e.client_status.as_deref()),
                opt_text(e.valid_status.as_deref()),
                int(now),
            ],
        )?;
        Ok(changed > 0)
    }
}
