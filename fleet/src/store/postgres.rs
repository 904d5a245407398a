//! The PostgreSQL backend, through the synchronous `postgres` client (it
//! runs its own small tokio runtime; the fleet calls it from a blocking
//! thread, never from the smol executor).

use std::time::Duration;

use postgres::types::{ToSql, Type};

use super::{Cell, DbError, Dialect, Param, Sql};

/// A connection to a PostgreSQL server, opened again when the server
/// closed it (a restart, a failover, an idle timeout).
pub struct Postgres {
    client: postgres::Client,
    url: String,
    /// Between `BEGIN` and `COMMIT`/`ROLLBACK`: a connection lost now is
    /// not replaced, so that no statement of the transaction runs alone.
    in_transaction: bool,
    /// A statement failed because the connection closed. The client's own
    /// `is_closed` can lag behind that error (its connection task has not
    /// run yet), so the next statement would fail on it once more.
    lost: bool,
}

fn err(e: postgres::Error) -> DbError {
    // The error's Display is only "db error"; the server's words are below.
    if let Some(db) = e.as_db_error() {
        let message = format!("postgres: {}: {}", db.severity(), db.message());
        // SQLSTATE class 22 (data exception) and 23 (integrity constraint).
        let code = db.code().code();
        return if code.starts_with("22") || code.starts_with("23") {
            DbError::refused(message)
        } else {
            DbError::new(message)
        };
    }
    let mut text = format!("postgres: {e}");
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    DbError::new(text)
}

impl Postgres {
    /// Connects to `url` (`postgres://user:password@host:port/db`), without
    /// TLS: put the server on the same host or behind a tunnel.
    pub fn connect(url: &str) -> Result<Self, DbError> {
        let client = open(url)?;
        Ok(Self { client, url: url.to_owned(), in_transaction: false, lost: false })
    }

    /// The client, connected again first if the old connection closed.
    /// A statement that fails because the connection broke under it still
    /// fails; the next one reconnects.
    fn client(&mut self) -> Result<&mut postgres::Client, DbError> {
        if self.closed() && self.in_transaction {
            return Err(DbError::new("postgres: the connection closed during a transaction"));
        }
        if self.closed() {
            self.client = open(&self.url)?;
            self.lost = false;
            edgestat_common::log!(
                edgestat_common::log::Level::Warning,
                "postgres: connected again"
            );
        }
        Ok(&mut self.client)
    }

    fn closed(&self) -> bool {
        self.lost || self.client.is_closed()
    }

    /// `e` in words, noting a closed connection for the next statement:
    /// closed under the driver, or closed by the server with an error
    /// first (SQLSTATE class 08, connection exception, or 57P0x, the
    /// server terminating it).
    fn fail(&mut self, e: postgres::Error) -> DbError {
        let code = e.code().map(postgres::error::SqlState::code).unwrap_or_default();
        self.lost |= e.is_closed() || code.starts_with("08") || code.starts_with("57P0");
        err(e)
    }
}

/// Connects with bounds the URL does not set otherwise: a server that
/// does not answer fails the connection in [`CONNECT_TIMEOUT`], one that
/// went away is noticed by TCP keepalives within about a minute and a
/// half, and no statement runs longer than [`STATEMENT_TIMEOUT_MS`] (a
/// stuck lock fails the batch, which stays queued, instead of hanging the
/// writer).
fn open(url: &str) -> Result<postgres::Client, DbError> {
    let mut config: postgres::Config =
        url.parse().map_err(|e| DbError::new(format!("postgres: {url}: {e}")))?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    let options = config.get_options().unwrap_or_default().to_owned();
    if !options.contains("statement_timeout") {
        let timeout = format!("-c statement_timeout={STATEMENT_TIMEOUT_MS}");
        config.options(format!("{options} {timeout}").trim_start());
    }
    // (The driver's default idle time is two hours.)
    if config.get_keepalives_idle() == Duration::from_secs(7200) {
        config.keepalives_idle(Duration::from_secs(60));
    }
    if config.get_keepalives_interval().is_none() {
        config.keepalives_interval(Duration::from_secs(10));
    }
    if config.get_keepalives_retries().is_none() {
        config.keepalives_retries(3);
    }
    config.connect(postgres::NoTls).map_err(err)
}

/// How long connecting may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Longest statement, ms.
pub const STATEMENT_TIMEOUT_MS: u64 = 30_000;

fn boxed(params: &[Param]) -> Vec<Box<dyn ToSql + Sync>> {
    params
        .iter()
        .map(|p| -> Box<dyn ToSql + Sync> {
            match p {
                Param::Int(v) => Box::new(*v),
                Param::Real(v) => Box::new(*v),
                Param::Text(v) => Box::new(v.clone()),
            }
        })
        .collect()
}

impl Sql for Postgres {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn exec(&mut self, sql: &str, params: &[Param]) -> Result<u64, DbError> {
        let owned = boxed(params);
        let refs: Vec<&(dyn ToSql + Sync)> = owned.iter().map(AsRef::as_ref).collect();
        let done = self.client()?.execute(sql, &refs);
        done.map_err(|e| self.fail(e))
    }

    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        match sql {
            "BEGIN" => {
                let begun = self.client()?.batch_execute(sql);
                begun.map_err(|e| self.fail(e))?;
                self.in_transaction = true;
                Ok(())
            }
            "COMMIT" | "ROLLBACK" => {
                self.in_transaction = false;
                if sql == "ROLLBACK" && self.closed() {
                    // The server ended the transaction with the connection.
                    return Ok(());
                }
                let ended = self.client.batch_execute(sql);
                ended.map_err(|e| self.fail(e))
            }
            _ => {
                let done = self.client()?.batch_execute(sql);
                done.map_err(|e| self.fail(e))
            }
        }
    }

    fn query(&mut self, sql: &str, params: &[Param]) -> Result<Vec<Vec<Cell>>, DbError> {
        let owned = boxed(params);
        let refs: Vec<&(dyn ToSql + Sync)> = owned.iter().map(AsRef::as_ref).collect();
        let rows = self.client()?.query(sql, &refs);
        let rows = rows.map_err(|e| self.fail(e))?;
        rows.iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| {
                        let ty = row.columns()[i].type_();
                        let cell = if *ty == Type::INT8 {
                            row.try_get::<_, Option<i64>>(i).map(|v| v.map(Cell::Int))
                        } else if *ty == Type::INT4 {
                            row.try_get::<_, Option<i32>>(i).map(|v| v.map(|v| Cell::Int(v.into())))
                        } else if *ty == Type::INT2 {
                            row.try_get::<_, Option<i16>>(i).map(|v| v.map(|v| Cell::Int(v.into())))
                        } else if *ty == Type::FLOAT8 {
                            row.try_get::<_, Option<f64>>(i).map(|v| v.map(Cell::Real))
                        } else if *ty == Type::FLOAT4 {
                            row.try_get::<_, Option<f32>>(i)
                                .map(|v| v.map(|v| Cell::Real(v.into())))
                        } else if *ty == Type::BOOL {
                            row.try_get::<_, Option<bool>>(i)
                                .map(|v| v.map(|v| Cell::Int(v.into())))
                        } else {
                            row.try_get::<_, Option<String>>(i).map(|v| v.map(Cell::Text))
                        };
                        cell.map(|c| c.unwrap_or(Cell::Null)).map_err(err)
                    })
                    .collect()
            })
            .collect()
    }
}
