-- Typo-tolerant search (store::search): every word written in a request or a glossary name, so a
-- search that finds nothing can be retried with the nearest known words. The writes keep it
-- filled from here on; this fills it from what is there. Byte order ("C"), so a prefix is a
-- range of the index, as on SQLite.
CREATE TABLE search_words (word TEXT COLLATE "C" PRIMARY KEY);
INSERT INTO search_words (word)
    SELECT DISTINCT w FROM (
        SELECT regexp_split_to_table(lower(title || ' ' || problem), '[^[:alpha:]]+') AS w FROM requests
        UNION ALL
        SELECT regexp_split_to_table(name_key, '[^[:alpha:]]+') FROM glossary_names
    ) words
    WHERE length(w) BETWEEN 3 AND 40;

-- Searches read a stored tsvector instead of computing one per matching row: the GIN index's
-- recheck and the ranking took most of a broad search's time (about 100 ms for 10,000 matches).
ALTER TABLE requests ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('english', title || ' ' || problem)) STORED;
CREATE INDEX requests_search ON requests USING GIN (search);
DROP INDEX requests_fts;
