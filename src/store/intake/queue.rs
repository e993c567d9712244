//! The request queue: filters, sorts, full-text search, counts and a request's place in the open
//! queue.
//!
//! The one dialect fork is full-text search, in [`search_clause`]: SQLite uses an FTS5 index kept in
//! sync by triggers; PostgreSQL a GIN index on the stored tsvector `search` (`to_tsvector('english', title || ' ' || problem)`).

use std::collections::HashMap;

use bridge_domain::intake::Status;
use bridge_domain::search::query_words;
use bridge_domain::Error;

use super::{RequestSummary, ResponseRow, SUMMARY_COLUMNS};
use crate::store::{Arg, Db, Listing, Page};

/// Counting stops here: beyond it a list says "more than 1,000", so a page never counts the
/// whole table.
pub const COUNT_CAP: i64 = 1_000;

/// `status IN (...)` for the open queue, from the domain's one list of open statuses.
fn open_statuses() -> String {
    status_list(&Status::OPEN)
}

/// `(…)` of status codes, for `status IN`.
pub(crate) fn status_list(statuses: &[Status]) -> String {
    let codes: Vec<String> = statuses.iter().map(|s| format!("'{}'", s.as_str())).collect();
    format!("({})", codes.join(", "))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Highest priority score first; equal scores by earlier submission; unscored last.
    #[default]
    Priority,
    Newest,
    Oldest,
    Clarity,
    Updated,
    Title,
}

impl Sort {
    pub const ALL: [Sort; 6] = [Sort::Priority, Sort::Newest, Sort::Oldest, Sort::Clarity, Sort::Updated, Sort::Title];
    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Priority => "priority",
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
            Sort::Clarity => "clarity",
            Sort::Updated => "updated",
            Sort::Title => "title",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Sort::Priority => "Priority, highest first",
            Sort::Newest => "Newest first",
            Sort::Oldest => "Oldest first",
            Sort::Clarity => "Clarity, highest first",
            Sort::Updated => "Recently changed",
            Sort::Title => "Title, A to Z",
        }
    }
    fn order_by(self) -> &'static str {
        match self {
            Sort::Priority => " ORDER BY r.priority DESC NULLS LAST, r.submitted_at, r.id",
            Sort::Newest => " ORDER BY r.id DESC",
            Sort::Oldest => " ORDER BY r.id",
            Sort::Clarity => " ORDER BY r.clarity DESC, r.id DESC",
            Sort::Updated => " ORDER BY r.updated_at DESC, r.id DESC",
            Sort::Title => " ORDER BY r.title, r.id",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    pub status: Option<Status>,
    /// Only the open queue: submitted, in assessment, approved or deferred.
    pub open: bool,
    pub unit_id: Option<i64>,
    pub sponsor_id: Option<i64>,
    pub author_id: Option<i64>,
    /// Owned on IT's side by this person; `Some(None)`: owned by nobody yet.
    pub owner_id: Option<Option<i64>>,
    /// Requests of this person: written, sponsored or owned by them, or where they were mentioned.
    pub mine: Option<i64>,
    pub min_clarity: Option<i64>,
    pub max_clarity: Option<i64>,
    pub min_priority: Option<f64>,
    /// With `open`: this person's drafts too (a business user's default queue).
    pub drafts_of: Option<i64>,
    /// Words to find in title and problem.
    pub q: String,
    pub sort: Sort,
}

impl RequestFilter {
    /// Only open requests: the open queue's own full-text index can answer the words.
    fn open_only(&self) -> bool {
        self.open && self.drafts_of.is_none()
    }
}

/// The words of a search, for FTS5: each quoted (so no query syntax leaks in), all required, the
/// last one as a prefix so a half-typed word still finds.
fn fts5_query(q: &str, status: Option<Status>, open: bool) -> Option<String> {
    let words: Vec<String> = query_words(q).iter().map(|w| format!("\"{w}\"")).collect();
    if words.is_empty() {
        return None;
    }
    let mut m = format!("{}*", words.join(" "));
    if let Some(s) = status {
        // The status as indexed in `search_tags` (see the migration).
        m.push_str(&format!(" \"zstatus{}\"", s.as_str().replace('_', "")));
    }
    if open {
        m.push_str(" \"zopen\"");
    }
    Some(m)
}

/// The same words for PostgreSQL's `to_tsquery`: all required, the last as a prefix.
fn tsquery(q: &str) -> Option<String> {
    let words = query_words(q);
    if words.is_empty() {
        return None;
    }
    Some(format!("{}:*", words.join(" & ")))
}

