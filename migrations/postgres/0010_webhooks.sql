-- Outgoing webhooks set up by administrators (see ops::webhooks). `events` lists the event codes
-- the endpoint hears of, comma-separated; `secret` signs plain JSON deliveries.
CREATE TABLE webhook_endpoints (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL,
    url        TEXT NOT NULL,
    format     TEXT NOT NULL,
    events     TEXT NOT NULL,
    secret     TEXT NOT NULL,
    active     BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- One row per event sent to one endpoint: written with the change that raised it, then tried by
-- a background job until the receiver takes it. `body` is the event as plain JSON.
CREATE TABLE webhook_deliveries (
    id           BIGSERIAL PRIMARY KEY,
    endpoint_id  BIGINT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event        TEXT NOT NULL,
    body         TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending',
    attempts     BIGINT NOT NULL DEFAULT 0,
    status_code  BIGINT,
    error        TEXT NOT NULL DEFAULT '',
    duration_ms  BIGINT,
    created_at   BIGINT NOT NULL,
    attempted_at BIGINT
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
