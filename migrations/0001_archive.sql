-- The archive's core: what was imported (imports, files), what it said
-- (articles, sources, tags) and how articles point at each other (relations).
--
-- Ids: `articles.id` is internal (row order, FTS rowid); the public id is
-- `permalink`, derived from the article's identity so that rebuilding the
-- archive from the same dumps, in any order, gives the same URLs.

-- Key/value facts about the database itself (analyzer version, admin password hash, ...).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per import run; `report` holds the JSON report once it finished.
CREATE TABLE imports (
    id            INTEGER PRIMARY KEY,
    origin        TEXT    NOT NULL,                -- cli | upload | api | reparse
    status        TEXT    NOT NULL,                -- queued | running | done | failed | interrupted
    created_at    TEXT    NOT NULL,
    finished_at   TEXT,
    files_total   INTEGER,                          -- known after the counting pass
    files_done    INTEGER NOT NULL DEFAULT 0,
    articles_done INTEGER NOT NULL DEFAULT 0,
    report        TEXT
);

-- Sources and tags are keyed by their normalized name, so spelling variants
-- (أوكرانيا / اوكرانيا) are one tag; `name` is the first spelling met.
CREATE TABLE sources (
    id            INTEGER PRIMARY KEY,
    key           TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    article_count INTEGER NOT NULL DEFAULT 0        -- maintained by the importer
);

CREATE TABLE tags (
    id            INTEGER PRIMARY KEY,
    key           TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    article_count INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    permalink     TEXT    NOT NULL UNIQUE,
    -- sha256 of the identity text (normalized title + start of body); the
    -- permalink is derived from it when the article is first stored and
    -- never changes afterwards, even if a better parser changes the identity.
    identity      BLOB    NOT NULL UNIQUE,
    slug          TEXT    NOT NULL,
    title         TEXT    NOT NULL,
    body          TEXT    NOT NULL,                 -- paragraphs, one per line, as written
    published     TEXT,                             -- RFC 3339 as the dump gives it
    published_raw TEXT,
    -- Chronological sort key of `published`; '' when undated, so that a plain
    -- descending index lists dated articles first and undated ones last.
    sort_key      TEXT    NOT NULL DEFAULT '',
    source_id     INTEGER REFERENCES sources(id),
    url           TEXT,
    embedded      INTEGER NOT NULL,                 -- 1 while only known as a read-also item
    created_import INTEGER NOT NULL REFERENCES imports(id),
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);
CREATE INDEX articles_by_date   ON articles(sort_key DESC, id DESC);
CREATE INDEX articles_by_source ON articles(source_id, sort_key DESC, id DESC);

-- Further sources that published the same article ("also published by").
CREATE TABLE article_sources (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    source_id  INTEGER NOT NULL REFERENCES sources(id),
    PRIMARY KEY (article_id, source_id)
) WITHOUT ROWID;
CREATE INDEX article_sources_by_source ON article_sources(source_id);

-- `sort_key` is copied from the article so a tag page is one index range
-- scan in date order (kept in step by the store when a date is added).
CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags(id),
    position   INTEGER NOT NULL,
    sort_key   TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX article_tags_by_tag ON article_tags(tag_id, sort_key DESC, article_id DESC);

CREATE TABLE relations (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    other_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('read_also', 'same_story', 'similar')),
    score      REAL    NOT NULL DEFAULT 1.0,       -- read_also: its position; others: similarity
    PRIMARY KEY (article_id, kind, other_id),
    CHECK (article_id <> other_id)
) WITHOUT ROWID;
CREATE INDEX relations_to ON relations(other_id, kind);

-- Every imported file's original bytes (zstd), so a better parser can
-- re-read the archive. An archive member is one row (`x.zip!/a/b.txt`), a
-- JSONL line is one row (`x.jsonl:3`). The hash makes re-import a no-op.
CREATE TABLE files (
    id        INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES imports(id),
    name      TEXT    NOT NULL,
    kind      TEXT    NOT NULL CHECK (kind IN ('page', 'jsonl')),
    size      INTEGER NOT NULL,
    sha256    BLOB    NOT NULL UNIQUE,
    content   BLOB    NOT NULL
);

-- Provenance: which files brought an article, and in which role (the page
-- itself, or its n-th read-also item) so reparse can find it again.
CREATE TABLE article_files (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    file_id    INTEGER NOT NULL REFERENCES files(id),
    position   INTEGER NOT NULL,                  -- 0: the page; n: its n-th read-also item
    PRIMARY KEY (file_id, position, article_id)
) WITHOUT ROWID;
CREATE INDEX article_files_by_article ON article_files(article_id, file_id);
