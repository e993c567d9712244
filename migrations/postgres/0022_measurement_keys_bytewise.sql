-- A sender's key is an identifier, not words: compare it byte by byte ("C"), as SQLite already
-- does. Under the database's language collation every key written into the unique index was
-- compared with strcoll, which made bulk imports of keyed rows slow.
ALTER TABLE kpi_measurements ALTER COLUMN sender_key TYPE TEXT COLLATE "C";
