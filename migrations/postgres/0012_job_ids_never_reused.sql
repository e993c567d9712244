-- On SQLite this migration makes job ids never reused; PostgreSQL's sequence already never reuses
-- them, so here there is nothing to do (the file keeps both databases' migration numbers in step).
SELECT 1;
