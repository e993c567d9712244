-- Background jobs, shared by every server on the database (see store::jobs). A job that succeeded
-- is deleted; one that failed for good stays, with its error, until an administrator retries it.
CREATE TABLE jobs (
    id           BIGSERIAL PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'queued',
    run_at       BIGINT NOT NULL,
    attempts     BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL,
    last_error   TEXT NOT NULL DEFAULT '',
    locked_by    TEXT,
    locked_until BIGINT,
    created_at   BIGINT NOT NULL,
    failed_at    BIGINT
);
CREATE INDEX jobs_due ON jobs (state, run_at, id);

-- One row per period of a scheduled job that some server has made: the key is the job's kind and
-- the period's start, so two servers never make the same period's job twice.
CREATE TABLE job_schedule_runs (
    key        TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);
