-- Searches find the forms of a word ("report" finds "reporting", "stores" finds "store"): both
-- full-text indexes stem with the Porter stemmer, as PostgreSQL's 'english' configuration does.
-- The triggers of migrations 0003 and 0004 keep writing to them by name.
DROP TABLE requests_fts;
CREATE VIRTUAL TABLE requests_fts USING fts5(title, problem, search_tags, content='requests', content_rowid='id',
    tokenize='porter unicode61');
INSERT INTO requests_fts (requests_fts) VALUES ('rebuild');
DROP TABLE requests_open_fts;
CREATE VIRTUAL TABLE requests_open_fts USING fts5(title, problem, content='', tokenize='porter unicode61');
INSERT INTO requests_open_fts (rowid, title, problem)
    SELECT id, title, problem FROM requests WHERE status IN ('submitted', 'in_assessment', 'approved', 'deferred');
