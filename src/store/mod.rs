//! All SQL lives here. One code path serves SQLite and PostgreSQL: queries use `$1` placeholders,
//! which both accept, and values travel as [`Arg`]s. Reads go through [`Db::rows`], [`Db::first`],
//! [`Db::count`] and [`Db::page_of`]; writes through [`Db::execute`] and the `tx!` macro, whose body
//! is written once against [`Tx`]. Each runs on its database's fast path (`store::sqlite`,
//! `store::writer`). Where the dialects differ, the fork is explicit.

pub mod accounts;
pub mod audit;
pub mod comments;
mod counts;
pub mod engagement;
pub mod intake;
pub mod jobs;
pub mod language;
pub mod learning;
pub mod notifications;
pub mod org;
pub mod portfolio;
pub mod reviews;
pub mod search;
mod sqlite;
pub mod sso;
pub mod value;
pub mod webhooks;
mod writer;

pub use writer::Tx;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use bridge_domain::Error;
use serde::de::DeserializeOwned;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, PgPool};

/// The database Bridge runs on: enum dispatch rather than `sqlx::Any`, which loses types.
#[derive(Clone, Debug)]
pub enum Db {
    /// SQLite allows one writer at a time, so writes queue for one connection ([`writer::Writer`])
    /// and never wait on each other's locks; reads use pools of their own (WAL lets them run
    /// beside the writer).
    Sqlite {
        /// For the migrations (sqlx's migrator), on a connection of their own.
        migrations: Arc<SqliteConnectOptions>,
        /// Reads, on rusqlite (see `store::sqlite`).
        readers: Arc<sqlite::Readers>,
        writer: Arc<writer::Writer>,
        counts: Arc<counts::Counts>,
    },
    Postgres {
        pool: PgPool,
        counts: Arc<counts::Counts>,
    },
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Runs `$body` (which must evaluate to `Result<T, Error>`) inside a transaction bound to `$tx`
/// (a [`Tx`]): commits when it is `Ok`, rolls back otherwise. `?` and `return` inside the body
/// leave the body, never the transaction half-done.
macro_rules! tx {
    ($db:expr, $tx:ident => $body:expr) => {{
        let mut $tx = $db.begin().await?;
        let result: Result<_, bridge_domain::Error> = async { $body }.await;
        match result {
            Ok(value) => {
                $tx.commit().await?;
                $db.wrote();
                Ok(value)
            }
            // Dropping the transaction rolls it back.
            Err(e) => Err(e),
        }
    }};
}

/// The values of a statement's `$1`, `$2`, … as [`Arg`]s: `&args![name, id]`.
macro_rules! args {
    ($($value:expr),* $(,)?) => {
        [$($crate::store::Arg::from($value)),*]
    };
}

pub(crate) use {args, tx};

/// A value bound to a statement's `$n`, on either database. A null keeps its type, which
/// PostgreSQL needs to plan the statement.
#[derive(Debug, Clone)]
pub enum Arg {
    I(i64),
    F(f64),
    S(String),
    NullI,
    NullF,
    NullS,
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::I(v)
    }
}
impl From<u32> for Arg {
    fn from(v: u32) -> Self {
        Arg::I(i64::from(v))
    }
}
impl From<f64> for Arg {
    fn from(v: f64) -> Self {
        Arg::F(v)
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::S(v.to_string())
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::S(v)
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Arg::S(v.clone())
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Arg::NullI, Arg::I)
    }
}
impl From<Option<u32>> for Arg {
    fn from(v: Option<u32>) -> Self {
        v.map_or(Arg::NullI, |v| Arg::I(i64::from(v)))
    }
}
impl From<Option<f64>> for Arg {
    fn from(v: Option<f64>) -> Self {
        v.map_or(Arg::NullF, Arg::F)
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        v.map_or(Arg::NullS, Arg::S)
    }
}
impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        v.map_or(Arg::NullS, |v| Arg::S(v.to_string()))
    }
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
                $crate::store::Arg::NullI => q.bind(None::<i64>),
                $crate::store::Arg::NullF => q.bind(None::<f64>),
                $crate::store::Arg::NullS => q.bind(None::<String>),
            };
        }
        q
    }};
}
pub(crate) use bind_all;

/// A database failure from either driver, before it becomes a domain [`Error`] (`?` converts).
#[derive(Debug)]
pub enum Failure {
    Sqlx(sqlx::Error),
    Sqlite(rusqlite::Error),
}

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Self {
        Failure::Sqlx(e)
    }
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Self {
        Failure::Sqlite(e)
    }
}

impl From<Failure> for Error {
    fn from(e: Failure) -> Self {
        db_err(e)
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Sqlx(e) => e.fmt(f),
            Failure::Sqlite(e) => e.fmt(f),
        }
    }
}

/// What a failure means to the caller, the same for both drivers.
#[derive(Debug, PartialEq, Eq)]
enum FailureKind {
    NotFound,
    Unique,
    ForeignKey,
    /// PostgreSQL's "data exception" class (22…): a character it cannot store, a number out of range.
    BadData,
    Other,
}

