-- `relations` without foreign keys: a deleted article's links go through
-- a trigger instead of `ON DELETE CASCADE`.
--
-- At a million articles each new link's two `REFERENCES articles` were
-- lookups into random leaves of the multi-gigabyte `articles` table:
-- measured on the late part of a 1M import (README, "Import at 1,000,000
-- pages"), the batches spent 10% less time without them. What the keys
-- guarded holds by construction: every writer of `relations` links ids it
-- has read from `articles` in the same write transaction, ids are never
-- handed out twice (src/store/removal.rs), and the tests check every
-- archive they end with for links to a missing article (tests/live.rs,
-- `assert_sound`).
--
-- SQLite cannot drop a table's foreign key, so the table is rebuilt, in
-- key order (21 s for the 15.8 million links of the 1M benchmark archive).
CREATE TABLE relations_rebuilt (
    article_id INTEGER NOT NULL,
    other_id   INTEGER NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('read_also', 'same_story', 'similar')),
    score      REAL    NOT NULL DEFAULT 1.0,       -- read_also: its position; others: similarity
    reason     TEXT,                               -- similar: the shared names (0006)
    PRIMARY KEY (article_id, kind, other_id),
    CHECK (article_id <> other_id)
) WITHOUT ROWID;
INSERT INTO relations_rebuilt (article_id, other_id, kind, score, reason)
    SELECT article_id, other_id, kind, score, reason FROM relations
    ORDER BY article_id, kind, other_id;
DROP TABLE relations;
ALTER TABLE relations_rebuilt RENAME TO relations;
CREATE INDEX relations_to ON relations(other_id, kind);

-- The cascade the keys did: both ends, each through its own index (the
-- primary key leads with `article_id`, `relations_to` with `other_id`).
CREATE TRIGGER relations_follow_articles AFTER DELETE ON articles BEGIN
    DELETE FROM relations WHERE article_id = old.id;
    DELETE FROM relations WHERE other_id = old.id;
END;
