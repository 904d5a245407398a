//! Storage: one [`Sql`] trait with two real backends, SQLite (the default,
//! one file with WAL) and PostgreSQL, and the fleet's queries written once
//! on top of it, in portable SQL with `$1` placeholders.
//!
//! Every value reaches the database as a bound parameter; no query is
//! built from request text.

mod clients;
mod history;
mod ingest;
mod models;
mod postgres;
mod schema;
mod sqlite;
#[cfg(test)]
mod tests;

use std::fmt;

pub use clients::{ClientRow, Edit, NewClient, Upsert};
pub use history::DailyRow;
pub use ingest::{IngestRules, Pending, PendingKind};
pub use models::{ModelFilter, NewModel};
pub use schema::LATEST as SCHEMA_VERSION;

/// A parameter, typed even when null (PostgreSQL checks types).
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    /// BIGINT.
    Int(Option<i64>),
    /// DOUBLE PRECISION.
    Real(Option<f64>),
    /// TEXT.
    Text(Option<String>),
}

/// A value read back.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// NULL.
    Null,
    /// An integer.
    Int(i64),
    /// A float.
    Real(f64),
    /// Text.
    Text(String),
}

impl Cell {
    /// The integer, if it is one.
    pub fn int(&self) -> Option<i64> {
        match *self {
            Self::Int(v) => Some(v),
            _ => None,
        }
    }

    /// The number, integer or float.
    pub fn real(&self) -> Option<f64> {
        match *self {
            Self::Int(v) => Some(v as f64),
            Self::Real(v) => Some(v),
            _ => None,
        }
    }

    /// The text, if it is text.
    pub fn text(&self) -> Option<&str> {
        match self {
            Self::Text(v) => Some(v),
            _ => None,
        }
    }

    /// The text, owned (empty when null).
    pub fn string(&self) -> String {
        self.text().unwrap_or_default().to_owned()
    }
}

/// Which SQL the backend speaks where the two differ (the schema only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite 3.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// A database failure, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbError {
    /// What the database (or the driver) said.
    pub message: String,
    /// The database refused the data itself (a constraint, a type, a size):
    /// the same statement would fail again. Otherwise the failure may pass
    /// (a lock, a full disk, a lost connection).
    pub refused: bool,
}

impl DbError {
    /// A failure that may pass.
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), refused: false }
    }

    /// The data was refused.
    pub fn refused(message: impl Into<String>) -> Self {
        Self { message: message.into(), refused: true }
    }
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// What a backend does: run a statement, run a query. Transactions are
/// `BEGIN`/`COMMIT`/`ROLLBACK` statements, which both backends accept.
pub trait Sql: Send {
    /// The backend's dialect.
    fn dialect(&self) -> Dialect;
    /// Runs a statement; returns the rows it changed.
    fn exec(&mut self, sql: &str, params: &[Param]) -> Result<u64, DbError>;
    /// Runs statements with no parameters (schema, transactions).
    fn batch(&mut self, sql: &str) -> Result<(), DbError>;
    /// Runs a query; returns its rows.
    fn query(&mut self, sql: &str, params: &[Param]) -> Result<Vec<Vec<Cell>>, DbError>;
}

/// The fleet's database.
pub struct Store {
    db: Box<dyn Sql>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("dialect", &self.db.dialect()).finish()
    }
}

impl Store {
    /// Opens `url` and brings its schema up to date: `postgres://…` or
    /// `postgresql://…` for PostgreSQL, `sqlite:PATH` or a plain path for
    /// SQLite (created on first start).
    pub fn open(url: &str) -> Result<Self, DbError> {
        let mut db = connect(url)?;
        schema::migrate(db.as_mut())?;
        Ok(Self { db })
    }

    /// The backend's dialect.
    pub fn dialect(&self) -> Dialect {
        self.db.dialect()
    }

    /// Runs `f` in one transaction: all of it or none of it.
    fn transaction<T>(
        &mut self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        // SQLite: take the write lock now, waiting out the busy timeout;
        // a plain BEGIN fails at once when its first read must become a
        // write while another connection writes.
        self.db.batch(match self.db.dialect() {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres => "BEGIN",
        })?;
        match f(self.db.as_mut()) {
            Ok(v) => match self.db.batch("COMMIT") {
                Ok(()) => Ok(v),
                Err(e) => {
                    // A COMMIT that failed may leave the transaction open.
                    let _ = self.db.batch("ROLLBACK");
                    Err(e)
                }
            },
            Err(e) => {
                let _ = self.db.batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Whether the database answers.
    pub fn ping(&mut self) -> Result<(), DbError> {
        self.db.query("SELECT 1", &[]).map(drop)
    }
}

/// A connection to `url`, as [`Store::open`] reads it, schema untouched.
fn connect(url: &str) -> Result<Box<dyn Sql>, DbError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Box::new(postgres::Postgres::connect(url)?))
    } else {
        let path =
            url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
        Ok(Box::new(sqlite::Sqlite::open(path)?))
    }
}

/// Shorthands for parameters.
fn text(s: impl Into<String>) -> Param {
    Param::Text(Some(s.into()))
}

fn opt_text(s: Option<&str>) -> Param {
    Param::Text(s.map(str::to_owned))
}

const fn int(v: i64) -> Param {
    Param::Int(Some(v))
}

const fn real(v: f64) -> Param {
    Param::Real(Some(v))
}