/// The SQLite full-text index that answers a search: the open queue has an index of its own (see
/// migration 0004); other searches use the full index, narrowed by status tags.
fn fts5_table(status: Option<Status>, open: bool) -> &'static str {
    if open && status.is_none() {
        "requests_open_fts"
    } else {
        "requests_fts"
    }
}

/// The dialect fork for full-text search: the same meaning (all words, in title or problem),
/// each database's own index. `many` says that the words match more than [`FETCH_UP_TO`]
/// requests (see [`Db::list_requests`]): then the database walks the index of the sort order and keeps the
/// rows that match, which finds a page of 50 after a few hundred rows (2–4 ms for 10,000 matches
/// in 100,000 requests, against 20 ms or more to fetch every match and sort them). With few
/// matches the walk would cross most of the index to find them (30 ms for none), so the
/// database fetches the matches from the full-text index and sorts those.
fn search_clause(db: &Db, f: &RequestFilter, many: bool, n: usize) -> Option<(String, String)> {
    match db {
        // `+r.id` keeps SQLite from driving the query from the matches' rowids.
        Db::Sqlite { .. } => {
            let table = fts5_table(f.status, f.open_only());
            // The open queue's own index needs no "open" tag.
            let open_tag = f.open_only() && table == "requests_fts";
            let plus = if many { "+" } else { "" };
            fts5_query(&f.q, f.status, open_tag)
                .map(|m| (format!("{plus}r.id IN (SELECT rowid FROM {table} WHERE {table} MATCH ${n})"), m))
        }
        // `IS TRUE` is a test PostgreSQL cannot answer from the GIN index, so it walks instead.
        Db::Postgres { .. } => tsquery(&f.q).map(|m| {
            let test = format!("r.search @@ to_tsquery('english', ${n})");
            (if many { format!("({test}) IS TRUE") } else { test }, m)
        }),
    }
}

/// Up to this many matches a search fetches them from the full-text index and sorts them;
/// beyond, it walks the sort order's index. Measured at 100,000 requests on SQLite: 54 matches
/// took 6 ms fetched and 14 ms walked; 968 took 13–88 ms fetched and 4 ms walked.
const FETCH_UP_TO: i64 = 200;

/// How many requests the words match (up to the cap + 1), from the full-text index alone: SQL
/// and its one argument. On SQLite the status and the open queue are in the index too.
fn search_count(db: &Db, f: &RequestFilter) -> Option<(String, String)> {
    let cap = COUNT_CAP + 1;
    match db {
        Db::Sqlite { .. } => {
            let table = fts5_table(f.status, f.open_only());
            fts5_query(&f.q, f.status, f.open_only() && table == "requests_fts").map(|m| {
                (format!("SELECT COUNT(*) FROM (SELECT rowid FROM {table} WHERE {table} MATCH $1 LIMIT {cap}) c"), m)
            })
        }
        Db::Postgres { .. } => tsquery(&f.q).map(|m| {
            let sql = format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM requests WHERE search @@ to_tsquery('english', $1) LIMIT {cap}) c"
            );
            (sql, m)
        }),
    }
}

