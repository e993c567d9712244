//! The job queue: enqueueing (in the transaction of the change that needs the job), claiming a
//! batch for one server, finishing, failing, and what administrators see and retry.
//!
//! Claiming is one `UPDATE` of the first due ids: on PostgreSQL their select takes `FOR UPDATE SKIP
//! LOCKED`, so servers claiming at once each get other jobs; on SQLite the single writer already
//! runs one claim at a time.

use bridge_domain::audit::{Actor, Entity};
use bridge_domain::jobs::JobState;
use bridge_domain::Error;
use serde::{Deserialize, Serialize};

use super::audit::Change;
use super::{args, id_list, now_ms, tx, Arg, Db, Listing, Page, Tx};

/// A job to add to the queue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    /// JSON, as the job's handler reads it.
    pub payload: String,
    pub run_at: i64,
    pub max_attempts: i64,
}

/// A job as administrators see it.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    /// queued, running or failed (a job that succeeded is removed)
    #[sqlx(try_from = "String")]
    #[schema(value_type = String)]
    pub state: JobState,
    /// When it is due (ms since the epoch).
    pub run_at: i64,
    pub attempts: i64,
    pub max_attempts: i64,
    /// What went wrong the last time it was tried.
    pub last_error: String,
    /// The server running it, while it runs.
    pub locked_by: Option<String>,
    pub created_at: i64,
    pub failed_at: Option<i64>,
}

/// A job a server has claimed and now runs.
#[derive(Debug, Clone, Deserialize, sqlx::FromRow)]
pub struct ClaimedJob {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    /// This attempt's number, from 1.
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: i64,
}

/// How many jobs are in each state, and how long the oldest due job has waited.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct QueueSize {
    pub queued: i64,
    pub due: i64,
    pub running: i64,
    pub failed: i64,
    /// Milliseconds the longest-waiting due job has waited (0 when none is due).
    pub oldest_due_ms: i64,
}

#[derive(Deserialize, sqlx::FromRow)]
struct StateCount {
    state: String,
    n: i64,
    oldest: Option<i64>,
}

const JOB_COLUMNS: &str =
    "id, kind, payload, state, run_at, attempts, max_attempts, last_error, locked_by, created_at, failed_at";

impl Tx<'_> {
    /// Adds a job; it runs once this transaction commits (never before: a job never sees a change
    /// that did not happen).
    pub async fn enqueue(&mut self, job: &NewJob) -> Result<i64, Error> {
        Ok(self
            .number(
                "INSERT INTO jobs (kind, payload, state, run_at, max_attempts, created_at)
                 VALUES ($1, $2, 'queued', $3, $4, $5) RETURNING id",
                &args![&job.kind, &job.payload, job.run_at, job.max_attempts, now_ms()],
            )
            .await?)
    }
}

impl Db {
    /// Adds a job on its own.
    pub async fn enqueue(&self, job: &NewJob) -> Result<i64, Error> {
        tx!(self, tx => tx.enqueue(job).await)
    }

    /// Adds jobs in one transaction: all or none.
    pub async fn enqueue_all(&self, jobs: &[NewJob]) -> Result<(), Error> {
        tx!(self, tx => {
            for job in jobs {
                tx.enqueue(job).await?;
            }
            Ok(())
        })
    }

    /// Adds the job of one period of a schedule unless some server already did (`key` names the
    /// period); answers whether this call added it.
    pub async fn enqueue_once(&self, key: &str, job: &NewJob) -> Result<bool, Error> {
        tx!(self, tx => {
            let made = tx
                .execute(
                    "INSERT INTO job_schedule_runs (key, created_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
                    &args![key, now_ms()],
                )
                .await?;
            if made == 1 {
                tx.enqueue(job).await?;
            }
            Ok(made == 1)
        })
    }

    /// Whether any job is due: a read, so an idle worker's look costs no write.
    pub async fn jobs_due(&self, now: i64) -> Result<bool, Error> {
        let sql = "SELECT COUNT(*) FROM (SELECT 1 FROM jobs WHERE state = 'queued' AND run_at <= $1 LIMIT 1) d";
        Ok(self.count(sql.into(), vec![Arg::I(now)]).await? > 0)
    }

    /// Claims up to `limit` due jobs, oldest due first, for `server` until `lease_until`; each
    /// claim counts as an attempt.
    pub async fn claim_jobs(&self, server: &str, lease_until: i64, limit: i64) -> Result<Vec<ClaimedJob>, Error> {
        // PostgreSQL: the due ids as an array computed first, then each updated through the
        // primary key. As `id IN (SELECT …)` its generic plan hashed the whole table for every
        // claim (52 ms at 300,000 jobs, against under 1 ms).
        let due = "SELECT id FROM jobs WHERE state = 'queued' AND run_at <= $3 ORDER BY run_at, id LIMIT $4";
        let which = match self {
            Db::Postgres { .. } => format!("id = ANY(ARRAY({due} FOR UPDATE SKIP LOCKED))"),
            Db::Sqlite { .. } => format!("id IN ({due})"),
        };
        let sql = format!(
            "UPDATE jobs SET state = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1
             WHERE {which} RETURNING id, kind, payload, attempts, max_attempts, run_at"
        );
        tx!(self, tx => Ok(tx.rows(&sql, &args![server, lease_until, now_ms(), limit]).await?))
    }

