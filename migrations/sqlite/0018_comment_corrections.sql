-- A writer may correct or remove their own comment for a short while (ops::comments::EDIT_WINDOW).
-- What it said before is kept, one row per change, for the page's "earlier versions".
ALTER TABLE comments ADD COLUMN edited_at BIGINT;
ALTER TABLE comments ADD COLUMN removed_at BIGINT;
CREATE TABLE comment_versions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id BIGINT NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    at         BIGINT NOT NULL,
    body       TEXT NOT NULL
);
CREATE INDEX comment_versions_comment ON comment_versions (comment_id, id);

-- Whom each comment mentions, so "my requests" can include those where one was mentioned.
-- (Mentions written before this migration are not listed.)
CREATE TABLE comment_mentions (
    comment_id BIGINT NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    subject    TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    person_id  BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (comment_id, person_id)
);
CREATE INDEX comment_mentions_person ON comment_mentions (person_id, subject, subject_id);
