-- The search index moves out of SQLite into a tantivy index beside the
-- database (src/search/index). The database stays the one source of truth:
-- the index is derived from it and can always be rebuilt (`arshif reindex`).
--
-- `search_log` keeps the index crash-consistent with the articles: every
-- transaction that stores, rewrites or re-tags an article appends its id
-- here, in the same transaction. An index commit records the last `seq` it
-- applied; on start, and every second in a running server, the index
-- applies what came after (a crash between the database commit and the
-- index commit leaves rows that the next catch-up applies; applying one
-- twice is harmless, an article is replaced whole). The same log lets
-- several processes (an `arshif import` beside `serve`, later several
-- nodes on one PostgreSQL) keep their indexes in step.
-- AUTOINCREMENT: a sequence number is never handed out twice, even after
-- old rows are deleted.
CREATE TABLE search_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL
);

-- Which database an index was built from: an index found beside a database
-- restored from a backup, or copied in, carries another value and is rebuilt.
INSERT INTO settings (key, value) VALUES ('search_epoch', lower(hex(randomblob(8))))
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;

-- The FTS5 index of migration 0002 and its bookkeeping are replaced.
DROP TABLE article_fts_vocab;
DROP TABLE article_fts;
DELETE FROM settings WHERE key IN ('analyzer_version', 'search_tidied_at');
