//! Intake: requests, their lifecycle events, assessments, priority, conversation, revisions,
//! notifications and the intake settings.
//!
//! Filtered and sorted columns (status, unit, sponsor, clarity, the priority ratings and score,
//! timestamps) are real columns with indexes; the rest of the validated request is JSON in `body`.
//! The priority score is stored, computed from the four ratings and the current weights, and
//! recomputed for every row in one UPDATE when an admin changes the weights (about 0.2 s for
//! 100,000 rows on SQLite), so the queue sorts on an index.
//!
//! The one dialect fork is full-text search, in [`search_clause`]: SQLite uses an FTS5 index kept in
//! sync by triggers; PostgreSQL uses a GIN index on `to_tsvector('english', title || ' ' || problem)`.

use std::collections::{BTreeSet, HashMap};

use bridge_domain::audit::Actor;
use bridge_domain::intake::{
    clarity, validate_submit_threshold, validate_weights, ActionKind, Assessment, AssessmentInput, PriorityInput,
    PriorityWeights, Status, ValidRequest, DEFAULT_SUBMIT_THRESHOLD,
};
use bridge_domain::{Error, FieldErrors};
use serde::Serialize;
use serde_json::json;

use super::audit::{record, Change};
use super::org::stale;
use super::{built, db_err, now_ms, read, tx, write, Db, Page};

pub const SETTING_THRESHOLD: &str = "intake.submit_threshold";
pub const SETTING_WEIGHTS: &str = "intake.priority_weights";
/// Counting stops here: beyond it a list says "more than 1,000", so a page never counts the
/// whole table.
pub const COUNT_CAP: i64 = 1_000;
/// The open queue, which priority ranks: requests waiting for IT, approved or deferred.
const OPEN_STATUSES: &str = "('submitted', 'in_assessment', 'approved', 'deferred')";

/// A request as lists show it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct RequestSummary {
    pub id: i64,
    pub title: String,
    /// draft, submitted, in_assessment, approved, declined, deferred, in_delivery, delivered, value_review, closed
    pub status: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub sponsor_id: Option<i64>,
    pub sponsor_name: Option<String>,
    /// 0–100.
    pub clarity: i64,
    pub business_value: Option<i64>,
    pub time_criticality: Option<i64>,
    pub risk_reduction: Option<i64>,
    pub job_size: Option<i64>,
    /// The priority score with the current weights; `null` while a rating is missing.
    pub priority: Option<f64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub version: i64,
}

impl RequestSummary {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Draft)
    }
    pub fn priority_input(&self) -> PriorityInput {
        ratings([self.business_value, self.time_criticality, self.risk_reduction, self.job_size])
    }
}

/// The four rating columns (business value, time criticality, risk reduction, job size) as the
/// domain's ratings.
fn ratings([bv, tc, rr, js]: [Option<i64>; 4]) -> PriorityInput {
    let v = |x: Option<i64>| x.and_then(|n| u32::try_from(n).ok());
    PriorityInput { business_value: v(bv), time_criticality: v(tc), risk_reduction: v(rr), job_size: v(js) }
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct RequestRow {
    #[sqlx(flatten)]
    summary: RequestSummary,
    author_id: Option<i64>,
    author_name: Option<String>,
    body: String,
    problem: String,
    source: String,
    first_response_at: Option<i64>,
    decided_at: Option<i64>,
}

/// A whole request.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Request {
    #[serde(flatten)]
    pub summary: RequestSummary,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    /// Where an imported request came from.
    pub source: String,
    pub first_response_at: Option<i64>,
    pub decided_at: Option<i64>,
    /// The validated request: title, problem, goals, metrics, budget, stakeholders, regulatory, dates, trade-offs.
    #[schema(value_type = Object)]
    pub body: ValidRequest,
}

impl Request {
    pub fn id(&self) -> i64 {
        self.summary.id
    }
    pub fn status(&self) -> Status {
        self.summary.status()
    }
}

const SUMMARY_COLUMNS: &str = "r.id, r.title, r.status, r.unit_id, u.name AS unit_name, r.sponsor_id,
    s.name AS sponsor_name, r.clarity, r.business_value, r.time_criticality, r.risk_reduction, r.job_size,
    r.priority, r.created_at, r.updated_at, r.submitted_at, r.version";
const SUMMARY_FROM: &str =
    " FROM requests r LEFT JOIN units u ON u.id = r.unit_id LEFT JOIN people s ON s.id = r.sponsor_id";

/// How a list is sorted.
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
    pub min_clarity: Option<i64>,
    pub max_clarity: Option<i64>,
    pub min_priority: Option<f64>,
    /// Words to find in title and problem.
    pub q: String,
    pub sort: Sort,
}

/// A bind value for queries whose filters vary.
#[derive(Debug, Clone)]
enum Arg {
    I(i64),
    F(f64),
    S(String),
}

macro_rules! bind_all {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::I(v) => q.bind(*v),
                Arg::F(v) => q.bind(*v),
                Arg::S(v) => q.bind(v.clone()),
            };
        }
        q
    }};
}

