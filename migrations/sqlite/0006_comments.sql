-- Comments belong to a subject (a request today; events, touchpoints and more as areas arrive), so
-- every area shares one conversation table and one mention rule. Ids are kept: notification links
-- point at them.
CREATE TABLE comments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    subject     TEXT NOT NULL,
    subject_id  BIGINT NOT NULL,
    at          BIGINT NOT NULL,
    author_id   BIGINT REFERENCES people(id) ON DELETE SET NULL,
    author_name TEXT NOT NULL,
    author_side TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL
);
CREATE INDEX comments_subject ON comments (subject, subject_id, id);

INSERT INTO comments (id, subject, subject_id, at, author_id, author_name, author_side, body)
    SELECT id, 'request', request_id, at, author_id, author_name, author_side, body FROM request_comments;

DROP TABLE request_comments;
