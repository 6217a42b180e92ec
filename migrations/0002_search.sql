-- Full-text search (shared/docs/arabic-text.md §c): one contentless FTS5
-- table whose rowid is `articles.id`, over four shadow columns computed in
-- Rust by the Arabic analyzer (src/arabic), never by SQL:
--   title_norm, body_norm  normalized surface tokens (exact words, phrases)
--   title_stem, body_stem  their Light10 stems, same count and order
--
-- Why contentless: the shadow text is only ever matched, never shown
-- (snippets and highlights are built in Rust from the original article),
-- so storing it again would double the text on disk for nothing.
-- `contentless_delete=1` (SQLite >= 3.43, bundled) lets a rewritten
-- article's row be deleted by rowid and inserted again.
-- `ascii`: the shadow text is already folded, lowercased and space-joined
-- analyzer tokens (letters and digits only), so the tokenizer only has to
-- split on the spaces. `ascii` treats every non-ASCII character as part of
-- a token and splits on ASCII spaces and punctuation: exactly the
-- analyzer's tokens, with none of unicode61's per-character category
-- lookups (measured here: a 20k-page import went from 9.2 s to 7.9 s) and
-- none of its Unicode 6.1 gaps. Quoted query terms go through the same
-- tokenizer, so both sides agree.
-- No `prefix=` option: search uses whole words and stems only.
CREATE VIRTUAL TABLE article_fts USING fts5(
    title_norm, body_norm, title_stem, body_stem,
    content='', contentless_delete=1,
    tokenize='ascii'
);

-- Ranking: bm25 with title above body and exact words above stems (§c).
-- Stored as the table's default `rank`, so queries can `ORDER BY rank`,
-- which FTS5 sorts internally (field notes: 4.4x faster than ORDER BY
-- bm25(...) once joined columns are selected).
INSERT INTO article_fts (article_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0, 5.0, 0.5)');

-- Per-column document counts straight from the index: "did you mean"
-- suggestions look up real words on the *_norm columns, and the benchmark
-- finds the archive's most frequent word.
CREATE VIRTUAL TABLE article_fts_vocab USING fts5vocab(article_fts, 'col');

-- What search reads of an article for every match (filters, facets, the date
-- tie-break), apart from its text: looked up by id through this covering index,
-- a match costs a few index pages instead of the article row, whose source and
-- date sit after a body that often spills onto overflow pages.
CREATE INDEX articles_search ON articles(id, source_id, sort_key);

-- The migration cannot run the analyzer, so existing articles are not
-- indexed yet: with no analyzer version recorded, the startup check
-- (search::reindex::ensure_index) rebuilds the whole index.
DELETE FROM settings WHERE key = 'analyzer_version';
