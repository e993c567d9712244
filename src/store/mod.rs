//! All SQL lives here. One code path serves SQLite and PostgreSQL: queries use `$1` placeholders,
//! which both accept, and the `read!`/`write!`/`tx!` macros expand a query once per database so it
//! is written once and type-checked twice. Where the dialects differ, the fork is explicit.

pub mod accounts;
pub mod audit;
pub mod comments;
pub mod intake;
pub mod language;
pub mod notifications;
pub mod org;
mod sqlite;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use bridge_domain::Error;
use serde::de::DeserializeOwned;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

/// The database Bridge runs on: enum dispatch rather than `sqlx::Any`, which loses types.
#[derive(Clone, Debug)]
pub enum Db {
    /// SQLite allows one writer at a time, so writes go through a pool of one connection and never
    /// wait on each other's locks; reads use a wider pool (WAL lets them run beside the writer).
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
        /// The same database for the hot reads, on rusqlite (see `store::sqlite`).
        readers: Arc<sqlite::Readers>,
    },
    Postgres(PgPool),
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Runs `$body` with `$p` bound to the pool for reads.
macro_rules! read {
    ($db:expr, $p:ident => $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite { read: $p, .. } => $body,
            $crate::store::Db::Postgres($p) => $body,
        }
    };
}

/// Runs `$body` with `$p` bound to the pool for single-statement writes.
macro_rules! write {
    ($db:expr, $p:ident => $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite { write: $p, .. } => $body,
            $crate::store::Db::Postgres($p) => $body,
        }
    };
}

/// Runs `$body` (which must evaluate to `Result<T, Error>`) inside a transaction bound to `$tx`;
/// commits when it is `Ok`, rolls back otherwise. On SQLite the transaction is `IMMEDIATE`: it takes
/// the write lock at its start, so a transaction that reads and then writes waits its turn (busy
/// timeout) instead of failing when another process wrote in between.
macro_rules! tx {
    ($db:expr, $tx:ident => $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite { write: pool, .. } => {
                let mut $tx = pool.begin_with("BEGIN IMMEDIATE").await.map_err($crate::store::db_err)?;
                let result: Result<_, bridge_domain::Error> = $body;
                if result.is_ok() {
                    $tx.commit().await.map_err($crate::store::db_err)?;
                }
                result
            }
            $crate::store::Db::Postgres(pool) => {
                let mut $tx = pool.begin().await.map_err($crate::store::db_err)?;
                let result: Result<_, bridge_domain::Error> = $body;
                if result.is_ok() {
                    $tx.commit().await.map_err($crate::store::db_err)?;
                }
                result
            }
        }
    };
}

pub(crate) use {read, tx, write};

/// A bind value for queries whose filters vary.
#[derive(Debug, Clone)]
pub enum Arg {
    I(i64),
    F(f64),
    S(String),
}

/// A list query and its count, for [`Db::page_of`].
pub struct Listing {
    pub sql: String,
    pub args: Vec<Arg>,
    pub count_sql: String,
    pub count_args: Vec<Arg>,
}

/// Binds every [`Arg`] of `$args` to the sqlx query `$q`, in order.
macro_rules! bind_all {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                $crate::store::Arg::I(v) => q.bind(*v),
                $crate::store::Arg::F(v) => q.bind(*v),
                $crate::store::Arg::S(v) => q.bind(v.clone()),
            };
        }
        q
    }};
}

/// Maps a database failure to the domain error. Unique and foreign-key violations are told apart by
/// their kind, never by constraint name (SQLite reports none); callers that know which field clashed
/// use [`unique_as`] instead.
pub fn db_err(e: sqlx::Error) -> Error {
    match &e {
        sqlx::Error::RowNotFound => Error::not_found("The record"),
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            Error::conflict("This would duplicate something that already exists.")
        }
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
            Error::field("reference", "This refers to something that does not exist.")
        }
        // PostgreSQL's "data exception" class (22…): a character it cannot store, a number out of
        // range. The input's fault, not the server's: never a 500, whatever slipped past validation.
        sqlx::Error::Database(d) if d.code().is_some_and(|c| c.starts_with("22")) => {
            tracing::warn!(error = %d, "input refused by the database");
            Error::field("input", "Part of what you sent cannot be stored (an unusual character or a number out of range). Check it and try again.")
        }
        _ => Error::internal(e),
    }
}

/// Like [`db_err`], but a unique violation becomes a conflict naming `field`.
pub fn unique_as(field: &'static str, message: String) -> impl FnOnce(sqlx::Error) -> Error {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => Error::conflict_on(field, message),
        _ => db_err(e),
    }
}

/// A query this module assembled from its own fixed fragments (column lists, a table picked by an
/// enum, numbered placeholders). Values always travel as binds, never inside the text.
pub(crate) fn built(sql: &str) -> sqlx::AssertSqlSafe<&str> {
    sqlx::AssertSqlSafe(sql)
}

