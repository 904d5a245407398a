//! The SQLite backend: one file, WAL, created on first start.

use rusqlite::types::{Value, ValueRef};

use super::{Cell, DbError, Dialect, Param, Sql};

/// How long a statement waits for a lock held by another process (a
/// backup, the `sqlite3` shell) before failing.
const BUSY_TIMEOUT_MS: u64 = 5_000;

/// A SQLite database file.
pub struct Sqlite(rusqlite::Connection);

fn err(e: rusqlite::Error) -> DbError {
    use rusqlite::ErrorCode::{ConstraintViolation, TooBig, TypeMismatch};
    let message = format!("sqlite: {e}");
    match e.sqlite_error_code() {
        Some(ConstraintViolation | TypeMismatch | TooBig) => DbError::refused(message),
        _ => DbError::new(message),
    }
}

impl Sqlite {
    /// Opens (or creates) the database at `path` in WAL mode.
    pub fn open(path: &str) -> Result<Self, DbError> {
        let conn = rusqlite::Connection::open(path)
            .map_err(|e| DbError::new(format!("sqlite: {path}: {e}")))?;
        conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS)).map_err(err)?;
        // journal_mode answers with a row, so it is a query.
        let mode: String =
            conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)).map_err(err)?;
        if !mode.eq_ignore_ascii_case("wal") && path != ":memory:" {
            return Err(DbError::new(format!("sqlite: {path}: WAL refused (journal_mode {mode})")));
        }
        conn.execute_batch("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;").map_err(err)?;
        Ok(Self(conn))
    }
}

/// `$1` → `?1`: SQLite reads `$1` as a parameter *named* "$1".
fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

fn values(params: &[Param]) -> impl Iterator<Item = Value> + '_ {
    params.iter().map(|p| match p {
        Param::Int(Some(v)) => Value::Integer(*v),
        Param::Real(Some(v)) => Value::Real(*v),
        Param::Text(Some(v)) => Value::Text(v.clone()),
        Param::Int(None) | Param::Real(None) | Param::Text(None) => Value::Null,
    })
}

impl Sql for Sqlite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn exec(&mut self, sql: &str, params: &[Param]) -> Result<u64, DbError> {
        let mut stmt = self.0.prepare_cached(&placeholders(sql)).map_err(err)?;
        let n = stmt.execute(rusqlite::params_from_iter(values(params))).map_err(err)?;
        Ok(n as u64)
    }

    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        self.0.execute_batch(sql).map_err(err)
    }

    fn query(&mut self, sql: &str, params: &[Param]) -> Result<Vec<Vec<Cell>>, DbError> {
        let mut stmt = self.0.prepare_cached(&placeholders(sql)).map_err(err)?;
        let columns = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(values(params))).map_err(err)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(err)? {
            let mut cells = Vec::with_capacity(columns);
            for i in 0..columns {
                cells.push(match row.get_ref(i).map_err(err)? {
                    ValueRef::Null => Cell::Null,
                    ValueRef::Integer(v) => Cell::Int(v),
                    ValueRef::Real(v) => Cell::Real(v),
                    ValueRef::Text(t) | ValueRef::Blob(t) => {
                        Cell::Text(String::from_utf8_lossy(t).into_owned())
                    }
                });
            }
            out.push(cells);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollar_placeholders_become_numbered_questions() {
        assert_eq!(placeholders("a = $1 AND b = $12 OR c = '$'"), "a = ?1 AND b = ?12 OR c = '$'");
    }
}
