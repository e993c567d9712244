-- Imports of requests from other tools (see ops::intake::jira): each import is a row, each
-- request it made points at it, and a request keeps the other tool's key ("jira:SHOP-12"), so a
-- file imported again updates or skips what is already here instead of adding it twice.
CREATE TABLE imports (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    source        TEXT NOT NULL,
    actor_name    TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    created_count INTEGER NOT NULL,
    updated_count INTEGER NOT NULL,
    skipped_count INTEGER NOT NULL,
    undone_at     INTEGER
);
ALTER TABLE requests ADD COLUMN external_key TEXT;
ALTER TABLE requests ADD COLUMN import_id INTEGER REFERENCES imports (id);
CREATE UNIQUE INDEX requests_external_key ON requests (external_key);
CREATE INDEX requests_import ON requests (import_id);
