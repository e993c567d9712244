-- People are archived, never deleted: their requests, comments and history keep pointing at them.
-- An archived person is hidden from the directory and cannot sign in; an admin can restore them.
ALTER TABLE people ADD COLUMN archived_at BIGINT;
