-- IT's principles explained: each with why it matters to the business and an example; who
-- marked one understood; questions the business asks and IT answers.

CREATE TABLE principles (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    title          TEXT NOT NULL,
    -- governance, security, compliance, standards or architecture
    kind           TEXT NOT NULL,
    statement      TEXT NOT NULL,
    why_it_matters TEXT NOT NULL,
    example        TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    version        BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE principle_understood (
    principle_id BIGINT NOT NULL REFERENCES principles(id) ON DELETE CASCADE,
    person_id    BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    at           BIGINT NOT NULL,
    PRIMARY KEY (principle_id, person_id)
);
CREATE INDEX principle_understood_person ON principle_understood (person_id);

CREATE TABLE principle_questions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    principle_id     BIGINT NOT NULL REFERENCES principles(id) ON DELETE CASCADE,
    person_id        BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    question         TEXT NOT NULL,
    asked_at         BIGINT NOT NULL,
    answer           TEXT,
    answered_by_name TEXT,
    answered_at      BIGINT
);
CREATE INDEX principle_questions_principle ON principle_questions (principle_id, asked_at);
