//! The worker every server runs (unless told not to): it claims due jobs from the queue all servers
//! share, runs each with the handler for its kind, then removes it, schedules its retry or lists it
//! as failed (`domain::jobs`). It also makes the jobs of schedules (digests) once per period,
//! whichever server gets there first, and puts back the jobs of a server that died mid-way.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bridge_domain::jobs::{after_failure, AfterFailure, Schedule, DEFAULT_MAX_ATTEMPTS};
use bridge_domain::Error;
use tokio::sync::{watch, Notify, Semaphore};
use tokio::task::JoinSet;

use crate::store::jobs::{ClaimedJob, NewJob};
use crate::store::{now_ms, Db};

/// What a handler answers: `Err` with what went wrong, in words an administrator can act on.
pub type JobResult = Result<(), String>;
type Handler = Arc<dyn Fn(ClaimedJob) -> Pin<Box<dyn Future<Output = JobResult> + Send>> + Send + Sync>;

/// The kind of job that does nothing: for checking the queue and measuring it.
pub const NOOP: &str = "noop";

/// What each kind of job does, and which kinds run on a schedule.
#[derive(Default, Clone)]
pub struct Handlers {
    by_kind: HashMap<&'static str, Handler>,
    schedules: Vec<(Schedule, &'static str)>,
}

impl Handlers {
    /// The handlers every server has.
    pub fn standard() -> Handlers {
        Handlers::default().on(NOOP, |_| async { Ok(()) })
    }

    pub fn on<F, Fut>(mut self, kind: &'static str, handler: F) -> Self
    where
        F: Fn(ClaimedJob) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = JobResult> + Send + 'static,
    {
        self.by_kind.insert(kind, Arc::new(move |job| Box::pin(handler(job))));
        self
    }

    /// Makes a `kind` job (with an empty payload) once in every period of `schedule`.
    pub fn every(mut self, schedule: Schedule, kind: &'static str) -> Self {
        self.schedules.push((schedule, kind));
        self
    }
}

/// Every area's handlers, for a server's worker: mail (through `mailer` when there is one),
/// webhooks (links made from `base_url`, each delivery given `webhook_timeout`), value,
/// engagement and learning.
pub fn area_handlers(
    db: &Db,
    mailer: Option<Arc<super::mail::Mailer>>,
    base_url: &str,
    webhook_timeout: Duration,
) -> Handlers {
    let h = super::mail::handlers(Handlers::standard(), db.clone(), mailer.clone());
    let h = super::webhooks::handlers(h, db.clone(), base_url, webhook_timeout);
    let h = super::value::handlers(h, db.clone());
    let h = super::engagement::office_hours_handlers(h, db.clone(), mailer);
    let h = super::engagement::handlers(h, db.clone());
    super::learning::handlers(h, db.clone())
}

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Jobs run at once.
    pub concurrency: usize,
    /// Jobs claimed in one go.
    pub batch: i64,
    /// How long a claimed job is this server's; past it, another server may take it back.
    pub lease: Duration,
    /// How often an idle worker looks for due jobs (at once when this server adds one).
    pub poll: Duration,
    /// A job that runs longer than this has failed.
    pub job_timeout: Duration,
    /// On shutdown, how long running jobs may take to finish before they go back to the queue.
    pub grace: Duration,
    /// How often to look for jobs whose server stopped holding them (their lease ran out).
    pub requeue_every: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            concurrency: 16,
            batch: 64,
            lease: Duration::from_secs(300),
            poll: Duration::from_secs(1),
            job_timeout: Duration::from_secs(60),
            grace: Duration::from_secs(10),
            requeue_every: Duration::from_secs(10),
        }
    }
}

/// Upper bounds of the job latency histogram (from due to started), in seconds.
pub const LATENCY_BUCKETS: [f64; 10] = [0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 30.0, 300.0, 3600.0];

/// What this server's worker has done, for `/metrics`.
#[derive(Debug, Default)]
pub struct JobStats {
    pub succeeded: AtomicU64,
    pub retried: AtomicU64,
    pub failed: AtomicU64,
    latency: Mutex<Latency>,
}

#[derive(Debug, Default, Clone)]
pub struct Latency {
    pub buckets: [u64; LATENCY_BUCKETS.len()],
    pub count: u64,
    pub sum_secs: f64,
}

impl JobStats {
    fn started(&self, waited_ms: i64) {
        let secs = waited_ms.max(0) as f64 / 1000.0;
        let mut l = self.latency.lock().unwrap_or_else(|e| e.into_inner());
        l.count += 1;
        l.sum_secs += secs;
        if let Some(i) = LATENCY_BUCKETS.iter().position(|b| secs <= *b) {
            l.buckets[i] += 1;
        }
    }

