-- Typo-tolerant search (store::search): every word written in a request or a glossary name, so a
-- search that finds nothing can be retried with the nearest known words. The writes keep it
-- filled from here on; this fills it from what is there, through a throwaway full-text index
-- whose vocabulary lists the distinct words.
CREATE TABLE search_words (word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE VIRTUAL TABLE search_words_fill USING fts5(body, tokenize = 'unicode61 remove_diacritics 0');
INSERT INTO search_words_fill (body) SELECT title || ' ' || problem FROM requests;
INSERT INTO search_words_fill (body) SELECT name_key FROM glossary_names;
CREATE VIRTUAL TABLE search_words_fill_vocab USING fts5vocab(search_words_fill, 'row');
INSERT INTO search_words (word)
    SELECT term FROM search_words_fill_vocab
    WHERE length(term) BETWEEN 3 AND 40 AND term NOT GLOB '*[0-9]*';
DROP TABLE search_words_fill_vocab;
DROP TABLE search_words_fill;
