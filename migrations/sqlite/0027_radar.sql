-- The technology radar: four quadrants (their names are the organisation's to choose), entries
-- in rings, every move kept with its reason and day, editions (the days the radar was
-- published), and what each entry is linked to: events that showed it, requests that use it,
-- business units that use it.

CREATE TABLE radar_quadrants (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    -- 0 top right, 1 top left, 2 bottom left, 3 bottom right: where it is drawn.
    position BIGINT NOT NULL UNIQUE,
    name     TEXT NOT NULL
);
INSERT INTO radar_quadrants (position, name) VALUES
    (0, 'Techniques'), (1, 'Tools'), (2, 'Platforms'), (3, 'Languages and frameworks');

CREATE TABLE radar_entries (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    name              TEXT NOT NULL,
    -- The name in lower case: one entry per name.
    name_key          TEXT NOT NULL UNIQUE,
    quadrant_id       BIGINT NOT NULL REFERENCES radar_quadrants(id),
    -- adopt, trial, assess or hold: where its latest move put it.
    ring              TEXT NOT NULL,
    business_use      TEXT NOT NULL,
    examples          TEXT NOT NULL,
    owner_id          BIGINT REFERENCES people(id) ON DELETE SET NULL,
    explorer_id       BIGINT REFERENCES people(id) ON DELETE SET NULL,
    showcase_event_id BIGINT REFERENCES events(id) ON DELETE SET NULL,
    -- NULL: a draft (its explanation still has words the business may not know).
    published_at      BIGINT,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    version           BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE radar_moves (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id    BIGINT NOT NULL REFERENCES radar_entries(id) ON DELETE CASCADE,
    -- NULL: it came onto the radar.
    from_ring   TEXT,
    to_ring     TEXT NOT NULL,
    quadrant_id BIGINT NOT NULL,
    -- Milliseconds since 1970 UTC.
    at          BIGINT NOT NULL,
    reason      TEXT NOT NULL,
    by_name     TEXT NOT NULL
);
CREATE INDEX radar_moves_entry ON radar_moves (entry_id, at);
CREATE INDEX radar_moves_at ON radar_moves (at);

CREATE TABLE radar_editions (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    at   BIGINT NOT NULL
);
CREATE INDEX radar_editions_at ON radar_editions (at);

CREATE TABLE radar_entry_events (
    entry_id BIGINT NOT NULL REFERENCES radar_entries(id) ON DELETE CASCADE,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    PRIMARY KEY (entry_id, event_id)
);
CREATE TABLE radar_entry_requests (
    entry_id   BIGINT NOT NULL REFERENCES radar_entries(id) ON DELETE CASCADE,
    request_id BIGINT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    PRIMARY KEY (entry_id, request_id)
);
CREATE TABLE radar_entry_units (
    entry_id BIGINT NOT NULL REFERENCES radar_entries(id) ON DELETE CASCADE,
    unit_id  BIGINT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    PRIMARY KEY (entry_id, unit_id)
);
