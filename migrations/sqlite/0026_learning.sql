-- Learning: events (brown bags, hackathons, showcases, tours, trainings, workshops) with
-- registration, a waiting list, attendance, materials and feedback; each person's calendar feed
-- and time zone.

CREATE TABLE events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The first session's id when it is one of a series (the first too); NULL: on its own.
    series_id        BIGINT,
    kind             TEXT NOT NULL,
    title            TEXT NOT NULL,
    description      TEXT NOT NULL,
    -- business, it or everyone
    audience         TEXT NOT NULL,
    -- Milliseconds since 1970 UTC; time_zone is the zone it was set in (IANA name).
    starts_at        BIGINT NOT NULL,
    ends_at          BIGINT NOT NULL,
    time_zone        TEXT NOT NULL,
    place            TEXT NOT NULL,
    link             TEXT NOT NULL,
    host_id          BIGINT NOT NULL REFERENCES people(id),
    -- NULL: no limit.
    capacity         BIGINT,
    -- Kept as registrations change (in their transaction): places taken, people waiting,
    -- people who came. A registration takes a place by raising `registered` below `capacity`.
    registered       BIGINT NOT NULL DEFAULT 0,
    waiting          BIGINT NOT NULL DEFAULT 0,
    attended         BIGINT NOT NULL DEFAULT 0,
    -- JSON: [{"title", "url"}]
    materials        TEXT NOT NULL DEFAULT '[]',
    recording_url    TEXT NOT NULL DEFAULT '',
    cancelled_at     BIGINT,
    -- When the feedback requests went out (ms).
    feedback_asked_at BIGINT,
    created_by_name  TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX events_starts ON events (starts_at, id);
CREATE INDEX events_series ON events (series_id, starts_at);
CREATE INDEX events_host ON events (host_id, starts_at);

CREATE TABLE event_speakers (
    event_id  BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, person_id)
);
CREATE INDEX event_speakers_person ON event_speakers (person_id, event_id);

CREATE TABLE registrations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id      BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    person_id     BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    -- registered, waiting or cancelled
    state         TEXT NOT NULL,
    -- When they asked (ms): the waiting list's order.
    asked_at      BIGINT NOT NULL,
    attended      BIGINT NOT NULL DEFAULT 0,
    checked_in_at BIGINT,
    -- When its day-before reminder went out (each registration's own: one made later is reminded too).
    reminded_at   BIGINT,
    updated_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX registrations_event_person ON registrations (event_id, person_id);
CREATE INDEX registrations_event_state ON registrations (event_id, state, asked_at);
CREATE INDEX registrations_person ON registrations (person_id, state, event_id);

CREATE TABLE event_feedback (
    event_id   BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    person_id  BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    -- 1 (poor) to 5 (excellent)
    rating     BIGINT NOT NULL,
    comment    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (event_id, person_id)
);

-- A person's calendar feed: its address holds a code signed with the server's secret for the
-- person and this generation (none here: generation 0); a reset raises it, and the old address
-- stops working.
CREATE TABLE calendar_feeds (
    person_id  BIGINT PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    generation BIGINT NOT NULL,
    reset_at   BIGINT NOT NULL
);

-- The zone a person reads times in (IANA name); NULL: each event's own.
ALTER TABLE accounts ADD COLUMN time_zone TEXT;
