-- Outgoing webhooks set up by administrators (see ops::webhooks). `events` lists the event codes
-- the endpoint hears of, comma-separated; `secret` signs plain JSON deliveries.
CREATE TABLE webhook_endpoints (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    url        TEXT NOT NULL,
    format     TEXT NOT NULL,
    events     TEXT NOT NULL,
    secret     TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- One row per event sent to one endpoint: written with the change that raised it, then tried by
-- a background job until the receiver takes it. `body` is the event as plain JSON.
CREATE TABLE webhook_deliveries (
    id           INTEGER PRIMARY KEY,
    endpoint_id  INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event        TEXT NOT NULL,
    body         TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending',
    attempts     INTEGER NOT NULL DEFAULT 0,
    status_code  INTEGER,
    error        TEXT NOT NULL DEFAULT '',
    duration_ms  INTEGER,
    created_at   INTEGER NOT NULL,
    attempted_at INTEGER
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
