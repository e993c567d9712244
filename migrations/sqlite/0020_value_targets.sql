-- Targets on KPIs (domain::value::ValidTarget, kept as JSON in body): set when a request is
-- approved, from its success metrics (request_id, metric), or by hand.
CREATE TABLE value_targets (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kpi_id      BIGINT NOT NULL REFERENCES kpis(id) ON DELETE CASCADE,
    request_id  BIGINT REFERENCES requests(id) ON DELETE CASCADE,
    metric      TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX value_targets_kpi ON value_targets (kpi_id);
CREATE INDEX value_targets_request ON value_targets (request_id);
-- One target per success metric of a request.
CREATE UNIQUE INDEX value_targets_metric ON value_targets (request_id, metric) WHERE request_id IS NOT NULL;
