-- As SQLite's 0014: articles can be deleted (issue 19), and the delete
-- cascade into `relations.other_id` needs an index on the target of every
-- kind (PostgreSQL does not index foreign keys by itself either).
DROP INDEX relations_to;
CREATE INDEX relations_to ON relations(other_id, kind);