impl Failure {
    fn kind(&self) -> FailureKind {
        use rusqlite::ffi;
        match self {
            Failure::Sqlx(sqlx::Error::RowNotFound) => FailureKind::NotFound,
            Failure::Sqlx(sqlx::Error::Database(d)) if d.is_unique_violation() => FailureKind::Unique,
            Failure::Sqlx(sqlx::Error::Database(d)) if d.is_foreign_key_violation() => FailureKind::ForeignKey,
            Failure::Sqlx(sqlx::Error::Database(d)) if d.code().is_some_and(|c| c.starts_with("22")) => {
                FailureKind::BadData
            }
            Failure::Sqlite(rusqlite::Error::QueryReturnedNoRows) => FailureKind::NotFound,
            Failure::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => match e.extended_code {
                ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => FailureKind::Unique,
                ffi::SQLITE_CONSTRAINT_FOREIGNKEY => FailureKind::ForeignKey,
                _ => FailureKind::Other,
            },
            _ => FailureKind::Other,
        }
    }

    /// Whether the statement broke a unique constraint (someone else made the same thing first).
    pub fn is_unique_violation(&self) -> bool {
        self.kind() == FailureKind::Unique
    }
}

/// Maps a database failure to the domain error. Unique and foreign-key violations are told apart by
/// their kind, never by constraint name (SQLite reports none); callers that know which field clashed
/// use [`unique_as`] instead.
pub fn db_err(e: impl Into<Failure>) -> Error {
    let e = e.into();
    match e.kind() {
        FailureKind::NotFound => Error::not_found("The record"),
        FailureKind::Unique => Error::conflict("This would duplicate something that already exists."),
        FailureKind::ForeignKey => Error::field("reference", "This refers to something that does not exist."),
        // The input's fault, not the server's: never a 500, whatever slipped past validation.
        FailureKind::BadData => {
            tracing::warn!(error = %e, "input refused by the database");
            Error::field("input", "Part of what you sent cannot be stored (an unusual character or a number out of range). Check it and try again.")
        }
        FailureKind::Other => Error::internal(e),
    }
}

/// Like [`db_err`], but a unique violation becomes a conflict naming `field`.
pub fn unique_as<E: Into<Failure>>(field: &'static str, message: String) -> impl FnOnce(E) -> Error {
    move |e| {
        let e = e.into();
        if e.is_unique_violation() {
            Error::conflict_on(field, message)
        } else {
            db_err(e)
        }
    }
}

/// A query this module assembled from its own fixed fragments (column lists, a table picked by an
/// enum, numbered placeholders). Values always travel as binds, never inside the text.
pub(crate) fn built(sql: &str) -> sqlx::AssertSqlSafe<&str> {
    sqlx::AssertSqlSafe(sql)
}

/// Ids as the inside of an SQL `IN (…)`: numbers only, so nobody's text enters the query.
/// A row that is only an id.
#[derive(serde::Deserialize, sqlx::FromRow)]
pub(crate) struct Id {
    pub id: i64,
}

