-- Engagement: touchpoints between the two sides, their follow-ups, each unit's stay-in-touch
-- cadence and the people responsible for it, and the shared "contact" signal that every area
-- records (ops::contact) and the cadences read.
CREATE TABLE touchpoints (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    -- chat, lunch, drop_in, meeting, planning, strategy, demo, other
    kind            TEXT NOT NULL,
    -- Days since 1970-01-01.
    day             BIGINT NOT NULL,
    unit_id         BIGINT REFERENCES units(id) ON DELETE SET NULL,
    note            TEXT NOT NULL DEFAULT '',
    -- 1: the note is for its participants only.
    private         BIGINT NOT NULL DEFAULT 0,
    -- A touchpoint imported from a file or calendar: importing it again adds nothing.
    import_key      TEXT,
    created_by_id   BIGINT REFERENCES people(id) ON DELETE SET NULL,
    created_by_name TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    version         BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX touchpoints_unit_day ON touchpoints (unit_id, day);
CREATE INDEX touchpoints_day ON touchpoints (day);
CREATE UNIQUE INDEX touchpoints_import_key ON touchpoints (import_key) WHERE import_key IS NOT NULL;

CREATE TABLE touchpoint_people (
    touchpoint_id BIGINT NOT NULL REFERENCES touchpoints(id) ON DELETE CASCADE,
    person_id     BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (touchpoint_id, person_id)
);
CREATE INDEX touchpoint_people_person ON touchpoint_people (person_id, touchpoint_id);

CREATE TABLE follow_ups (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    touchpoint_id BIGINT NOT NULL REFERENCES touchpoints(id) ON DELETE CASCADE,
    text          TEXT NOT NULL,
    owner_id      BIGINT REFERENCES people(id) ON DELETE SET NULL,
    due_day       BIGINT NOT NULL,
    done_at       BIGINT,
    -- When its owner was reminded that it is overdue (once).
    reminded_at   BIGINT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX follow_ups_touchpoint ON follow_ups (touchpoint_id);
CREATE INDEX follow_ups_open ON follow_ups (due_day) WHERE done_at IS NULL;

-- A unit's cadence (NULL: the default from its size and open requests) and who keeps in touch.
CREATE TABLE unit_engagement (
    unit_id                 BIGINT PRIMARY KEY REFERENCES units(id) ON DELETE CASCADE,
    ideal_days              BIGINT,
    max_days                BIGINT,
    relationship_manager_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
    it_lead_id              BIGINT REFERENCES people(id) ON DELETE SET NULL,
    -- The standing its keepers were last told of (the daily watch tells each turn once).
    told_standing           TEXT,
    updated_at              BIGINT NOT NULL,
    version                 BIGINT NOT NULL DEFAULT 1
);

-- One row per pair of people (a business person and an IT person) in touch through one
-- recorded thing: who knows whom, and how recently.
CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    day         BIGINT NOT NULL,
    business_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    it_id       BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    -- touchpoint, comment or decision, and its id
    source      TEXT NOT NULL,
    source_id   BIGINT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX contacts_once ON contacts (source, source_id, business_id, it_id);
CREATE INDEX contacts_business ON contacts (business_id, day);
CREATE INDEX contacts_it ON contacts (it_id, day);

-- Contacts added up by business unit, IT team and month (0: none), kept as they are recorded,
-- so the cadences and the relationship map cost the same however many there are.
CREATE TABLE contact_months (
    unit_id   BIGINT NOT NULL,
    team_id   BIGINT NOT NULL,
    -- Months since 1970-01 (year × 12 + month − 1).
    month     BIGINT NOT NULL,
    contacts  BIGINT NOT NULL,
    last_day  BIGINT NOT NULL,
    PRIMARY KEY (unit_id, team_id, month)
);
