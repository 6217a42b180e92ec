-- Taking articles out of the archive (issue 19): takedowns and undone imports.
--
-- A removed article's row is deleted, with everything hanging off it
-- (tags, relations, provenance, sketches), so it leaves every list, count,
-- feed and search result at once. A takedown leaves a tombstone here: its
-- permalink answers 410 Gone with when and why, and an import that meets
-- its identity again skips it ("removed earlier"). An article removed by
-- undoing its import leaves none (it answers 404: it was never meant to be
-- there). The tombstone keeps no text, only what the 410 page says.
CREATE TABLE removed_articles (
    permalink      TEXT    PRIMARY KEY,
    identity       BLOB    NOT NULL UNIQUE,
    removed_at     TEXT    NOT NULL,             -- RFC 3339, UTC
    reason         TEXT    NOT NULL,
    created_import INTEGER NOT NULL,              -- restored under it again
    kept_original  INTEGER NOT NULL               -- 1: its files were kept (restore works)
) WITHOUT ROWID;

-- Where a kept original held the removed article (the provenance its row
-- had), so `restore-article` reads exactly those files again.
CREATE TABLE removed_article_files (
    permalink TEXT    NOT NULL REFERENCES removed_articles(permalink) ON DELETE CASCADE,
    file_id   INTEGER NOT NULL REFERENCES files(id),
    position  INTEGER NOT NULL,
    PRIMARY KEY (permalink, file_id, position)
) WITHOUT ROWID;
CREATE INDEX removed_article_files_by_file ON removed_article_files(file_id);

-- What undoing an import did (JSON: removed, kept and why), shown on its page.
ALTER TABLE imports ADD COLUMN undo_report TEXT;

-- Undoing an import finds its files by import.
CREATE INDEX files_by_import ON files(import_id);
