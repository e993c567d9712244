-- Background jobs, shared by every server on the database (see store::jobs). A job that succeeded
-- is deleted; one that failed for good stays, with its error, until an administrator retries it.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'queued',
    run_at       INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    last_error   TEXT NOT NULL DEFAULT '',
    locked_by    TEXT,
    locked_until INTEGER,
    created_at   INTEGER NOT NULL,
    failed_at    INTEGER
);
CREATE INDEX jobs_due ON jobs (state, run_at, id);

-- One row per period of a scheduled job that some server has made: the key is the job's kind and
-- the period's start, so two servers never make the same period's job twice.
CREATE TABLE job_schedule_runs (
    key        TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
);
