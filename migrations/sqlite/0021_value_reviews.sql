-- Value: an initiative's champion and brief, when its value is reviewed, and the reviews
-- themselves. A confirmed review is a value receipt: who confirmed what was measured, and when.
CREATE TABLE initiatives (
    request_id     BIGINT PRIMARY KEY REFERENCES requests(id) ON DELETE CASCADE,
    champion_id    BIGINT REFERENCES people(id) ON DELETE SET NULL,
    brief          TEXT NOT NULL DEFAULT '',
    -- Days after delivery the reviews fall due, e.g. "30,90,180".
    review_days    TEXT NOT NULL DEFAULT '30,90,180',
    updated_at     BIGINT NOT NULL,
    version        BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE value_reviews (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id      BIGINT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    -- Days after delivery (0 for one asked for by hand) and the day it fell due (days since 1970).
    after_days      BIGINT NOT NULL,
    due_day         BIGINT NOT NULL,
    -- due, confirmed or disputed
    state           TEXT NOT NULL,
    -- What was measured when the sponsor decided (the initiative's targets and money, JSON).
    result          TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    decided_by_id   BIGINT REFERENCES people(id) ON DELETE SET NULL,
    decided_by_name TEXT NOT NULL DEFAULT '',
    decided_at      BIGINT,
    created_at      BIGINT NOT NULL
);
-- A review per point after delivery: a job that runs twice adds it once.
CREATE UNIQUE INDEX value_reviews_once ON value_reviews (request_id, after_days) WHERE after_days > 0;
CREATE INDEX value_reviews_request ON value_reviews (request_id);
CREATE INDEX value_reviews_state ON value_reviews (state, decided_at);

-- The status a target's sponsor and champion were last told of (the daily watch tells them when
-- it turns at risk or off track).
ALTER TABLE value_targets ADD COLUMN told_status TEXT NOT NULL DEFAULT '';