    pub fn latency(&self) -> Latency {
        self.latency.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// The handle the rest of the server holds: to add jobs and wake this server's worker for them.
#[derive(Debug, Default, Clone)]
pub struct Jobs {
    pub wake: Arc<Notify>,
    pub stats: Arc<JobStats>,
}

impl Jobs {
    /// Adds a job due now (or at `run_at`) and tells this server's worker.
    pub async fn add(
        &self,
        db: &Db,
        kind: &str,
        payload: serde_json::Value,
        run_at: Option<i64>,
    ) -> Result<i64, Error> {
        let job = NewJob {
            kind: kind.into(),
            payload: payload.to_string(),
            run_at: run_at.unwrap_or_else(now_ms),
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        };
        let id = db.enqueue(&job).await?;
        self.wake.notify_one();
        Ok(id)
    }
}

pub struct Worker {
    db: Db,
    /// Names this server in the jobs it holds.
    server: String,
    handlers: Handlers,
    config: WorkerConfig,
    jobs: Jobs,
}

impl Worker {
    pub fn new(db: Db, handlers: Handlers, config: WorkerConfig, jobs: Jobs) -> Worker {
        let server = format!("{}-{}-{:06x}", hostname(), std::process::id(), rand::random::<u32>() & 0xff_ffff);
        Worker { db, server, handlers, config, jobs }
    }

    /// Runs until `shutdown` turns true; then lets running jobs finish for the grace period and
    /// puts back the rest.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        tracing::info!(server = %self.server, "job worker started");
        let mut made: HashMap<&'static str, String> = HashMap::new();
        let mut requeued_at: Option<Instant> = None;
        // After a full batch more jobs are likely due: claim again without asking first.
        let mut more_likely = false;
        while !*shutdown.borrow() {
            self.make_scheduled(&mut made).await;
            if requeued_at.is_none_or(|t| t.elapsed() >= self.config.requeue_every) {
                requeued_at = Some(Instant::now());
                match self.db.requeue_abandoned().await {
                    Ok(0) => {}
                    Ok(n) => tracing::warn!(jobs = n, "took back jobs whose server stopped"),
                    Err(e) => tracing::warn!(error = %e, "could not look for abandoned jobs"),
                }
            }
            let ran = match self.run_batch(&mut shutdown, more_likely).await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "the job queue could not be read");
                    0
                }
            };
            more_likely = ran as i64 >= self.config.batch;
            if ran == 0 {
                tokio::select! {
                    _ = self.jobs.wake.notified() => {}
                    _ = tokio::time::sleep(self.config.poll) => {}
                    // An error: whoever could tell us to stop is gone, so stop.
                    changed = shutdown.changed() => if changed.is_err() { break },
                }
            }
        }
        match self.db.release_jobs(&self.server).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(jobs = n, "put unfinished jobs back in the queue"),
            Err(e) => {
                tracing::warn!(error = %e, "could not put unfinished jobs back; they return when their lease ends")
            }
        }
        tracing::info!("job worker stopped");
    }

    /// Makes each schedule's job of the current period, unless some server already made it.
    async fn make_scheduled(&self, made: &mut HashMap<&'static str, String>) {
        let now = now_ms();
        for (schedule, kind) in &self.handlers.schedules {
            let key = schedule.key(kind, now);
            if made.get(kind) == Some(&key) {
                continue;
            }
            // The period travels in the payload: a retry moves `run_at`, not the period.
            let job = NewJob {
                kind: kind.to_string(),
                payload: serde_json::json!({ "period_start": schedule.latest_start(now) }).to_string(),
                run_at: schedule.latest_start(now),
                max_attempts: DEFAULT_MAX_ATTEMPTS,
            };
            match self.db.enqueue_once(&key, &job).await {
                Ok(_) => {
                    made.insert(kind, key);
                }
                Err(e) => tracing::warn!(error = %e, kind, "could not make a scheduled job"),
            }
        }
    }

    /// Claims one batch and runs it; answers how many jobs it claimed. Unless `more_likely`, it
    /// first reads whether any job is due, so an idle server's look costs no write.
    async fn run_batch(&self, shutdown: &mut watch::Receiver<bool>, more_likely: bool) -> Result<usize, Error> {
        if !more_likely && !self.db.jobs_due(now_ms()).await? {
            return Ok(0);
        }
        let lease_until = now_ms() + self.config.lease.as_millis() as i64;
        let claimed = self.db.claim_jobs(&self.server, lease_until, self.config.batch).await?;
        let count = claimed.len();
        let permits = Arc::new(Semaphore::new(self.config.concurrency));
        let mut running = JoinSet::new();
        let mut by_task = HashMap::new();
        let started = now_ms();
        for job in claimed {
            self.jobs.stats.started(started - job.run_at);
            let handler = self.handlers.by_kind.get(job.kind.as_str()).cloned();
            let (permits, timeout, stopping) = (permits.clone(), self.config.job_timeout, shutdown.clone());
            let task_job = job.clone();
            // `None`: not started because the server is stopping (it goes back to the queue).
            let task = running.spawn(async move {
                let _permit = permits.acquire_owned().await;
                if *stopping.borrow() {
                    return None;
                }
                let Some(handler) = handler else {
                    return Some(Err(format!("This server has no handler for \"{}\" jobs.", task_job.kind)));
                };
                Some(match tokio::time::timeout(timeout, handler(task_job)).await {
                    Ok(result) => result,
                    Err(_) => Err(format!("It took longer than {} seconds.", timeout.as_secs())),
                })
            });
            by_task.insert(task.id(), job);
        }
        let mut succeeded = Vec::new();
        let mut stop_at: Option<tokio::time::Instant> = None;
        loop {
            let next = tokio::select! {
                next = running.join_next_with_id() => next,
                _ = shutdown.changed(), if stop_at.is_none() => {
                    stop_at = Some(tokio::time::Instant::now() + self.config.grace);
                    continue;
                }
                _ = sleep_until(stop_at) => {
                    // Out of time: what still runs goes back to the queue (release_jobs).
                    running.abort_all();
                    while running.join_next().await.is_some() {}
                    break;
                }
            };
            let Some(next) = next else { break };
            let (id, result) = match next {
                Ok((id, result)) => (id, result),
                Err(e) => (e.id(), Some(Err("The job stopped with an internal error.".to_string()))),
            };
            let Some(job) = by_task.remove(&id) else { continue };
            match result {
                Some(Ok(())) => succeeded.push(job.id),
                Some(Err(error)) => self.record_failure(&job, &error).await,
                None => {}
            }
        }
        self.jobs.stats.succeeded.fetch_add(succeeded.len() as u64, Ordering::Relaxed);
        self.db.finish_jobs(&self.server, &succeeded).await?;
        Ok(count)
    }

    async fn record_failure(&self, job: &ClaimedJob, error: &str) {
        let retry_at = match after_failure(job.attempts, job.max_attempts, rand::random::<f64>()) {
            AfterFailure::RetryIn(ms) => {
                self.jobs.stats.retried.fetch_add(1, Ordering::Relaxed);
                tracing::info!(job = job.id, kind = %job.kind, attempt = job.attempts, error, "job failed; will retry");
                Some(now_ms() + ms)
            }
            AfterFailure::GiveUp => {
                self.jobs.stats.failed.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(job = job.id, kind = %job.kind, attempts = job.attempts, error, "job failed for good");
                None
            }
        };
        if let Err(e) = self.db.fail_job(&self.server, job.id, error, retry_at).await {
            tracing::warn!(job = job.id, error = %e, "could not record a job's failure; it returns when its lease ends");
        }
    }
}

