-- On SQLite this migration makes searches stem words; PostgreSQL's 'english' configuration already
-- does (the file keeps both databases' migration numbers in step).
SELECT 1;
