-- Articles per publication day, kept by the importer, so the date archive
-- (/archive, years, months, days) reads a few hundred rows instead of
-- counting the whole articles table on every visit.
CREATE TABLE day_counts (
    day           TEXT    PRIMARY KEY,              -- YYYY-MM-DD
    article_count INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO day_counts (day, article_count)
SELECT substr(sort_key, 1, 10), COUNT(*) FROM articles WHERE sort_key <> '' GROUP BY 1;