async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

fn hostname() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "bridge".into())
}

/// Jobs in one state, or all (administrators).
pub async fn list(
    db: &Db,
    caller: &super::Caller,
    state: Option<bridge_domain::jobs::JobState>,
    page: crate::store::Page,
) -> Result<(Vec<crate::store::jobs::Job>, i64), Error> {
    caller.require_admin()?;
    db.list_jobs(state, page).await
}

/// Puts a failed job back in the queue with all its attempts (administrators).
pub async fn retry(db: &Db, caller: &super::Caller, jobs: &Jobs, id: i64) -> Result<(), Error> {
    caller.require_admin()?;
    db.retry_job(&caller.actor, id).await?;
    jobs.wake.notify_one();
    Ok(())
}

/// A job's kind in words, for the jobs page (the code stays beside it).
pub fn describe(kind: &str) -> &'static str {
    use crate::ops::mail::{DAILY_DIGESTS, DIGEST_JOB, WEEKLY_DIGESTS};
    match kind {
        crate::store::notifications::EMAIL_JOB => "Email of a notification",
        DIGEST_JOB => "Digest email to one person",
        DAILY_DIGESTS => "Start of the daily digests",
        WEEKLY_DIGESTS => "Start of the weekly digests",
        crate::store::webhooks::DELIVERY_JOB => "Message to a webhook endpoint",
        crate::ops::value::reviews::REVIEW_DUE => "A value review falling due",
        crate::ops::value::watch::WATCH => "Daily watch of the value targets",
        crate::ops::engagement::WATCH => "Daily watch of follow-ups and units losing touch",
        crate::ops::learning::WATCH => "Hourly watch of events: reminders, feedback requests, waiting lists",
        NOOP => "Check of the queue (does nothing)",
        _ => "Job",
    }
}

/// One job, with its last error (administrators).
pub async fn get(db: &Db, caller: &super::Caller, id: i64) -> Result<crate::store::jobs::Job, Error> {
    caller.require_admin()?;
    db.get_job(id).await
}

/// How many jobs wait, are due, run and have failed (administrators).
pub async fn queue_size(db: &Db, caller: &super::Caller) -> Result<crate::store::jobs::QueueSize, Error> {
    caller.require_admin()?;
    db.queue_size().await
}