impl Db {
    fn filter_sql(&self, f: &RequestFilter, many_matches: bool) -> (String, Vec<Arg>) {
        let mut conds: Vec<String> = Vec::new();
        let mut args: Vec<Arg> = Vec::new();
        let push = |cond: &str, arg: Arg, conds: &mut Vec<String>, args: &mut Vec<Arg>| {
            args.push(arg);
            conds.push(cond.replace("$?", &format!("${}", args.len())));
        };
        if let Some(s) = f.status {
            push("r.status = $?", Arg::S(s.as_str().into()), &mut conds, &mut args);
        }
        if f.open {
            // `+` keeps SQLite walking the sort order's index (40% of rows are open) instead of
            // gathering every open request and sorting them.
            // (Unary `+` is SQLite's planner hint; PostgreSQL does not accept it on text.)
            let plus = if matches!(self, Db::Sqlite { .. }) { "+" } else { "" };
            let open = format!("{plus}r.status IN {}", open_statuses());
            match f.drafts_of {
                Some(p) => push(
                    &format!("({open} OR (r.status = 'draft' AND r.author_id = $?))"),
                    Arg::I(p),
                    &mut conds,
                    &mut args,
                ),
                None => conds.push(open),
            }
        }
        if let Some(u) = f.unit_id {
            push("r.unit_id = $?", Arg::I(u), &mut conds, &mut args);
        }
        if let Some(s) = f.sponsor_id {
            push("r.sponsor_id = $?", Arg::I(s), &mut conds, &mut args);
        }
        if let Some(a) = f.author_id {
            push("r.author_id = $?", Arg::I(a), &mut conds, &mut args);
        }
        match f.owner_id {
            Some(Some(o)) => push("r.owner_id = $?", Arg::I(o), &mut conds, &mut args),
            Some(None) => conds.push("r.owner_id IS NULL".into()),
            None => {}
        }
        if let Some(p) = f.mine {
            push(
                "(r.author_id = $? OR r.sponsor_id = $? OR r.owner_id = $?
                  OR r.id IN (SELECT subject_id FROM comment_mentions WHERE subject = 'request' AND person_id = $?))",
                Arg::I(p),
                &mut conds,
                &mut args,
            );
        }
        if let Some(c) = f.min_clarity {
            push("r.clarity >= $?", Arg::I(c), &mut conds, &mut args);
        }
        if let Some(c) = f.max_clarity {
            push("r.clarity <= $?", Arg::I(c), &mut conds, &mut args);
        }
        if let Some(p) = f.min_priority {
            push("r.priority >= $?", Arg::F(p), &mut conds, &mut args);
        }
        if let Some((cond, arg)) = search_clause(self, f, many_matches, args.len() + 1) {
            args.push(Arg::S(arg));
            conds.push(cond);
        }
        let sql = if conds.is_empty() { String::new() } else { format!(" WHERE {}", conds.join(" AND ")) };
        (sql, args)
    }

    /// One page of requests and how many match (counted up to [`COUNT_CAP`] + 1), without the names
    /// of their units and sponsors.
    pub async fn list_requests(&self, f: &RequestFilter, page: Page) -> Result<(Vec<RequestSummary>, i64), Error> {
        // The full-text index first says how many requests the words match (up to the cap): none
        // answers at once, and the number chooses how the database finds them (`search_clause`).
        let search_count = search_count(self, f);
        let mut many_matches = false;
        if let Some((sql, m)) = &search_count {
            let matches = self.count_kept(sql.clone(), vec![Arg::S(m.clone())]).await?;
            if matches == 0 {
                return Ok((vec![], 0));
            }
            many_matches = matches > FETCH_UP_TO;
        }
        let (where_sql, mut args) = self.filter_sql(f, many_matches);
        let search_only = matches!(self, Db::Sqlite { .. })
            && args.len() == 1 + usize::from(f.status.is_some())
            && f.unit_id.is_none()
            && f.sponsor_id.is_none()
            && f.author_id.is_none()
            && f.owner_id.is_none()
            && f.mine.is_none()
            && f.drafts_of.is_none()
            && f.min_clarity.is_none()
            && f.max_clarity.is_none()
            && f.min_priority.is_none()
            && !f.q.trim().is_empty();
        // Only words, newest or oldest first, and many matches (the header search): the full-text
        // index walks its own rowid order and stops at the page, gathering no other match.
        let rowid_order = match f.sort {
            Sort::Newest => Some("DESC"),
            Sort::Oldest => Some("ASC"),
            _ => None,
        };
        if let (true, true, Some(dir), Some((_, m))) = (search_only, many_matches, rowid_order, &search_count) {
            let table = fts5_table(f.status, f.open_only());
            let sql = format!(
                "SELECT {SUMMARY_COLUMNS}, CAST(NULL AS TEXT) AS unit_name, CAST(NULL AS TEXT) AS sponsor_name,
                    CAST(NULL AS TEXT) AS owner_name
                 FROM requests r
                 WHERE r.id IN (SELECT rowid FROM {table} WHERE {table} MATCH $1 ORDER BY rowid {dir} LIMIT $2 OFFSET $3)
                 ORDER BY r.id {dir}"
            );
            let (count_sql, count_args) = search_count.clone().map(|(s, m)| (s, vec![Arg::S(m)])).expect("searched");
            let args = vec![Arg::S(m.clone()), Arg::I(page.limit), Arg::I(page.offset)];
            return self.page_of(Listing { sql, args, count_sql, count_args }, page).await;
        }
        let count_sql = match (&search_count, search_only) {
            // Only words to find (and perhaps a status, which is in the full-text index too): the
            // full-text index alone can count them, stopping at the cap.
            (Some((sql, _)), true) => sql.clone(),
            // Counting stops at the cap, so it is best driven from the matches, however many.
            _ => {
                let (count_where, _) = self.filter_sql(f, false);
                format!("SELECT COUNT(*) FROM (SELECT 1 FROM requests r{count_where} LIMIT {}) c", COUNT_CAP + 1)
            }
        };
        let n = args.len();
        // Without the names of units and sponsors: joining for them doubled PostgreSQL's work for
        // a page, and the directory in memory has them (`ops::intake::requests::list_requests`).
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, CAST(NULL AS TEXT) AS unit_name, CAST(NULL AS TEXT) AS sponsor_name,
                CAST(NULL AS TEXT) AS owner_name
             FROM requests r{where_sql}{} LIMIT ${} OFFSET ${}",
            f.sort.order_by(),
            n + 1,
            n + 2
        );
        // The search-only count binds just the match (always the last filter argument).
        let count_args = if search_only { args[args.len() - 1..].to_vec() } else { args.clone() };
        args.push(Arg::I(page.limit));
        args.push(Arg::I(page.offset));
        self.page_of(Listing { sql, args, count_sql, count_args }, page).await
    }

    /// Position (from 1) and size of the open queue (submitted, in assessment, approved, deferred)
    /// for a request with this score, or `None` when it is not in the queue or has no score.
    pub async fn queue_position(&self, req: &RequestSummary) -> Result<Option<(i64, i64)>, Error> {
        let open_sql = format!("status IN {}", open_statuses());
        let open_sql = open_sql.as_str();
        let Some(score) = req.priority.filter(|_| req.status.is_open()) else { return Ok(None) };
        let submitted = req.submitted_at.unwrap_or(0);
        let ahead_sql = format!(
            "SELECT COUNT(*) FROM requests WHERE {open_sql} AND priority IS NOT NULL AND
                (priority > CAST($1 AS DOUBLE PRECISION) + 0.0000005 OR (priority >= CAST($1 AS DOUBLE PRECISION) - 0.0000005 AND (submitted_at < $2 OR (submitted_at = $2 AND id < $3))))"
        );
        let total_sql = format!("SELECT COUNT(*) FROM requests WHERE {open_sql}");
        let ahead = self.count(ahead_sql, vec![Arg::F(score), Arg::I(submitted), Arg::I(req.id)]).await?;
        let total = self.count(total_sql, vec![]).await?;
        Ok(Some((ahead + 1, total)))
    }

    /// Waits from submission to IT's first response and to the decision, per business unit.
    /// Rows: (unit name or "No business unit", first response secs, decision secs).
    pub async fn response_times(&self) -> Result<Vec<ResponseRow>, Error> {
        self.rows(
            "SELECT COALESCE(u.name, 'No business unit') AS unit_name, r.submitted_at, r.first_response_at, r.decided_at
             FROM requests r LEFT JOIN units u ON u.id = r.unit_id
             WHERE r.submitted_at IS NOT NULL AND (r.first_response_at IS NOT NULL OR r.decided_at IS NOT NULL)"
                .into(),
            vec![],
        )
        .await
    }

    /// Counts per status, for the queue page's summary.
    pub async fn status_counts(&self) -> Result<HashMap<String, i64>, Error> {
        #[derive(serde::Deserialize, sqlx::FromRow)]
        struct StatusCount {
            status: String,
            n: i64,
        }
        let rows: Vec<StatusCount> =
            self.rows("SELECT status, COUNT(*) AS n FROM requests GROUP BY status".into(), vec![]).await?;
        Ok(rows.into_iter().map(|r| (r.status, r.n)).collect())
    }

    /// Requests whose title or problem share words with `text` (any of them), the best matches
    /// first: what a writer may join instead of asking again. `exclude` leaves out the request
    /// being written.
    pub async fn similar_requests(
        &self,
        text: &str,
        exclude: Option<i64>,
        limit: i64,
    ) -> Result<Vec<super::SimilarRequest>, Error> {
        // Words of four letters or more carry the meaning; short ones match everything.
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 4)
            .map(str::to_lowercase)
            .take(8)
            .collect();
        if words.is_empty() {
            return Ok(vec![]);
        }
        let exclude = exclude.unwrap_or(0);
        let (sql, query) = match self {
            Db::Sqlite { .. } => (
                "SELECT r.id, r.title, r.status FROM requests_fts f JOIN requests r ON r.id = f.rowid
                 WHERE requests_fts MATCH $1 AND r.id <> $2 ORDER BY f.rank LIMIT $3",
                words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" OR "),
            ),
            Db::Postgres { .. } => (
                "SELECT r.id, r.title, r.status FROM requests r
                 WHERE r.search @@ to_tsquery('english', $1) AND r.id <> $2
                 ORDER BY ts_rank(r.search, to_tsquery('english', $1)) DESC, r.id DESC
                 LIMIT $3",
                words.join(" | "),
            ),
        };
        self.rows(sql.into(), vec![Arg::S(query), Arg::I(exclude), Arg::I(limit)]).await
    }

    pub async fn count_requests(&self) -> Result<i64, Error> {
        self.count("SELECT COUNT(*) FROM requests".into(), vec![]).await
    }
}