pub(crate) fn id_list<'a>(ids: impl IntoIterator<Item = &'a i64>) -> String {
    ids.into_iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")
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
            // No parallel workers: starting them took 15–20 ms of a search that takes 3 ms alone,
            // and under many clients the cores are busy with other requests anyway.
            let options = PgConnectOptions::from_str(url)
                .map_err(|e| anyhow::anyhow!("invalid PostgreSQL URL: {e}"))?
                .options([("plan_cache_mode", "force_generic_plan"), ("max_parallel_workers_per_gather", "0")]);
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(options)
                .await
                .map_err(|e| anyhow::anyhow!("cannot connect to PostgreSQL: {e}"))?;
            return Ok(Db::Postgres { pool, counts: Arc::default() });
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
        // Creates the file when missing and turns on WAL, before the readers open it read-only.
        options
            .connect()
            .await
            .map_err(|e| anyhow::anyhow!("cannot open SQLite database {path}: {e}"))?
            .close()
            .await?;
        let writer = writer::Writer::open(Path::new(path))
            .map_err(|e| anyhow::anyhow!("cannot open SQLite database {path} for writing: {e}"))?;
        let readers = Arc::new(sqlite::Readers::new(Path::new(path), 4));
        Ok(Db::Sqlite { migrations: Arc::new(options), readers, writer: Arc::new(writer), counts: Arc::default() })
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self {
            Db::Sqlite { migrations, .. } => {
                let mut conn = migrations.connect().await?;
                SQLITE_MIGRATIONS.run(&mut conn).await?;
                conn.close().await?;
            }
            Db::Postgres { pool, .. } => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Db::Sqlite { .. } => "sqlite",
            Db::Postgres { .. } => "postgres",
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
            Db::Postgres { pool, .. } => {
                bind_all!(sqlx::query_as::<_, T>(built(&sql)), &args).fetch_all(pool).await.map_err(db_err)
            }
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
    /// count runs only when neither the page tells it (a first page shorter than the limit is all
    /// there is) nor a total counted a moment ago does (`store::counts`); on SQLite page and count
    /// run in one hand-off.
    pub(crate) async fn page_of<T>(&self, list: Listing, page: Page) -> Result<(Vec<T>, i64), Error>
    where
        T: DeserializeOwned + Send + Unpin + 'static + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
    {
        let Listing { sql, args, count_sql, count_args } = list;
        let counts = self.counts();
        let key = counts::key(&count_sql, &count_args);
        let (kept, writes) = (counts.get(&key), counts.now());
        let counted = move |len: usize| (page.offset == 0 && (len as i64) < page.limit).then_some(len as i64).or(kept);
        let (rows, total) = match self {
            Db::Sqlite { readers, .. } => readers.page(sql, args, count_sql, count_args, counted).await?,
            Db::Postgres { .. } => {
                let rows: Vec<T> = self.rows(sql, args).await?;
                let total = match counted(rows.len()) {
                    Some(n) => n,
                    None => self.count_kept(count_sql, count_args).await?,
                };
                (rows, total)
            }
        };
        if kept.is_none() {
            counts.keep(key, writes, total);
        }
        Ok((rows, total))
    }

    /// The number a `SELECT COUNT(*) …` answers, on the same paths as [`Db::rows`].
    pub async fn count(&self, sql: String, args: Vec<Arg>) -> Result<i64, Error> {
        match self {
            Db::Sqlite { readers, .. } => readers.count(sql, args).await,
            Db::Postgres { pool, .. } => {
                bind_all!(sqlx::query_scalar(built(&sql)), &args).fetch_one(pool).await.map_err(db_err)
            }
        }
    }

    /// Like [`Db::count`], through the totals kept for a moment (`store::counts`).
    pub(crate) async fn count_kept(&self, sql: String, args: Vec<Arg>) -> Result<i64, Error> {
        let key = counts::key(&sql, &args);
        self.counts().get_or_count(key, || self.count(sql, args)).await
    }

    /// Runs one write on its own; answers how many rows it changed. (Several that belong together
    /// go in a `tx!`.)
    pub async fn execute(&self, sql: &str, args: &[Arg]) -> Result<u64, Error> {
        let changed = match self {
            Db::Sqlite { writer, .. } => writer.execute(sql, args).await?,
            Db::Postgres { pool, .. } => {
                bind_all!(sqlx::query(built(sql)), args).execute(pool).await.map_err(db_err)?.rows_affected()
            }
        };
        self.wrote();
        Ok(changed)
    }

    fn counts(&self) -> &counts::Counts {
        match self {
            Db::Sqlite { counts, .. } | Db::Postgres { counts, .. } => counts,
        }
    }

    /// Tells the kept totals that this server wrote something.
    pub(crate) fn wrote(&self) {
        self.counts().wrote();
    }

    /// Opens a transaction for `tx!`.
    pub(crate) async fn begin(&self) -> Result<Tx<'_>, Error> {
        match self {
            Db::Sqlite { writer, .. } => writer.begin().await,
            Db::Postgres { pool, .. } => Ok(Tx::Postgres(pool.begin().await.map_err(db_err)?)),
        }
    }

    /// A cheap round trip, for `/readyz`.
    pub async fn ping(&self) -> Result<(), Error> {
        // BIGINT, so PostgreSQL's answer decodes as the number `count` reads.
        self.count("SELECT CAST(1 AS BIGINT)".into(), vec![]).await.map(|_| ())
    }

    /// (connections open, idle connections) summed over pools, for `/metrics`.
    pub fn pool_stats(&self) -> (u32, usize) {
        match self {
            Db::Sqlite { readers, writer, .. } => {
                let (open, idle) = readers.stats();
                (open + 1, idle + usize::from(writer.is_idle()))
            }
            Db::Postgres { pool, .. } => (pool.size(), pool.num_idle()),
        }
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite { readers, .. } => readers.close(),
            Db::Postgres { pool, .. } => pool.close().await,
        }
    }

    pub async fn get_setting(&self, key: &str) -> Result<Option<String>, Error> {
        #[derive(serde::Deserialize, sqlx::FromRow)]
        struct Setting {
            value: String,
        }
        let row: Option<Setting> =
            self.first("SELECT value FROM settings WHERE key = $1".into(), vec![Arg::S(key.into())]).await?;
        Ok(row.map(|r| r.value))
    }

    /// The setting's value, storing `value` first when it has none: when two servers race, both
    /// get the one that was stored first.
    pub async fn setting_or_insert(&self, key: &str, value: &str) -> Result<String, Error> {
        self.execute(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
            &args![key, value],
        )
        .await?;
        Ok(self.get_setting(key).await?.unwrap_or_else(|| value.to_string()))
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), Error> {
        self.execute(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &args![key, value],
        )
        .await
        .map(|_| ())
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
