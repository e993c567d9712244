//! SQLite reads on rusqlite: each query runs start to finish on one blocking thread with a
//! connection of a small pool, one hand-off per query. sqlx's SQLite driver steps every row on a
//! worker thread and passes each across a channel, so under load most of a list's time went to
//! thread switches (see `bench/store.sh`). Writes have a connection of their own (`store::writer`).
//!
//! Queries are the same text as for PostgreSQL (`$1` placeholders, bound by their number) and rows
//! map onto the same structs, through serde (`serde_rusqlite`) instead of `sqlx::FromRow`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bridge_domain::Error;
use rusqlite::{Connection, OpenFlags};
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;

use super::Arg;

/// Connections for reading, at most `size` at once.
pub struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    size: usize,
    permits: Semaphore,
}

impl std::fmt::Debug for Readers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Readers").field("path", &self.path).finish()
    }
}

impl Readers {
    pub fn new(path: &Path, size: usize) -> Readers {
        Readers { path: path.to_path_buf(), idle: Mutex::new(Vec::new()), size, permits: Semaphore::new(size) }
    }

    /// (connections open, idle ones), for `/metrics`.
    pub fn stats(&self) -> (u32, usize) {
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).len();
        let busy = self.size.saturating_sub(self.permits.available_permits());
        ((idle + busy) as u32, idle)
    }

    fn open(&self) -> rusqlite::Result<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(&self.path, flags)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.set_prepared_statement_cache_capacity(256);
        Ok(conn)
    }

    /// Runs `work` with a connection on a blocking thread.
    pub async fn run<T, F>(self: &Arc<Self>, work: F) -> Result<T, Error>
    where
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let _permit = self.permits.acquire().await.map_err(Error::internal)?;
        let readers = self.clone();
        tokio::task::spawn_blocking(move || {
            let conn = readers.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
            let conn = match conn {
                Some(c) => c,
                None => readers.open().map_err(read_err)?,
            };
            let result = work(&conn).map_err(read_err);
            if !readers.permits.is_closed() {
                readers.idle.lock().unwrap_or_else(|e| e.into_inner()).push(conn);
            }
            result
        })
        .await
        .map_err(Error::internal)?
    }

    /// Refuses every read from now on and closes the idle connections (those in use close when
    /// their read ends).
    pub fn close(&self) {
        self.permits.close();
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Every row of `sql` with `args`, mapped onto `T` by column name.
    pub async fn rows<T: DeserializeOwned + Send + 'static>(
        self: &Arc<Self>,
        sql: String,
        args: Vec<Arg>,
    ) -> Result<Vec<T>, Error> {
        self.run(move |conn| query_rows(conn, &sql, &args)).await
    }

    /// A page of rows and the total: `counted` tells the total from the number of rows when it can;
    /// otherwise `count_sql` runs, on the same connection in the same hand-off.
    pub async fn page<T, F>(
        self: &Arc<Self>,
        sql: String,
        args: Vec<Arg>,
        count_sql: String,
        count_args: Vec<Arg>,
        counted: F,
    ) -> Result<(Vec<T>, i64), Error>
    where
        T: DeserializeOwned + Send + 'static,
        F: FnOnce(usize) -> Option<i64> + Send + 'static,
    {
        self.run(move |conn| {
            let rows: Vec<T> = query_rows(conn, &sql, &args)?;
            let total = match counted(rows.len()) {
                Some(n) => n,
                None => query_count(conn, &count_sql, &count_args)?,
            };
            Ok((rows, total))
        })
        .await
    }

    /// The first column of the first row, as a number.
    pub async fn count(self: &Arc<Self>, sql: String, args: Vec<Arg>) -> Result<i64, Error> {
        self.run(move |conn| query_count(conn, &sql, &args)).await
    }
}

pub(super) fn query_rows<T: DeserializeOwned>(conn: &Connection, sql: &str, args: &[Arg]) -> rusqlite::Result<Vec<T>> {
    let mut statement = conn.prepare_cached(sql)?;
    bind(&mut statement, args)?;
    serde_rusqlite::from_rows::<T>(statement.raw_query())
        .collect::<Result<Vec<T>, _>>()
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

fn query_count(conn: &Connection, sql: &str, args: &[Arg]) -> rusqlite::Result<i64> {
    let mut statement = conn.prepare_cached(sql)?;
    bind(&mut statement, args)?;
    let mut rows = statement.raw_query();
    match rows.next()? {
        Some(row) => row.get(0),
        None => Ok(0),
    }
}

/// Binds `$n` to `args[n - 1]`: SQLite numbers parameters by first appearance, so each is looked
/// up by its name.
pub(super) fn bind(statement: &mut rusqlite::Statement<'_>, args: &[Arg]) -> rusqlite::Result<()> {
    for index in 1..=statement.parameter_count() {
        let arg = statement
            .parameter_name(index)
            .and_then(|name| name.strip_prefix('$'))
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| args.get(n.checked_sub(1)?))
            .ok_or(rusqlite::Error::InvalidParameterCount(index, args.len()))?;
        match arg {
            Arg::I(v) => statement.raw_bind_parameter(index, v)?,
            Arg::F(v) => statement.raw_bind_parameter(index, v)?,
            Arg::S(v) => statement.raw_bind_parameter(index, v)?,
            Arg::NullI | Arg::NullF | Arg::NullS => statement.raw_bind_parameter(index, rusqlite::types::Null)?,
        }
    }
    Ok(())
}

fn read_err(e: rusqlite::Error) -> Error {
    super::db_err(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_bind_by_their_number_not_their_order() {
        let conn = Connection::open_in_memory().unwrap();
        let args = [Arg::S("a".into()), Arg::S("b".into()), Arg::I(3)];
        let mut statement = conn.prepare("SELECT $2 || $1 || $3 || $2").unwrap();
        bind(&mut statement, &args).unwrap();
        let text: String = statement.raw_query().next().unwrap().unwrap().get(0).unwrap();
        assert_eq!(text, "ba3b");
        let mut missing = conn.prepare("SELECT $4").unwrap();
        assert!(bind(&mut missing, &args).is_err(), "a number without a value is an error, not a panic");
        let mut zero = conn.prepare("SELECT $0").unwrap();
        assert!(bind(&mut zero, &args).is_err());
    }
}
