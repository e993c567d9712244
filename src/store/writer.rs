//! Writes: one body of statements for both databases.
//!
//! A transaction's body is written once against [`Tx`] (see the `tx!` macro) and runs on whichever
//! database Bridge has. On SQLite it runs on the one writer connection (rusqlite), on the thread
//! that asked, while that thread holds the writer: every statement is a plain function call, so a
//! whole create costs no thread hand-off at all (sqlx's SQLite driver crossed threads for every
//! step, which was most of a write's time; see `bench/store.sh`). On PostgreSQL it is an sqlx
//! transaction. Values travel as [`Arg`]s, bound by their `$n` on both.

use std::time::Duration;

use bridge_domain::Error;
use rusqlite::Connection;
use serde::de::DeserializeOwned;
use tokio::sync::{Mutex, MutexGuard};

use super::sqlite::{bind, query_rows};
use super::{bind_all, built, Arg, Failure};

/// How long a write waits for another process (a command-line import, say) to release SQLite's
/// write lock before it gives up.
const SQLITE_BUSY_WAIT: Duration = Duration::from_secs(5);

/// The one SQLite connection that writes: SQLite allows one writer at a time, so writers queue for
/// it here (fairly, first come first served) instead of waiting on each other's file locks.
pub struct Writer(Mutex<Connection>);

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Writer")
    }
}

impl Writer {
    /// Opens the writer on a database that exists (sqlx created it and set WAL mode).
    pub fn open(path: &std::path::Path) -> rusqlite::Result<Writer> {
        let conn = Connection::open(path)?;
        // WAL with NORMAL sync: a commit is in the log before it is acknowledged, so a killed
        // process loses nothing it acknowledged (only a power cut may lose the last commits).
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
        conn.busy_timeout(Duration::ZERO)?;
        conn.set_prepared_statement_cache_capacity(256);
        Ok(Writer(Mutex::new(conn)))
    }

    /// Whether no one is writing right now (for `/metrics`).
    pub fn is_idle(&self) -> bool {
        self.0.try_lock().is_ok()
    }

    /// Takes the writer and opens an `IMMEDIATE` transaction: it takes SQLite's write lock at its
    /// start, so a transaction that reads and then writes cannot fail halfway because another
    /// process wrote in between.
    pub async fn begin(&self) -> Result<Tx<'_>, Error> {
        let mut conn = self.0.lock().await;
        begin_immediate(&mut conn).map_err(Failure::from)?;
        Ok(Tx::Sqlite(SqliteTx { conn, open: true }))
    }

    /// Runs one statement on its own (no transaction of its own beyond SQLite's implicit one).
    pub async fn execute(&self, sql: &str, args: &[Arg]) -> Result<u64, Failure> {
        let mut conn = self.0.lock().await;
        Ok(wait_if_busy(&mut conn, |c| execute(c, sql, args))?)
    }
}

/// `BEGIN IMMEDIATE`, waiting for another process's write to finish if there is one.
fn begin_immediate(conn: &mut Connection) -> rusqlite::Result<()> {
    wait_if_busy(conn, |c| c.execute_batch("BEGIN IMMEDIATE"))
}

/// Runs `work`; when another process holds the write lock, runs it again with a busy timeout,
/// off the async workers where the runtime allows it, so the server keeps answering meanwhile.
fn wait_if_busy<T>(conn: &mut Connection, work: impl Fn(&Connection) -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    match work(conn) {
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => {
            let wait = || {
                conn.busy_timeout(SQLITE_BUSY_WAIT)?;
                let result = work(conn);
                conn.busy_timeout(Duration::ZERO)?;
                result
            };
            match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
                Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(wait),
                _ => wait(),
            }
        }
        other => other,
    }
}

pub struct SqliteTx<'c> {
    conn: MutexGuard<'c, Connection>,
    open: bool,
}

impl Drop for SqliteTx<'_> {
    /// A body that failed, or a request that went away mid-way, leaves nothing behind.
    fn drop(&mut self) {
        if self.open {
            if let Err(e) = self.conn.execute_batch("ROLLBACK") {
                tracing::error!(error = %e, "rolling back an SQLite transaction failed");
            }
        }
    }
}

/// A value in PostgreSQL's COPY text format: `\N` for null, text with its backslashes, tabs
/// and line breaks escaped.
fn copy_text(out: &mut String, a: &Arg) {
    use std::fmt::Write;
    match a {
        Arg::I(v) => {
            let _ = write!(out, "{v}");
        }
        Arg::F(v) => {
            let _ = write!(out, "{v}");
        }
        Arg::S(v) => {
            for c in v.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
        }
        Arg::NullI | Arg::NullF | Arg::NullS => out.push_str("\\N"),
    }
}

