-- Language: the shared glossary, its names (term and aliases, unique across the glossary),
-- and the unknown jargon the checker has flagged.

CREATE TABLE glossary_terms (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    term        TEXT NOT NULL,
    side        TEXT NOT NULL CHECK (side IN ('business', 'it')),
    definition  TEXT NOT NULL,
    example     TEXT NOT NULL DEFAULT '',
    related     TEXT NOT NULL DEFAULT '[]',
    aliases     TEXT NOT NULL DEFAULT '[]',
    owner       TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL CHECK (status IN ('proposed', 'approved')),
    lookups     BIGINT NOT NULL DEFAULT 0,
    created_by  BIGINT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX glossary_terms_term ON glossary_terms (term);

-- Every name a term is known by, lower-cased: the unique key makes a clash a conflict.
CREATE TABLE glossary_names (
    name_key TEXT PRIMARY KEY,
    term_id  BIGINT NOT NULL REFERENCES glossary_terms(id) ON DELETE CASCADE
);
CREATE INDEX glossary_names_term ON glossary_names (term_id);

CREATE TABLE glossary_unknown (
    word       TEXT PRIMARY KEY,
    flagged    BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL
);
