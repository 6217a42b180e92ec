-- Related articles (src/related): what is kept per article so that the
-- relations of a new article are found with a bounded number of indexed
-- lookups, never by comparing it with the whole archive, and never while a
-- page renders. The relations themselves go to `relations` (0001) as
-- `same_story` and `similar` rows; these tables are the means to find them.
--
-- Sizes measured by benches/related.rs at 100k articles (with 48 bands;
-- now 24), bytes per article with B-tree overhead: related_docs 684 (+13
-- basis index), related_bands 670 (now about half), related_postings 314,
-- related_terms 9, plus ~540 for the relation rows themselves. Keys are hashes cut to 32 or 47 bits on
-- purpose: SQLite stores an integer in 4 or 6 bytes instead of 8.

-- One row per related article.
--   cluster_id   its story cluster: the smallest article id of the
--                articles told as the same story (its own id when alone).
--                Members are found through their `same_story` relations,
--                which are kept complete within a cluster, so no index.
--   day          days since 1970-01-01 of its publication, NULL undated
--                (the mild time decay of `similar`).
--   fingerprint  hash of its title and body: when a re-import or reparse
--                leaves the text as it was, the term counts stay as they are.
--   basis        the number of articles its vector's idf was computed
--                against: once the archive has doubled since, the vector is
--                stale and a later batch recomputes it (a few per batch).
--   signature    MinHash of its word 3-shingles, 128 values of 16 bits
--                (256 bytes); the LSH band keys are derived from it, so a
--                changed article's old bands can be deleted exactly.
--   vector       its 32 strongest tf-idf terms: (47-bit term key, 16-bit
--                weight) pairs sorted by key (256 bytes).
CREATE TABLE related_docs (
    article_id  INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    cluster_id  INTEGER NOT NULL,
    day         INTEGER,
    fingerprint INTEGER NOT NULL,
    basis       INTEGER NOT NULL,
    signature   BLOB    NOT NULL,
    vector      BLOB    NOT NULL
);
-- The stalest vectors first (see `basis`).
CREATE INDEX related_docs_by_basis ON related_docs(basis);

-- LSH buckets of the signatures: 24 bands of 2 values each (src/related
-- BANDS). Two articles that agree on a whole band meet under its key; a
-- lookup reads a bounded number of the newest entries of each of its 24
-- buckets. No foreign key:
-- it would need an index on article_id; a stale entry is harmless (the
-- candidate is checked against its current signature).
CREATE TABLE related_bands (
    band_key   INTEGER NOT NULL,
    article_id INTEGER NOT NULL,
    PRIMARY KEY (band_key, article_id)
) WITHOUT ROWID;

-- Inverted index of each article's 16 strongest terms, ordered by weight
-- within a term, so a lookup reads the strongest postings of a term first
-- and stops after a fixed number ("impact-ordered"): its cost does not grow
-- with the number of articles holding the term.
CREATE TABLE related_postings (
    term_key   INTEGER NOT NULL,
    weight     INTEGER NOT NULL,          -- 16-bit fixed point, as in `vector`
    article_id INTEGER NOT NULL,
    PRIMARY KEY (term_key, weight, article_id)
) WITHOUT ROWID;

-- Document frequency of every term (a Light10 stem) for the idf weights,
-- and how it was first written, to explain a link ("shared topics: ...").
CREATE TABLE related_terms (
    term_key INTEGER PRIMARY KEY,
    df       INTEGER NOT NULL,
    display  TEXT    NOT NULL
);
