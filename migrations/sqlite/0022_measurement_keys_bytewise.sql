-- PostgreSQL compares measurements' sender keys byte by byte from here on; SQLite always has
-- (its BINARY collation), so nothing changes here. Kept so both databases count the same
-- migrations.
SELECT 1;