/// The words of a search, for FTS5: each quoted (so no query syntax leaks in), all required, the
/// last one as a prefix so a half-typed word still finds.
fn fts5_query(q: &str, status: Option<Status>, open: bool) -> Option<String> {
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .map(|w| format!("\"{w}\""))
        .collect();
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
    let words: Vec<&str> = q.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(12).collect();
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
/// each database's own index.
fn search_clause(db: &Db, q: &str, status: Option<Status>, open: bool, n: usize) -> Option<(String, String)> {
    match db {
        // `+r.id` keeps SQLite from fetching every match by rowid and sorting them all: it walks the
        // index of the sort order instead and keeps the rows whose id is among the matches (2–4 ms
        // for 10,000 matches in 100,000 requests, against 20 ms or more the other way).
        Db::Sqlite { .. } => {
            let table = fts5_table(status, open);
            // The open queue's own index needs no "open" tag.
            let open_tag = open && table == "requests_fts";
            fts5_query(q, status, open_tag)
                .map(|m| (format!("+r.id IN (SELECT rowid FROM {table} WHERE {table} MATCH ${n})"), m))
        }
        Db::Postgres(_) => tsquery(q).map(|m| {
            (format!("to_tsvector('english', r.title || ' ' || r.problem) @@ to_tsquery('english', ${n})"), m)
        }),
    }
}

impl Db {
    fn filter_sql(&self, f: &RequestFilter) -> (String, Vec<Arg>) {
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
            conds.push(format!("{plus}r.status IN {OPEN_STATUSES}"));
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
        if let Some(c) = f.min_clarity {
            push("r.clarity >= $?", Arg::I(c), &mut conds, &mut args);
        }
        if let Some(c) = f.max_clarity {
            push("r.clarity <= $?", Arg::I(c), &mut conds, &mut args);
        }
        if let Some(p) = f.min_priority {
            push("r.priority >= $?", Arg::F(p), &mut conds, &mut args);
        }
        if let Some((cond, arg)) = search_clause(self, &f.q, f.status, f.open, args.len() + 1) {
            args.push(Arg::S(arg));
            conds.push(cond);
        }
        let sql = if conds.is_empty() { String::new() } else { format!(" WHERE {}", conds.join(" AND ")) };
        (sql, args)
    }

    /// One page of requests and how many match (counted up to [`COUNT_CAP`] + 1).
    pub async fn list_requests(&self, f: &RequestFilter, page: Page) -> Result<(Vec<RequestSummary>, i64), Error> {
        let (where_sql, mut args) = self.filter_sql(f);
        let search_only = matches!(self, Db::Sqlite { .. })
            && args.len() == 1 + usize::from(f.status.is_some())
            && f.unit_id.is_none()
            && f.sponsor_id.is_none()
            && f.author_id.is_none()
            && f.min_clarity.is_none()
            && f.max_clarity.is_none()
            && f.min_priority.is_none()
            && !f.q.trim().is_empty();
        let search_table = fts5_table(f.status, f.open);
        let count_sql = if search_only {
            // Only words to find (and perhaps a status, which is in the full-text index too): the
            // full-text index alone can count them, stopping at the cap.
            format!(
                "SELECT COUNT(*) FROM (SELECT rowid FROM {search_table} WHERE {search_table} MATCH $1 LIMIT {}) c",
                COUNT_CAP + 1
            )
        } else {
            format!("SELECT COUNT(*) FROM (SELECT 1 FROM requests r{where_sql} LIMIT {}) c", COUNT_CAP + 1)
        };
        let n = args.len();
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}{SUMMARY_FROM}{where_sql}{} LIMIT ${} OFFSET ${}",
            f.sort.order_by(),
            n + 1,
            n + 2
        );
        // The search-only count binds just the match (always the last filter argument).
        let count_args = if search_only { args[args.len() - 1..].to_vec() } else { args.clone() };
        args.push(Arg::I(page.limit));
        args.push(Arg::I(page.offset));
        read!(self, p => {
            let rows = bind_all!(sqlx::query_as::<_, RequestSummary>(built(&sql)), &args).fetch_all(p).await.map_err(db_err)?;
            let total: i64 = if page.offset == 0 && (rows.len() as i64) < page.limit {
                rows.len() as i64
            } else {
                bind_all!(sqlx::query_scalar(built(&count_sql)), &count_args).fetch_one(p).await.map_err(db_err)?
            };
            Ok((rows, total))
        })
    }

    pub async fn get_request(&self, id: i64) -> Result<Request, Error> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, r.author_id, a.name AS author_name, r.body, r.problem, r.source,
                r.first_response_at, r.decided_at{SUMMARY_FROM} LEFT JOIN people a ON a.id = r.author_id WHERE r.id = $1"
        );
        let row =
            read!(self, p => sqlx::query_as::<_, RequestRow>(built(&sql)).bind(id).fetch_optional(p).await.map_err(db_err))?
                .ok_or_else(|| Error::not_found("The request"))?;
        let mut body: ValidRequest = serde_json::from_str(&row.body).map_err(Error::internal)?;
        body.title = row.summary.title.clone();
        body.problem = row.problem;
        Ok(Request {
            summary: row.summary,
            author_id: row.author_id,
            author_name: row.author_name,
            source: row.source,
            first_response_at: row.first_response_at,
            decided_at: row.decided_at,
            body,
        })
    }

    /// Checks that the people and unit a request names exist, with an error beside each field.
    pub async fn check_request_refs(&self, r: &ValidRequest) -> Result<(), Error> {
        let mut ids: BTreeSet<i64> = r.stakeholders.iter().map(|s| s.person_id).collect();
        ids.extend(r.sponsor_id);
        let mut business = BTreeSet::new();
        let known: BTreeSet<i64> = if ids.is_empty() {
            BTreeSet::new()
        } else {
            let list = ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
            let sql = format!("SELECT id, side FROM people WHERE id IN ({list})");
            let rows: Vec<(i64, String)> =
                read!(self, p => sqlx::query_as(built(&sql)).fetch_all(p).await.map_err(db_err))?;
            business = rows.iter().filter(|(_, s)| s == "business").map(|(i, _)| *i).collect();
            rows.into_iter().map(|(i, _)| i).collect()
        };
        let mut fields = FieldErrors::new();
        if let Some(s) = r.sponsor_id {
            if !known.contains(&s) {
                fields.insert("sponsor_id".into(), "Choose the sponsor from the directory.".into());
            } else if !business.contains(&s) {
                fields.insert(
                    "sponsor_id".into(),
                    "The sponsor is the business person who owns the outcome: choose someone on the business side."
                        .into(),
                );
            }
        }
        for (i, s) in r.stakeholders.iter().enumerate() {
            if !known.contains(&s.person_id) {
                fields.insert(
                    format!("stakeholders[{i}].person_id"),
                    "This person is not in the directory: choose someone from the list.".into(),
                );
            }
        }
        if let Some(u) = r.business_unit_id {
            let found: Option<i64> = read!(self, p => sqlx::query_scalar("SELECT id FROM units WHERE id = $1")
                .bind(u).fetch_optional(p).await.map_err(db_err))?;
            if found.is_none() {
                fields.insert("business_unit_id".into(), "Choose a business unit from the list.".into());
            }
        }
        Error::check(fields)
    }

    /// Creates a draft. `author_id` is the person who wrote it.
    pub async fn create_request(
        &self,
        actor: &Actor,
        author_id: Option<i64>,
        r: &ValidRequest,
        source: &str,
    ) -> Result<i64, Error> {
        self.check_request_refs(r).await?;
        let score = i64::from(clarity(r).score);
        let body = serde_json::to_string(r).map_err(Error::internal)?;
        let now = now_ms();
        tx!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO requests (title, problem, status, unit_id, sponsor_id, author_id, clarity, body, source,
                    created_at, updated_at) VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id")
                .bind(&r.title).bind(&r.problem).bind(r.business_unit_id).bind(r.sponsor_id).bind(author_id)
                .bind(score).bind(&body).bind(source).bind(now)
                .fetch_one(&mut *tx).await.map_err(db_err)?;
            record!(&mut *tx, &Change { actor, action: "create", entity: "request", entity_id: Some(id),
                summary: format!("Created request {}", r.title), before: None,
                after: Some(serde_json::to_value(r).map_err(Error::internal)?) })?;
            Ok(id)
        })
    }

    /// Saves a new version of a request. After submission the change is kept as a revision.
    pub async fn update_request(&self, actor: &Actor, id: i64, version: i64, r: &ValidRequest) -> Result<(), Error> {
        let before = self.get_request(id).await?;
        if before.status().is_final() {
            return Err(Error::conflict("This request is closed: it can no longer be changed."));
        }
        self.check_request_refs(r).await?;
        let score = i64::from(clarity(r).score);
        let body = serde_json::to_string(r).map_err(Error::internal)?;
        let changed = changed_fields(&before.body, r);
        // Once submitted (even if sent back to draft since), every change is kept as a revision.
        let keep_revision =
            (before.status() != Status::Draft || before.summary.submitted_at.is_some()) && !changed.is_empty();
        let now = now_ms();
        tx!(self, tx => {
            let done = sqlx::query(
                "UPDATE requests SET title = $1, problem = $2, unit_id = $3, sponsor_id = $4, clarity = $5, body = $6,
                    updated_at = $7, version = version + 1 WHERE id = $8 AND version = $9")
                .bind(&r.title).bind(&r.problem).bind(r.business_unit_id).bind(r.sponsor_id).bind(score)
                .bind(&body).bind(now).bind(id).bind(version)
                .execute(&mut *tx).await.map_err(db_err)?;
            if done.rows_affected() == 0 {
                return Err(stale("request"));
            }
            let before_json = serde_json::to_value(&before.body).map_err(Error::internal)?;
            let after_json = serde_json::to_value(r).map_err(Error::internal)?;
            if keep_revision {
                sqlx::query(
                    "INSERT INTO request_revisions (request_id, at, actor_id, actor_name, summary, before_json, after_json)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(id).bind(now).bind(actor.account_id).bind(&actor.name)
                    .bind(format!("Changed {}", and_list(&changed)))
                    .bind(before_json.to_string()).bind(after_json.to_string())
                    .execute(&mut *tx).await.map_err(db_err)?;
            }
            record!(&mut *tx, &Change { actor, action: "update", entity: "request", entity_id: Some(id),
                summary: format!("Changed request {}", r.title), before: Some(before_json), after: Some(after_json) })?;
            Ok(())
        })
    }

    pub async fn submit_threshold(&self) -> Result<u8, Error> {
        Ok(self
            .get_setting(SETTING_THRESHOLD)
            .await?
            .and_then(|v| v.parse::<i64>().ok())
            .and_then(|v| validate_submit_threshold(v).ok())
            .unwrap_or(DEFAULT_SUBMIT_THRESHOLD))
    }

    pub async fn priority_weights(&self) -> Result<PriorityWeights, Error> {
        Ok(self
            .get_setting(SETTING_WEIGHTS)
            .await?
            .and_then(|v| serde_json::from_str::<PriorityWeights>(&v).ok())
            .filter(|w| validate_weights(w).is_ok())
            .unwrap_or_default())
    }

    /// Changes the intake settings; new weights re-score every request in the same transaction.
    pub async fn set_intake_settings(
        &self,
        actor: &Actor,
        threshold: u8,
        weights: &PriorityWeights,
    ) -> Result<(), Error> {
        validate_weights(weights)?;
        let before =
            json!({"submit_threshold": self.submit_threshold().await?, "weights": self.priority_weights().await?});
        let after = json!({"submit_threshold": threshold, "weights": weights});
        let weights_json = serde_json::to_string(weights).map_err(Error::internal)?;
        tx!(self, tx => {
            for (key, value) in [(SETTING_THRESHOLD, threshold.to_string()), (SETTING_WEIGHTS, weights_json.clone())] {
                sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                    .bind(key).bind(value).execute(&mut *tx).await.map_err(db_err)?;
            }
            sqlx::query(built(&format!("UPDATE requests SET priority = {RESCORE} WHERE job_size IS NOT NULL")))
                .bind(weights.business_value).bind(weights.time_criticality).bind(weights.risk_reduction)
                .bind(weights.job_size)
                .execute(&mut *tx).await.map_err(db_err)?;
            record!(&mut *tx, &Change { actor, action: "update", entity: "intake_settings", entity_id: None,
                summary: "Changed the intake settings".into(), before: Some(before), after: Some(after) })?;
            Ok(())
        })
    }

    /// Records a lifecycle step decided by `ops::intake`: the new status and wait clocks, the
    /// event, the author's notification and the audit entry, in one transaction. A request that
    /// moved on since it was read (another status than `step.from`) is a conflict.
    pub async fn record_transition(&self, actor: &Actor, id: i64, step: &TransitionRecord) -> Result<(), Error> {
        tx!(self, tx => {
            let done = sqlx::query(
                "UPDATE requests SET status = $1, submitted_at = $2, first_response_at = $3, decided_at = $4,
                    updated_at = $5, version = version + 1 WHERE id = $6 AND status = $7")
                .bind(step.to.as_str()).bind(step.submitted_at).bind(step.first_response_at).bind(step.decided_at)
                .bind(step.at).bind(id).bind(step.from.as_str())
                .execute(&mut *tx).await.map_err(db_err)?;
            if done.rows_affected() == 0 {
                return Err(Error::conflict("Someone moved this request on while you were looking at it. Reload to see where it is now."));
            }
            sqlx::query("INSERT INTO request_events (request_id, at, actor_id, actor_name, action, from_status, to_status, reason)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(id).bind(step.at).bind(actor.account_id).bind(&actor.name).bind(step.kind.as_str())
                .bind(step.from.as_str()).bind(step.to.as_str()).bind(&step.reason)
                .execute(&mut *tx).await.map_err(db_err)?;
            if let Some(n) = &step.notify {
                sqlx::query("INSERT INTO notifications (account_id, at, text, link) VALUES ($1, $2, $3, $4)")
                    .bind(n.account_id).bind(step.at).bind(&n.text).bind(&n.link)
                    .execute(&mut *tx).await.map_err(db_err)?;
            }
            record!(&mut *tx, &Change { actor, action: step.kind.as_str(), entity: "request", entity_id: Some(id),
                summary: step.summary.clone(),
                before: Some(json!({"status": step.from.as_str()})),
                after: Some(json!({"status": step.to.as_str(), "reason": step.reason})) })?;
            Ok(())
        })
    }

    pub async fn account_of_person(&self, person_id: i64) -> Result<Option<i64>, Error> {
        read!(self, p => sqlx::query_scalar("SELECT id FROM accounts WHERE person_id = $1 AND disabled_at IS NULL")
            .bind(person_id).fetch_optional(p).await.map_err(db_err))
    }

    pub async fn request_events(&self, id: i64) -> Result<Vec<RequestEvent>, Error> {
        read!(self, p => sqlx::query_as::<_, RequestEvent>(
            "SELECT id, at, actor_id, actor_name, action, from_status, to_status, reason FROM request_events
             WHERE request_id = $1 ORDER BY id")
            .bind(id).fetch_all(p).await.map_err(db_err))
    }

    /// Changes a request's priority ratings. `decide` gets the status and ratings as they are
    /// inside the transaction (the row is locked on PostgreSQL; SQLite has one writer), so two
    /// people saving at once each build on the other's ratings; it answers the new ratings and
    /// score, or `None` when nothing changes (then nothing is written or audited).
    pub async fn update_priority<F>(&self, actor: &Actor, id: i64, decide: F) -> Result<PriorityInput, Error>
    where
        F: FnOnce(Status, PriorityInput) -> Result<Option<(PriorityInput, Option<f64>)>, Error>,
    {
        let lock = match self {
            Db::Postgres(_) => " FOR UPDATE",
            Db::Sqlite { .. } => "",
        };
        let sql = format!(
            "SELECT status, title, business_value, time_criticality, risk_reduction, job_size FROM requests WHERE id = $1{lock}"
        );
        let opt = |v: Option<u32>| v.map(i64::from);
        tx!(self, tx => {
            let row: Option<RatingsRow> =
                sqlx::query_as(built(&sql)).bind(id).fetch_optional(&mut *tx).await.map_err(db_err)?;
            let (status, title, bv, tc, rr, js) = row.ok_or_else(|| Error::not_found("The request"))?;
            let current = ratings([bv, tc, rr, js]);
            let status = Status::parse(&status).unwrap_or(Status::Draft);
            let Some((next, score)) = decide(status, current)? else { return Ok(current) };
            sqlx::query("UPDATE requests SET business_value = $1, time_criticality = $2, risk_reduction = $3, job_size = $4,
                    priority = $5, updated_at = $6 WHERE id = $7")
                .bind(opt(next.business_value)).bind(opt(next.time_criticality)).bind(opt(next.risk_reduction))
                .bind(opt(next.job_size)).bind(score).bind(now_ms()).bind(id)
                .execute(&mut *tx).await.map_err(db_err)?;
            record!(&mut *tx, &Change { actor, action: "priority", entity: "request", entity_id: Some(id),
                summary: format!("Rated the priority of {title}"),
                before: Some(serde_json::to_value(current).map_err(Error::internal)?),
                after: Some(serde_json::to_value(next).map_err(Error::internal)?) })?;
            Ok(next)
        })
    }

    /// Position (from 1) and size of the open queue (submitted, in assessment, approved, deferred)
    /// for a request with this score, or `None` when it is not in the queue or has no score.
    pub async fn queue_position(&self, req: &RequestSummary) -> Result<Option<(i64, i64)>, Error> {
        let open_sql = format!("status IN {OPEN_STATUSES}");
        let open_sql = open_sql.as_str();
        let open =
            matches!(req.status(), Status::Submitted | Status::InAssessment | Status::Approved | Status::Deferred);
        let Some(score) = req.priority.filter(|_| open) else { return Ok(None) };
        let submitted = req.submitted_at.unwrap_or(0);
        let ahead_sql = format!(
            "SELECT COUNT(*) FROM requests WHERE {open_sql} AND priority IS NOT NULL AND
                (priority > CAST($1 AS DOUBLE PRECISION) + 0.0000005 OR (priority >= CAST($1 AS DOUBLE PRECISION) - 0.0000005 AND (submitted_at < $2 OR (submitted_at = $2 AND id < $3))))"
        );
        let total_sql = format!("SELECT COUNT(*) FROM requests WHERE {open_sql}");
        read!(self, p => {
            let ahead: i64 = sqlx::query_scalar(built(&ahead_sql)).bind(score).bind(submitted).bind(req.id)
                .fetch_one(p).await.map_err(db_err)?;
            let total: i64 = sqlx::query_scalar(built(&total_sql)).fetch_one(p).await.map_err(db_err)?;
            Ok(Some((ahead + 1, total)))
        })
    }

    pub async fn get_assessment(&self, id: i64) -> Result<Option<StoredAssessment>, Error> {
        let row: Option<(String, String, String, i64, i64)> = read!(self, p => sqlx::query_as(
            "SELECT input, body, author_name, updated_at, version FROM assessments WHERE request_id = $1")
            .bind(id).fetch_optional(p).await.map_err(db_err))?;
        row.map(|(input, body, author_name, updated_at, version)| {
            Ok(StoredAssessment {
                input: serde_json::from_str(&input).map_err(Error::internal)?,
                assessment: serde_json::from_str(&body).map_err(Error::internal)?,
                author_name,
                updated_at,
                version,
            })
        })
        .transpose()
    }

    /// Saves IT's assessment. `version` is the one read (0 when there was none); stale → 409.
    pub async fn save_assessment(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        input: &AssessmentInput,
        a: &Assessment,
    ) -> Result<i64, Error> {
        let req = self.get_request(id).await?;
        if matches!(req.status(), Status::Draft | Status::Closed) {
            return Err(Error::conflict(if req.status() == Status::Draft {
                "This request is still a draft: IT assesses a request once it has been submitted."
            } else {
                "This request is closed: its assessment can no longer change."
            }));
        }
        let input_json = serde_json::to_string(input).map_err(Error::internal)?;
        let body = serde_json::to_string(a).map_err(Error::internal)?;
        let now = now_ms();
        let author_account = match req.author_id {
            Some(p) => self.account_of_person(p).await?,
            None => None,
        };
        tx!(self, tx => {
            let new_version = if version == 0 {
                sqlx::query("INSERT INTO assessments (request_id, input, body, author_name, updated_at, version)
                             VALUES ($1, $2, $3, $4, $5, 1)")
                    .bind(id).bind(&input_json).bind(&body).bind(&actor.name).bind(now)
                    .execute(&mut *tx).await.map_err(|e| match &e {
                        sqlx::Error::Database(d) if d.is_unique_violation() => stale("assessment"),
                        _ => db_err(e),
                    })?;
                1
            } else {
                let done = sqlx::query("UPDATE assessments SET input = $1, body = $2, author_name = $3, updated_at = $4,
                        version = version + 1 WHERE request_id = $5 AND version = $6")
                    .bind(&input_json).bind(&body).bind(&actor.name).bind(now).bind(id).bind(version)
                    .execute(&mut *tx).await.map_err(db_err)?;
                if done.rows_affected() == 0 {
                    return Err(stale("assessment"));
                }
                version + 1
            };
            sqlx::query("UPDATE requests SET updated_at = $1 WHERE id = $2").bind(now).bind(id)
                .execute(&mut *tx).await.map_err(db_err)?;
            if let Some(acc) = author_account.filter(|a| Some(*a) != actor.account_id) {
                sqlx::query("INSERT INTO notifications (account_id, at, text, link) VALUES ($1, $2, $3, $4)")
                    .bind(acc).bind(now).bind(format!("{} — IT's assessment is ready to read", req.summary.title))
                    .bind(format!("/requests/{id}"))
                    .execute(&mut *tx).await.map_err(db_err)?;
            }
            record!(&mut *tx, &Change { actor, action: "assess", entity: "request", entity_id: Some(id),
                summary: format!("Assessed request {}", req.summary.title), before: None,
                after: Some(serde_json::to_value(a).map_err(Error::internal)?) })?;
            Ok(new_version)
        })
    }

    pub async fn list_comments(&self, id: i64) -> Result<Vec<Comment>, Error> {
        read!(self, p => sqlx::query_as::<_, Comment>(
            "SELECT id, request_id, at, author_id, author_name, author_side, body FROM request_comments
             WHERE request_id = $1 ORDER BY id")
            .bind(id).fetch_all(p).await.map_err(db_err))
    }

    /// The newest comments whose text contains `text` (ignoring case), as (comment id, request id,
    /// request title, body): candidates for "where a term is used", which the caller confirms.
    pub async fn comments_containing(&self, text: &str, limit: i64) -> Result<Vec<(i64, i64, String, String)>, Error> {
        let pattern = super::like_pattern(text);
        read!(self, p => sqlx::query_as(
            "SELECT c.id, c.request_id, r.title, c.body FROM request_comments c JOIN requests r ON r.id = c.request_id
             WHERE lower(c.body) LIKE $1 ESCAPE '\\' ORDER BY c.id DESC LIMIT $2")
            .bind(pattern).bind(limit).fetch_all(p).await.map_err(db_err))
    }

    /// People who can be @mentioned: those with an account. (person id, account id, name, email)
    pub async fn mentionable(&self) -> Result<Vec<(i64, i64, String, String)>, Error> {
        read!(self, p => sqlx::query_as(
            "SELECT p.id, a.id, p.name, p.email FROM people p JOIN accounts a ON a.person_id = p.id
             WHERE a.disabled_at IS NULL ORDER BY length(p.name) DESC")
            .fetch_all(p).await.map_err(db_err))
    }

    /// Adds a comment and notifies every account it @mentions (except the writer).
    pub async fn add_comment(
        &self,
        actor: &Actor,
        author_id: i64,
        author_side: &str,
        id: i64,
        body: &str,
    ) -> Result<(i64, usize), Error> {
        let body = body.trim();
        if body.is_empty() {
            return Err(Error::field("body", "Write something before sending."));
        }
        if body.chars().count() > 4_000 {
            return Err(Error::field("body", "Keep a comment under 4,000 characters."));
        }
        let req = self.get_request(id).await?;
        let people = self.mentionable().await?;
        let mentioned = mentions(body, &people);
        // The author hears about every new message on their request, mentioned or not.
        let author_account = match req.author_id {
            Some(p) => self.account_of_person(p).await?,
            None => None,
        };
        let now = now_ms();
        tx!(self, tx => {
            let cid: i64 = sqlx::query_scalar(
                "INSERT INTO request_comments (request_id, at, author_id, author_name, author_side, body)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                .bind(id).bind(now).bind(author_id).bind(&actor.name).bind(author_side).bind(body)
                .fetch_one(&mut *tx).await.map_err(db_err)?;
            let mut sent = 0;
            for acc in &mentioned {
                if Some(*acc) == actor.account_id {
                    continue;
                }
                sqlx::query("INSERT INTO notifications (account_id, at, text, link) VALUES ($1, $2, $3, $4)")
                    .bind(acc).bind(now).bind(format!("{} mentioned you on {}", actor.name, req.summary.title))
                    .bind(format!("/requests/{id}#comment-{cid}"))
                    .execute(&mut *tx).await.map_err(db_err)?;
                sent += 1;
            }
            if let Some(acc) = author_account.filter(|a| Some(*a) != actor.account_id && !mentioned.contains(a)) {
                sqlx::query("INSERT INTO notifications (account_id, at, text, link) VALUES ($1, $2, $3, $4)")
                    .bind(acc).bind(now).bind(format!("{} wrote on your request {}", actor.name, req.summary.title))
                    .bind(format!("/requests/{id}#comment-{cid}"))
                    .execute(&mut *tx).await.map_err(db_err)?;
                sent += 1;
            }
            record!(&mut *tx, &Change { actor, action: "comment", entity: "request", entity_id: Some(id),
                summary: format!("Commented on {}", req.summary.title), before: None,
                after: Some(json!({"comment_id": cid, "body": body})) })?;
            Ok((cid, sent))
        })
    }

    pub async fn list_revisions(&self, id: i64) -> Result<Vec<Revision>, Error> {
        read!(self, p => sqlx::query_as::<_, Revision>(
            "SELECT id, at, actor_id, actor_name, summary, before_json, after_json FROM request_revisions
             WHERE request_id = $1 ORDER BY id DESC")
            .bind(id).fetch_all(p).await.map_err(db_err))
    }

    pub async fn list_notifications(&self, account_id: i64, page: Page) -> Result<Vec<Notification>, Error> {
        read!(self, p => sqlx::query_as::<_, Notification>(
            "SELECT id, at, text, link, read_at FROM notifications WHERE account_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3")
            .bind(account_id).bind(page.limit).bind(page.offset).fetch_all(p).await.map_err(db_err))
    }

    /// Marks one notification (or all, with `None`) of this account as read.
    pub async fn mark_read(&self, account_id: i64, id: Option<i64>) -> Result<u64, Error> {
        write!(self, p => sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL AND ($3 = 0 OR id = $3)")
            .bind(now_ms()).bind(account_id).bind(id.unwrap_or(0))
            .execute(p).await.map(|r| r.rows_affected()).map_err(db_err))
    }

    /// Waits from submission to IT's first response and to the decision, per business unit.
    /// Rows: (unit name or "No business unit", first response secs, decision secs).
    pub async fn response_times(&self) -> Result<Vec<ResponseRow>, Error> {
        read!(self, p => sqlx::query_as::<_, ResponseRow>(
            "SELECT COALESCE(u.name, 'No business unit') AS unit_name, r.submitted_at, r.first_response_at, r.decided_at
             FROM requests r LEFT JOIN units u ON u.id = r.unit_id
             WHERE r.submitted_at IS NOT NULL AND (r.first_response_at IS NOT NULL OR r.decided_at IS NOT NULL)")
            .fetch_all(p).await.map_err(db_err))
    }

    /// Counts per status, for the queue page's summary.
    pub async fn status_counts(&self) -> Result<HashMap<String, i64>, Error> {
        let rows: Vec<(String, i64)> = read!(self, p => sqlx::query_as(
            "SELECT status, COUNT(*) FROM requests GROUP BY status").fetch_all(p).await.map_err(db_err))?;
        Ok(rows.into_iter().collect())
    }

    /// Writes prepared requests (demo data, generated benchmark data, imports) with their full
    /// history, in batches of one transaction each. Returns the new ids.
    pub async fn seed_requests(&self, actor: &Actor, seeds: &[SeedRequest]) -> Result<Vec<i64>, Error> {
        let weights = self.priority_weights().await?;
        let mut ids = Vec::with_capacity(seeds.len());
        for chunk in seeds.chunks(5_000) {
            let chunk_ids: Vec<i64> = tx!(self, tx => {
                let mut out = Vec::with_capacity(chunk.len());
                for s in chunk {
                    let score = bridge_domain::intake::priority::score(&s.priority, &weights);
                    let opt = |v: Option<u32>| v.map(i64::from);
                    let body = serde_json::to_string(&s.body).map_err(Error::internal)?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO requests (title, problem, status, unit_id, sponsor_id, author_id, clarity,
                            business_value, time_criticality, risk_reduction, job_size, priority, body, source,
                            created_at, updated_at, submitted_at, first_response_at, decided_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
                         RETURNING id")
                        .bind(&s.body.title).bind(&s.body.problem).bind(s.status.as_str()).bind(s.body.business_unit_id)
                        .bind(s.body.sponsor_id).bind(s.author_id).bind(i64::from(clarity(&s.body).score))
                        .bind(opt(s.priority.business_value)).bind(opt(s.priority.time_criticality))
                        .bind(opt(s.priority.risk_reduction)).bind(opt(s.priority.job_size)).bind(score)
                        .bind(&body).bind(&s.source).bind(s.created_at).bind(s.updated_at).bind(s.submitted_at)
                        .bind(s.first_response_at).bind(s.decided_at)
                        .fetch_one(&mut *tx).await.map_err(db_err)?;
                    for e in &s.events {
                        sqlx::query("INSERT INTO request_events (request_id, at, actor_id, actor_name, action, from_status, to_status, reason)
                                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                            .bind(id).bind(e.at).bind(e.actor_id).bind(&e.actor_name).bind(e.action.as_str())
                            .bind(e.from.as_str()).bind(e.to.as_str()).bind(&e.reason)
                            .execute(&mut *tx).await.map_err(db_err)?;
                    }
                    for c in &s.comments {
                        sqlx::query("INSERT INTO request_comments (request_id, at, author_id, author_name, author_side, body)
                                     VALUES ($1, $2, $3, $4, $5, $6)")
                            .bind(id).bind(c.at).bind(c.author_id).bind(&c.author_name).bind(&c.author_side).bind(&c.body)
                            .execute(&mut *tx).await.map_err(db_err)?;
                    }
                    if let Some((input, a, by, at)) = &s.assessment {
                        sqlx::query("INSERT INTO assessments (request_id, input, body, author_name, updated_at, version)
                                     VALUES ($1, $2, $3, $4, $5, 1)")
                            .bind(id).bind(serde_json::to_string(input).map_err(Error::internal)?)
                            .bind(serde_json::to_string(a).map_err(Error::internal)?).bind(by).bind(at)
                            .execute(&mut *tx).await.map_err(db_err)?;
                    }
                    out.push(id);
                }
                record!(&mut *tx, &Change { actor, action: "import", entity: "request", entity_id: None,
                    summary: format!("Added {} requests", chunk.len()), before: None,
                    after: Some(json!({"first_id": out.first(), "last_id": out.last()})) })?;
                Ok(out)
            })?;
            ids.extend(chunk_ids);
        }
        Ok(ids)
    }

    /// Adds notifications directly (demo data).
    pub async fn add_notification(&self, account_id: i64, at: i64, text: &str, link: &str) -> Result<(), Error> {
        write!(self, p => sqlx::query("INSERT INTO notifications (account_id, at, text, link) VALUES ($1, $2, $3, $4)")
            .bind(account_id).bind(at).bind(text).bind(link).execute(p).await.map(|_| ()).map_err(db_err))
    }

    /// Everyone in the directory, briefly: for choosing sponsors and stakeholders.
    pub async fn people_brief(&self) -> Result<Vec<PersonBrief>, Error> {
        read!(self, p => sqlx::query_as::<_, PersonBrief>(
            "SELECT p.id, p.name, p.side, p.unit_id, p.title FROM people p ORDER BY p.name, p.id")
            .fetch_all(p).await.map_err(db_err))
    }

    /// Business units by name (id, name), for filters and forms.
    pub async fn unit_names(&self) -> Result<Vec<(i64, String)>, Error> {
        read!(self, p => sqlx::query_as("SELECT id, name FROM units ORDER BY name").fetch_all(p).await.map_err(db_err))
    }

    pub async fn count_requests(&self) -> Result<i64, Error> {
        read!(self, p => sqlx::query_scalar("SELECT COUNT(*) FROM requests").fetch_one(p).await.map_err(db_err))
    }
}

/// The score, recomputed in SQL from the four ratings and the weights bound as $1–$4.
const RESCORE: &str = "(CAST($1 AS DOUBLE PRECISION) * business_value + CAST($2 AS DOUBLE PRECISION) * time_criticality
    + CAST($3 AS DOUBLE PRECISION) * risk_reduction) / (CAST($4 AS DOUBLE PRECISION) * job_size)";

/// The accounts a comment mentions. The rule: `@` followed by a person's full name as in the
/// directory (`@Rajesh Menon`, any letter case) or by their email (`@rajesh.menon@alderbrook.example`).
/// Only people with an account can be mentioned. Longer names are tried first, so `@Ana Maria Ruiz`
/// is not taken for `@Ana Maria`.
pub fn mentions(body: &str, people: &[(i64, i64, String, String)]) -> Vec<i64> {
    let lower = body.to_lowercase();
    let mut found = Vec::new();
    for (_, account, name, email) in people {
        for needle in [format!("@{}", name.to_lowercase()), format!("@{}", email.to_lowercase())] {
            let mut from = 0;
            while let Some(pos) = lower[from..].find(&needle) {
                let end = from + pos + needle.len();
                // The name must end there: not followed by a letter or digit.
                let next = lower[end..].chars().next();
                if !next.is_some_and(|c| c.is_alphanumeric()) {
                    if !found.contains(account) {
                        found.push(*account);
                    }
                    break;
                }
                from = end;
            }
        }
    }
    found
}

/// The labels of the fields that differ between two versions of a request.
pub fn changed_fields(a: &ValidRequest, b: &ValidRequest) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut check = |same: bool, label: &'static str| {
        if !same {
            out.push(label);
        }
    };
    check(a.title == b.title, "the title");
    check(a.problem == b.problem, "the problem");
    check(a.goals == b.goals, "the goals");
    check(a.metrics == b.metrics, "the success metrics");
    check(a.budget == b.budget, "the budget");
    check(a.sponsor_id == b.sponsor_id, "the sponsor");
    check(a.stakeholders == b.stakeholders, "the stakeholders");
    check(a.regulatory == b.regulatory, "the regulatory considerations");
    check(a.desired_date == b.desired_date, "the desired date");
    check(a.if_missed == b.if_missed, "what happens if the date is missed");
    check(a.tradeoffs == b.tradeoffs, "the trade-offs");
    check(a.business_unit_id == b.business_unit_id, "the business unit");
    out
}

pub fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Status, title and the four ratings, as `update_priority` reads them inside its transaction.
type RatingsRow = (String, String, Option<i64>, Option<i64>, Option<i64>, Option<i64>);

/// A lifecycle step as `ops::intake` decided it, for [`Db::record_transition`].
#[derive(Debug, Clone)]
pub struct TransitionRecord {
    pub from: Status,
    pub to: Status,
    pub kind: ActionKind,
    pub reason: String,
    pub at: i64,
    pub submitted_at: Option<i64>,
    pub first_response_at: Option<i64>,
    pub decided_at: Option<i64>,
    /// The author's notification, when someone else took the step.
    pub notify: Option<NewNotification>,
    /// The audit log's line.
    pub summary: String,
}

#[derive(Debug, Clone)]
pub struct NewNotification {
    pub account_id: i64,
    pub text: String,
    pub link: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonBrief {
    pub id: i64,
    pub name: String,
    pub side: String,
    pub unit_id: Option<i64>,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct RequestEvent {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub from_status: String,
    pub to_status: String,
    /// The reason written for the business (decisions and send-backs).
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Comment {
    pub id: i64,
    pub request_id: i64,
    pub at: i64,
    pub author_id: Option<i64>,
    pub author_name: String,
    /// business or it
    pub author_side: String,
    pub body: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Revision {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    /// Which fields changed, in words.
    pub summary: String,
    /// The request before the change (JSON text).
    pub before_json: String,
    pub after_json: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Notification {
    pub id: i64,
    pub at: i64,
    pub text: String,
    pub link: String,
    pub read_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct StoredAssessment {
    pub input: AssessmentInput,
    pub assessment: Assessment,
    pub author_name: String,
    pub updated_at: i64,
    pub version: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResponseRow {
    pub unit_name: String,
    pub submitted_at: Option<i64>,
    pub first_response_at: Option<i64>,
    pub decided_at: Option<i64>,
}

/// A step in a seeded request's history.
#[derive(Debug, Clone)]
pub struct SeedEvent {
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: ActionKind,
    pub from: Status,
    pub to: Status,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct SeedComment {
    pub at: i64,
    pub author_id: Option<i64>,
    pub author_name: String,
    pub author_side: String,
    pub body: String,
}

/// A request with its whole history, written as is (demo data, benchmark data, imports).
#[derive(Debug, Clone)]
pub struct SeedRequest {
    pub body: ValidRequest,
    pub status: Status,
    pub author_id: Option<i64>,
    pub source: String,
    pub priority: PriorityInput,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub first_response_at: Option<i64>,
    pub decided_at: Option<i64>,
    pub events: Vec<SeedEvent>,
    pub comments: Vec<SeedComment>,
    pub assessment: Option<(AssessmentInput, Assessment, String, i64)>,
}

impl SeedRequest {
    pub fn draft(body: ValidRequest, author_id: Option<i64>, at: i64) -> SeedRequest {
        SeedRequest {
            body,
            status: Status::Draft,
            author_id,
            source: String::new(),
            priority: PriorityInput::default(),
            created_at: at,
            updated_at: at,
            submitted_at: None,
            first_response_at: None,
            decided_at: None,
            events: Vec::new(),
            comments: Vec::new(),
            assessment: None,
        }
    }
}
