-- Job ids are never reused: without AUTOINCREMENT, SQLite gives a new row the highest id left plus
-- one, so once the newest jobs had run (and were deleted) the next job took one of their ids; a
-- server finishing an old claim late, or an administrator acting on an old page, could then touch
-- another job. (PostgreSQL's sequence never reuses ids.)
CREATE TABLE jobs_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO jobs_new SELECT id, kind, payload, state, run_at, attempts, max_attempts, last_error, locked_by,
    locked_until, created_at, failed_at FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_new RENAME TO jobs;
CREATE INDEX jobs_due ON jobs (state, run_at, id);
