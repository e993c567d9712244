-- Imports of requests from other tools (see ops::intake::jira): each import is a row, each
-- request it made points at it, and a request keeps the other tool's key ("jira:SHOP-12"), so a
-- file imported again updates or skips what is already here instead of adding it twice.
CREATE TABLE imports (
    id            BIGSERIAL PRIMARY KEY,
    source        TEXT NOT NULL,
    actor_name    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    created_count BIGINT NOT NULL,
    updated_count BIGINT NOT NULL,
    skipped_count BIGINT NOT NULL,
    undone_at     BIGINT
);
ALTER TABLE requests ADD COLUMN external_key TEXT;
ALTER TABLE requests ADD COLUMN import_id BIGINT REFERENCES imports (id);
CREATE UNIQUE INDEX requests_external_key ON requests (external_key);
CREATE INDEX requests_import ON requests (import_id);