    /// Removes jobs that succeeded on `server`; a job whose lease ran out and that another server
    /// took back is left to that server.
    pub async fn finish_jobs(&self, server: &str, ids: &[i64]) -> Result<(), Error> {
        if ids.is_empty() {
            return Ok(());
        }
        let sql = format!("DELETE FROM jobs WHERE id IN ({}) AND state = 'running' AND locked_by = $1", id_list(ids));
        self.execute(&sql, &args![server]).await.map(|_| ())
    }

    /// Records a failed attempt: the job waits until `retry_at`, or with `None` is listed as failed.
    pub async fn fail_job(&self, server: &str, id: i64, error: &str, retry_at: Option<i64>) -> Result<(), Error> {
        let (state, run_at, failed_at) = match retry_at {
            Some(at) => (JobState::Queued, at, None),
            None => (JobState::Failed, now_ms(), Some(now_ms())),
        };
        self.execute(
            "UPDATE jobs SET state = $1, run_at = $2, last_error = $3, failed_at = $4, locked_by = NULL, locked_until = NULL
             WHERE id = $5 AND state = 'running' AND locked_by = $6",
            &args![state.as_str(), run_at, error, failed_at, id, server],
        )
        .await
        .map(|_| ())
    }

    /// Puts this server's running jobs back in the queue (shutting down), without counting the
    /// attempt they were in.
    pub async fn release_jobs(&self, server: &str) -> Result<u64, Error> {
        self.execute(
            "UPDATE jobs SET state = 'queued', locked_by = NULL, locked_until = NULL, attempts = attempts - 1
             WHERE state = 'running' AND locked_by = $1",
            &args![server],
        )
        .await
    }

    /// Jobs whose server stopped before finishing them (their lease ran out) go back to the queue,
    /// or are listed as failed when that was their last attempt.
    pub async fn requeue_abandoned(&self) -> Result<u64, Error> {
        let now = now_ms();
        // A read first: most of the time there is nothing to take back, and then no write.
        let sql = "SELECT COUNT(*) FROM (SELECT 1 FROM jobs WHERE state = 'running' AND locked_until <= $1 LIMIT 1) d";
        if self.count(sql.into(), vec![Arg::I(now)]).await? == 0 {
            return Ok(0);
        }
        self.execute(
            "UPDATE jobs SET state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
                failed_at = CASE WHEN attempts >= max_attempts THEN $1 ELSE NULL END,
                last_error = 'The server running it stopped before it finished.',
                locked_by = NULL, locked_until = NULL, run_at = $1
             WHERE state = 'running' AND locked_until <= $1",
            &args![now],
        )
        .await
    }

    /// Jobs in one state (all with `None`), the most recent first.
    pub async fn list_jobs(&self, state: Option<JobState>, page: Page) -> Result<(Vec<Job>, i64), Error> {
        let state = state.map(JobState::as_str).unwrap_or("");
        let filter = "WHERE ($1 = '' OR state = $1)";
        self.page_of(
            Listing {
                sql: format!("SELECT {JOB_COLUMNS} FROM jobs {filter} ORDER BY id DESC LIMIT $2 OFFSET $3"),
                args: vec![Arg::S(state.into()), Arg::I(page.limit), Arg::I(page.offset)],
                count_sql: format!("SELECT COUNT(*) FROM jobs {filter}"),
                count_args: vec![Arg::S(state.into())],
            },
            page,
        )
        .await
    }

    pub async fn get_job(&self, id: i64) -> Result<Job, Error> {
        self.first(format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1"), vec![Arg::I(id)])
            .await?
            .ok_or_else(|| Error::not_found("The job"))
    }

    /// Puts a failed job back in the queue with all its attempts (administrators).
    pub async fn retry_job(&self, actor: &Actor, id: i64) -> Result<(), Error> {
        let job = self.get_job(id).await?;
        tx!(self, tx => {
            let done = tx.execute(
                "UPDATE jobs SET state = 'queued', attempts = 0, run_at = $1, failed_at = NULL WHERE id = $2 AND state = 'failed'",
                &args![now_ms(), id],
            )
            .await?;
            if done == 0 {
                return Err(Error::conflict("Only a job that failed can be retried (this one is waiting or running)."));
            }
            tx.record(&Change { actor, action: "retry", entity: Entity::Job, entity_id: Some(id),
                summary: format!("Retried the {} job {id}", job.kind), before: None, after: None })
                .await?;
            Ok(())
        })
    }

    /// The size of the queue, for `/metrics` and the jobs page.
    pub async fn queue_size(&self) -> Result<QueueSize, Error> {
        let now = now_ms();
        let rows: Vec<StateCount> = self
            .rows(
                "SELECT state, COUNT(*) AS n, MIN(run_at) AS oldest FROM jobs GROUP BY state
                 UNION ALL SELECT 'due' AS state, COUNT(*) AS n, MIN(run_at) AS oldest FROM jobs
                     WHERE state = 'queued' AND run_at <= $1"
                    .into(),
                vec![Arg::I(now)],
            )
            .await?;
        let mut size = QueueSize::default();
        for r in rows {
            match r.state.as_str() {
                "queued" => size.queued = r.n,
                "running" => size.running = r.n,
                "failed" => size.failed = r.n,
                "due" => {
                    size.due = r.n;
                    size.oldest_due_ms = r.oldest.map_or(0, |t| (now - t).max(0));
                }
                _ => {}
            }
        }
        Ok(size)
    }
}
