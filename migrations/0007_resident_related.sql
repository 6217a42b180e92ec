-- The relating engine keeps its LSH buckets, postings and the `similar`
-- lists in memory (src/related/resident.rs), derived from `related_docs`,
-- `article_tags` and `relations`. As tables and index entries they were
-- spread over the whole key space, so every import batch of a large
-- archive rewrote nearly all their pages (measured at 200k articles: about
-- 180 MB of WAL per 2,048 articles).
DROP TABLE related_bands;
DROP TABLE related_postings;

-- Only read-also links are looked up by their target ("mentioned in");
-- `same_story` links are kept both ways and `similar` holders are known
-- in memory. Articles are never deleted, so the foreign key's cascade
-- does not need the other kinds indexed either.
DROP INDEX relations_to;
CREATE INDEX relations_to ON relations(other_id) WHERE kind = 'read_also';