/// A transaction on either database; see the module comment.
pub enum Tx<'c> {
    Sqlite(SqliteTx<'c>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Tx<'_> {
    /// Runs a statement; answers how many rows it changed.
    pub async fn execute(&mut self, sql: &str, args: &[Arg]) -> Result<u64, Failure> {
        match self {
            Tx::Sqlite(t) => Ok(execute(&t.conn, sql, args)?),
            Tx::Postgres(t) => Ok(bind_all!(sqlx::query(built(sql)), args).execute(&mut **t).await?.rows_affected()),
        }
    }

    /// Inserts many rows into `table`'s `columns`, each row its values in that order. SQLite runs
    /// one prepared single-row statement per row (a function call each, no round trip; a
    /// statement of thousands of `$n` would bind slowly, SQLite looking each name up in a list);
    /// PostgreSQL takes them through `COPY … FROM STDIN` in its text format, streamed in 1 MB
    /// pieces (an `INSERT` of arrays kept one server process busy 9 s per million rows) — except
    /// a few rows, which go in one multi-row `INSERT`: a COPY's ending waited some 40 ms for the
    /// network (delayed acknowledgement), which a demo of 300 small inserts paid 13 s for.
    pub async fn insert_many(&mut self, table: &str, columns: &[&str], rows: &[Vec<Arg>]) -> Result<(), Failure> {
        const FEW: usize = 100;
        let names = columns.join(", ");
        if rows.is_empty() {
            return Ok(());
        }
        if matches!(self, Tx::Postgres(_)) && rows.len() <= FEW {
            let width = columns.len();
            let tuples: Vec<String> = (0..rows.len())
                .map(|r| {
                    format!("({})", (1..=width).map(|c| format!("${}", r * width + c)).collect::<Vec<_>>().join(", "))
                })
                .collect();
            let args: Vec<Arg> = rows.iter().flatten().cloned().collect();
            self.execute(&format!("INSERT INTO {table} ({names}) VALUES {}", tuples.join(", ")), &args).await?;
            return Ok(());
        }
        match self {
            Tx::Sqlite(t) => {
                let values: Vec<String> = (1..=columns.len()).map(|c| format!("${c}")).collect();
                let mut statement =
                    t.conn.prepare_cached(&format!("INSERT INTO {table} ({names}) VALUES ({})", values.join(", ")))?;
                for row in rows {
                    bind(&mut statement, row)?;
                    statement.raw_execute()?;
                }
            }
            Tx::Postgres(t) => {
                let conn: &mut sqlx::PgConnection = &mut *t;
                let mut copy = conn.copy_in_raw(&format!("COPY {table} ({names}) FROM STDIN")).await?;
                let mut buffer = String::with_capacity(1 << 20);
                for row in rows {
                    for (i, value) in row.iter().enumerate() {
                        if i > 0 {
                            buffer.push('\t');
                        }
                        copy_text(&mut buffer, value);
                    }
                    buffer.push('\n');
                    if buffer.len() >= 1 << 20 {
                        copy.send(buffer.as_bytes()).await?;
                        buffer.clear();
                    }
                }
                if !buffer.is_empty() {
                    copy.send(buffer.as_bytes()).await?;
                }
                copy.finish().await?;
            }
        }
        Ok(())
    }

    /// The number in the first column of the one row a statement answers: the id an
    /// `INSERT … RETURNING id` made, or a `COUNT(*)`. No row is a "not found".
    pub async fn number(&mut self, sql: &str, args: &[Arg]) -> Result<i64, Failure> {
        match self {
            Tx::Sqlite(t) => {
                let mut statement = t.conn.prepare_cached(sql)?;
                bind(&mut statement, args)?;
                let mut rows = statement.raw_query();
                match rows.next()? {
                    Some(row) => Ok(row.get(0)?),
                    None => Err(rusqlite::Error::QueryReturnedNoRows.into()),
                }
            }
            Tx::Postgres(t) => Ok(bind_all!(sqlx::query_scalar(built(sql)), args).fetch_one(&mut **t).await?),
        }
    }

    /// Every row a query answers (an `UPDATE … RETURNING`, say), mapped onto `T` by column name.
    pub async fn rows<T>(&mut self, sql: &str, args: &[Arg]) -> Result<Vec<T>, Failure>
    where
        T: DeserializeOwned + Send + Unpin + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
    {
        match self {
            Tx::Sqlite(t) => Ok(query_rows::<T>(&t.conn, sql, args)?),
            Tx::Postgres(t) => Ok(bind_all!(sqlx::query_as::<_, T>(built(sql)), args).fetch_all(&mut **t).await?),
        }
    }

    /// The first row a query answers, mapped onto `T` by column name.
    pub async fn first<T>(&mut self, sql: &str, args: &[Arg]) -> Result<Option<T>, Failure>
    where
        T: DeserializeOwned + Send + Unpin + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
    {
        Ok(self.rows(sql, args).await?.into_iter().next())
    }

    /// Makes the body's changes permanent.
    pub(super) async fn commit(self) -> Result<(), Error> {
        match self {
            Tx::Sqlite(mut t) => {
                t.conn.execute_batch("COMMIT").map_err(Failure::from)?;
                t.open = false;
                Ok(())
            }
            Tx::Postgres(t) => Ok(t.commit().await.map_err(Failure::from)?),
        }
    }
}

fn execute(conn: &Connection, sql: &str, args: &[Arg]) -> rusqlite::Result<u64> {
    let mut statement = conn.prepare_cached(sql)?;
    bind(&mut statement, args)?;
    Ok(statement.raw_execute()? as u64)
}

#[cfg(test)]
mod copy_tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_would_end_a_field_or_a_row() {
        let mut out = String::new();
        for a in [Arg::I(-4), Arg::F(2.5), Arg::S("a\tb\nc\\d".into()), Arg::NullS] {
            copy_text(&mut out, &a);
            out.push('|');
        }
        assert_eq!(out, "-4|2.5|a\\tb\\nc\\\\d|\\N|");
    }
}
