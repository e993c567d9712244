-- Engagement, the rest: IT's seat at the planning table, embedded technologists, office hours,
-- and contacts kept by the unit they were with (for the median days between a unit's contacts).

-- 0: a planning or strategy session the business held without IT (only these may have
-- business people alone).
ALTER TABLE touchpoints ADD COLUMN it_present BIGINT NOT NULL DEFAULT 1;
-- A unit's touchpoints by day, with what its figures count, read from the index alone.
DROP INDEX touchpoints_unit_day;
CREATE INDEX touchpoints_unit_day ON touchpoints (unit_id, day, kind, it_present);

-- The unit the contact was with (0: none), as the monthly sums keep it.
ALTER TABLE contacts ADD COLUMN unit_id BIGINT NOT NULL DEFAULT 0;
UPDATE contacts SET unit_id = COALESCE((SELECT p.unit_id FROM people p WHERE p.id = contacts.business_id), 0);

-- The days each unit was in touch with IT, kept as contacts are recorded: the median days
-- between contacts reads at most a row a day.
CREATE TABLE contact_days (
    unit_id BIGINT NOT NULL,
    day     BIGINT NOT NULL,
    PRIMARY KEY (unit_id, day)
);
INSERT INTO contact_days (unit_id, day) SELECT DISTINCT unit_id, day FROM contacts;

-- The monthly sums read by unit (a unit's recent contacts) and by month (the map), each from
-- its index alone.
CREATE INDEX contact_months_unit ON contact_months (unit_id, month, team_id, contacts, last_day);
CREATE INDEX contact_months_month ON contact_months (month, unit_id, team_id, contacts, last_day);

-- A follow-up's unit (its touchpoint's), for the share done on time per unit.
ALTER TABLE follow_ups ADD COLUMN unit_id BIGINT;
UPDATE follow_ups SET unit_id = (SELECT t.unit_id FROM touchpoints t WHERE t.id = follow_ups.touchpoint_id);
CREATE INDEX follow_ups_unit_due ON follow_ups (unit_id, due_day);

-- Someone from IT sitting with a business unit for a while: an embedding or a rotation.
CREATE TABLE embeddings (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id       BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    unit_id         BIGINT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    -- embedded or rotation
    kind            TEXT NOT NULL,
    -- Days since 1970; until_day NULL: no end set.
    from_day        BIGINT NOT NULL,
    until_day       BIGINT,
    purpose         TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    version         BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX embeddings_unit ON embeddings (unit_id, from_day);
CREATE INDEX embeddings_person ON embeddings (person_id, from_day);

-- Open-door hours an IT leader or relationship manager keeps every week, in slots to book.
CREATE TABLE office_hours (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    host_id       BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    -- 0 Monday … 6 Sunday
    weekday       BIGINT NOT NULL,
    -- Minutes after midnight, in the organisation's local time.
    start_minute  BIGINT NOT NULL,
    end_minute    BIGINT NOT NULL,
    slot_minutes  BIGINT NOT NULL,
    -- A room, or a link to a call.
    place         TEXT NOT NULL,
    from_day      BIGINT NOT NULL,
    until_day     BIGINT,
    -- Set: no longer offered (bookings already made stay).
    ended_at      BIGINT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX office_hours_host ON office_hours (host_id);

CREATE TABLE office_hour_bookings (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    office_hours_id BIGINT NOT NULL REFERENCES office_hours(id) ON DELETE CASCADE,
    day             BIGINT NOT NULL,
    start_minute    BIGINT NOT NULL,
    booker_id       BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    topic           TEXT NOT NULL DEFAULT '',
    cancelled_at    BIGINT,
    -- The touchpoint the held slot became.
    touchpoint_id   BIGINT REFERENCES touchpoints(id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL
);
-- A slot is booked once (a cancelled booking frees it).
CREATE UNIQUE INDEX office_hour_bookings_slot ON office_hour_bookings (office_hours_id, day, start_minute)
    WHERE cancelled_at IS NULL;
CREATE INDEX office_hour_bookings_day ON office_hour_bookings (day) WHERE cancelled_at IS NULL AND touchpoint_id IS NULL;
CREATE INDEX office_hour_bookings_booker ON office_hour_bookings (booker_id, day);
