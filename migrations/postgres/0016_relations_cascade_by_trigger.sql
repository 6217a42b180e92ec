-- As SQLite's 0016: `relations` without its two foreign keys (a lookup
-- into `articles` for each end of every new link), the cascade kept as a
-- trigger. One trigger per statement, over the deleted rows at once.
ALTER TABLE relations
    DROP CONSTRAINT relations_article_id_fkey,
    DROP CONSTRAINT relations_other_id_fkey;

CREATE FUNCTION relations_follow_articles() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM relations WHERE article_id IN (SELECT id FROM gone);
    DELETE FROM relations WHERE other_id IN (SELECT id FROM gone);
    RETURN NULL;
END
$$;

CREATE TRIGGER relations_follow_articles AFTER DELETE ON articles
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION relations_follow_articles();