/// Milliseconds since the Unix epoch, UTC: the one way Bridge stores time.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl Db {
    /// Opens (creating an SQLite file when needed) and checks the connection, with a one-line error.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // Generic plans: each statement is planned once per connection instead of on every
            // execution. Planning was most of PostgreSQL's time for a list of 50 (three tables);
            // at 100,000 requests every list got as fast or faster (bench/store.sh, docs/architecture.md).
            let options = PgConnectOptions::from_str(url)
                .map_err(|e| anyhow::anyhow!("invalid PostgreSQL URL: {e}"))?
                .options([("plan_cache_mode", "force_generic_plan")]);
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(options)
                .await
                .map_err(|e| anyhow::anyhow!("cannot connect to PostgreSQL: {e}"))?;
            return Ok(Db::Postgres(pool));
        }
        let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))
            .map_err(|e| anyhow::anyhow!("invalid SQLite database URL {url:?}: {e}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            .statement_cache_capacity(256);
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options.clone())
            .await
            .map_err(|e| anyhow::anyhow!("cannot open SQLite database {path}: {e}"))?;
        // Each SQLite connection is a worker thread; more readers than about twice the cores only
        // adds thread switches (list of 50 at 64 clients, two runs each: 4 readers 2,900 and 3,100
        // req/s, 8 readers 2,500 and 2,900).
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .min_connections(2)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options.read_only(false))
            .await
            .map_err(|e| anyhow::anyhow!("cannot open SQLite database {path}: {e}"))?;
        let readers = Arc::new(sqlite::Readers::new(Path::new(path), 4));
        Ok(Db::Sqlite { read, write, readers })
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self {
            Db::Sqlite { write, .. } => SQLITE_MIGRATIONS.run(write).await?,
            Db::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Db::Sqlite { .. } => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Every row of a query whose values are [`Arg`]s, each database on its fast path: SQLite on
    /// rusqlite in one hand-off (`store::sqlite`), PostgreSQL on sqlx. Rows map by column name.
    pub(crate) async fn rows<T>(&self, sql: String, args: Vec<Arg>) -> Result<Vec<T>, Error>
    where
        T: DeserializeOwned + Send + Unpin + 'static + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
    {
        match self {
            Db::Sqlite { readers, .. } => readers.rows(sql, args).await,
            Db::Postgres(p) => bind_all!(sqlx::query_as::<_, T>(built(&sql)), &args).fetch_all(p).await.map_err(db_err),
        }
    }

    /// The first row of a query on the same paths as [`Db::rows`] (a look-up by a unique key).
    pub(crate) async fn first<T>(&self, sql: String, args: Vec<Arg>) -> Result<Option<T>, Error>
    where
        T: DeserializeOwned + Send + Unpin + 'static + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
    {
        Ok(self.rows(sql, args).await?.into_iter().next())
    }

    /// One page of a list and how many rows match: `sql` must end in `LIMIT $n OFFSET $n+1` with
    /// the page's limit and offset as its last two args; `count_sql` counts with `count_args`. The
    /// count runs only when the page does not tell it (a first page shorter than the limit is all
    /// there is); on SQLite both run in one hand-off.
    pub(crate) async fn page_of<T>(&self, list: Listing, page: Page) -> Result<(Vec<T>, i64), Error>
    where
        T: DeserializeOwned + Send + Unpin + 'static + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
    {
        let Listing { sql, args, count_sql, count_args } = list;
        let counted = move |len: usize| (page.offset == 0 && (len as i64) < page.limit).then_some(len as i64);
        match self {
            Db::Sqlite { readers, .. } => readers.page(sql, args, count_sql, count_args, counted).await,
            Db::Postgres(_) => {
                let rows: Vec<T> = self.rows(sql, args).await?;
                let total = match counted(rows.len()) {
                    Some(n) => n,
                    None => self.count(count_sql, count_args).await?,
                };
                Ok((rows, total))
            }
        }
    }

    /// The number a `SELECT COUNT(*) …` answers, on the same paths as [`Db::rows`].
    pub(crate) async fn count(&self, sql: String, args: Vec<Arg>) -> Result<i64, Error> {
        match self {
            Db::Sqlite { readers, .. } => readers.count(sql, args).await,
            Db::Postgres(p) => bind_all!(sqlx::query_scalar(built(&sql)), &args).fetch_one(p).await.map_err(db_err),
        }
    }

    /// A cheap round trip, for `/readyz`.
    pub async fn ping(&self) -> Result<(), Error> {
        read!(self, p => sqlx::query("SELECT 1").execute(p).await.map(|_| ()).map_err(db_err))
    }

    /// (connections open, idle connections) summed over pools, for `/metrics`.
    pub fn pool_stats(&self) -> (u32, usize) {
        match self {
            Db::Sqlite { read, write, .. } => (read.size() + write.size(), read.num_idle() + write.num_idle()),
            Db::Postgres(p) => (p.size(), p.num_idle()),
        }
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite { read, write, .. } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(p) => p.close().await,
        }
    }

    pub async fn get_setting(&self, key: &str) -> Result<Option<String>, Error> {
        read!(self, p => sqlx::query_scalar::<_, String>("SELECT value FROM settings WHERE key = $1")
            .bind(key).fetch_optional(p).await.map_err(db_err))
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), Error> {
        write!(self, p => sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key).bind(value).execute(p).await.map(|_| ()).map_err(db_err))
    }
}

/// Page of a list: which slice of the rows to return.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
}

impl Page {
    pub const MAX_LIMIT: i64 = 200;
    pub fn new(page: Option<i64>, per_page: Option<i64>) -> Page {
        let limit = per_page.unwrap_or(50).clamp(1, Self::MAX_LIMIT);
        let page = page.unwrap_or(1).max(1);
        Page { limit, offset: (page - 1).saturating_mul(limit) }
    }
}

/// Escapes `%`, `_` and `\` so user text is matched literally inside a LIKE pattern.
pub fn like_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    /// The numbers of a migrations folder, in order.
    fn numbers(dir: &str) -> Vec<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(dir);
        let mut found: Vec<String> = std::fs::read_dir(path)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|name| name.split_once('_').map(|(n, _)| n.to_string()))
            .collect();
        found.sort();
        found
    }

    #[test]
    fn both_databases_have_the_same_migration_numbers() {
        let (sqlite, postgres) = (numbers("sqlite"), numbers("postgres"));
        assert!(!sqlite.is_empty());
        assert_eq!(
            sqlite, postgres,
            "add a file with the same number to both folders (a no-op where one needs nothing)"
        );
    }
}
