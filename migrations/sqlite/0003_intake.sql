-- Intake: requests, their history, assessments, conversation and notifications.
-- Times are UTC milliseconds since the Unix epoch (BIGINT), written only by the app.

CREATE TABLE requests (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    title             TEXT NOT NULL,
    problem           TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL,
    unit_id           BIGINT REFERENCES units(id) ON DELETE SET NULL,
    sponsor_id        BIGINT REFERENCES people(id) ON DELETE SET NULL,
    author_id         BIGINT REFERENCES people(id) ON DELETE SET NULL,
    clarity           INTEGER NOT NULL,
    -- The four priority ratings (NULL until set) and the score they give with the current weights;
    -- the score is recomputed for every row in one UPDATE when an admin changes the weights.
    business_value    INTEGER,
    time_criticality  INTEGER,
    risk_reduction    INTEGER,
    job_size          INTEGER,
    priority          REAL,
    -- The rest of the validated request (goals, metrics, budget, stakeholders, ...) as JSON.
    body              TEXT NOT NULL,
    -- Where an imported request came from, e.g. "Jira ABC-12 (status To Do, priority High)".
    source            TEXT NOT NULL DEFAULT '',
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    submitted_at      BIGINT,
    first_response_at BIGINT,
    decided_at        BIGINT,
    version           BIGINT NOT NULL DEFAULT 1,
    -- The status as one word for the full-text index ("zstatusinassessment"), plus "zopen" for the
    -- open queue, so a search within a status or the queue is answered by the full-text index alone.
    search_tags       TEXT GENERATED ALWAYS AS ('zstatus' || replace(status, '_', '') ||
        CASE WHEN status IN ('submitted', 'in_assessment', 'approved', 'deferred') THEN ' zopen' ELSE '' END) VIRTUAL
);
-- Indexes for the queue: each common filter with the priority order, so a page reads its 50 rows
-- in order and counts from the index alone.
CREATE INDEX requests_priority ON requests (priority DESC, submitted_at, id);
CREATE INDEX requests_status_priority ON requests (status, priority DESC, submitted_at, id);
CREATE INDEX requests_status_unit_priority ON requests (status, unit_id, priority DESC, submitted_at, id);
CREATE INDEX requests_unit_priority ON requests (unit_id, priority DESC, submitted_at, id);
CREATE INDEX requests_unit ON requests (unit_id, id);
CREATE INDEX requests_sponsor_priority ON requests (sponsor_id, priority DESC, submitted_at, id);
CREATE INDEX requests_sponsor ON requests (sponsor_id, id);
CREATE INDEX requests_author ON requests (author_id, id);
CREATE INDEX requests_clarity ON requests (clarity, id);
CREATE INDEX requests_submitted ON requests (submitted_at);
CREATE INDEX requests_updated ON requests (updated_at, id);

-- Full-text search over title and problem: an FTS5 index over the requests table (external
-- content), kept in sync by triggers inside the writing transaction.
CREATE VIRTUAL TABLE requests_fts USING fts5(title, problem, search_tags, content='requests', content_rowid='id');
CREATE TRIGGER requests_fts_insert AFTER INSERT ON requests BEGIN
    INSERT INTO requests_fts (rowid, title, problem, search_tags) VALUES (new.id, new.title, new.problem, new.search_tags);
END;
CREATE TRIGGER requests_fts_delete AFTER DELETE ON requests BEGIN
    INSERT INTO requests_fts (requests_fts, rowid, title, problem, search_tags) VALUES ('delete', old.id, old.title, old.problem, old.search_tags);
END;
CREATE TRIGGER requests_fts_update AFTER UPDATE OF title, problem, status ON requests BEGIN
    INSERT INTO requests_fts (requests_fts, rowid, title, problem, search_tags) VALUES ('delete', old.id, old.title, old.problem, old.search_tags);
    INSERT INTO requests_fts (rowid, title, problem, search_tags) VALUES (new.id, new.title, new.problem, new.search_tags);
END;

CREATE TABLE request_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id  BIGINT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    actor_id    BIGINT,
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX request_events_request ON request_events (request_id, id);

CREATE TABLE request_comments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id  BIGINT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    author_id   BIGINT REFERENCES people(id) ON DELETE SET NULL,
    author_name TEXT NOT NULL,
    author_side TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL
);
CREATE INDEX request_comments_request ON request_comments (request_id, id);

CREATE TABLE request_revisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id  BIGINT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    actor_id    BIGINT,
    actor_name  TEXT NOT NULL,
    summary     TEXT NOT NULL,
    before_json TEXT NOT NULL,
    after_json  TEXT NOT NULL
);
CREATE INDEX request_revisions_request ON request_revisions (request_id, id);

CREATE TABLE assessments (
    request_id  BIGINT PRIMARY KEY REFERENCES requests(id) ON DELETE CASCADE,
    input       TEXT NOT NULL,
    body        TEXT NOT NULL,
    author_name TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    text        TEXT NOT NULL,
    link        TEXT NOT NULL,
    read_at     BIGINT
);
CREATE INDEX notifications_unread ON notifications (account_id, read_at);
