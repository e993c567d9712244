-- PostgreSQL drops the foreign key from measurements to KPIs here (its row-by-row check was half
-- of a large import). SQLite checks it cheaply, so it keeps it. Kept so both databases count the
-- same migrations.
SELECT 1;
