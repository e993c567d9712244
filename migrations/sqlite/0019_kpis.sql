-- Value: KPIs in the business's own numbers and their measurements (domain::value). A day has
-- one current measurement; a correction keeps the one it replaces (replaced_at) as history.
CREATE TABLE kpis (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    definition  TEXT NOT NULL,
    unit        TEXT NOT NULL,
    currency    TEXT,
    benefit     TEXT NOT NULL,
    direction   TEXT NOT NULL,
    unit_id     BIGINT REFERENCES units(id) ON DELETE SET NULL,
    frequency   TEXT NOT NULL,
    source      TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX kpis_name ON kpis (lower(name));

CREATE TABLE kpi_measurements (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kpi_id      BIGINT NOT NULL REFERENCES kpis(id) ON DELETE CASCADE,
    -- Days since 1970-01-01.
    day         BIGINT NOT NULL,
    value       REAL NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    -- Who or what recorded it: a person's name, or the API token's name for a system.
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    -- The sender's own key for the value (a BI tool's row id): sending it again changes nothing.
    sender_key  TEXT,
    replaced_at BIGINT
);
CREATE UNIQUE INDEX kpi_measurements_current ON kpi_measurements (kpi_id, day) WHERE replaced_at IS NULL;
CREATE UNIQUE INDEX kpi_measurements_sender ON kpi_measurements (kpi_id, sender_key) WHERE sender_key IS NOT NULL;
