-- SQLite's open-queue full-text index (0004 there). PostgreSQL searches the open queue with the
-- tsvector index of 0003, so it needs nothing here; this file keeps both trees on the same numbers.
SELECT 1;
