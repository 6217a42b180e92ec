-- The LSH buckets and impact-ordered postings of 0005 are kept in memory
-- by the relating engine (src/related/resident.rs), derived from the
-- signatures and vectors of `related_docs`: as tables, every batch of a
-- large archive rewrote nearly all their pages (measured at 200k articles:
-- 30,000 of 32,500 pages, about 120 MB of WAL per 2,048 articles).
DROP TABLE related_bands;
DROP TABLE related_postings;
