-- Articles can be deleted now (issue 19: takedowns, undone imports), and
-- every deleted article's `ON DELETE CASCADE` on `relations.other_id` looks
-- up the rows that name it. With only the read-also rows indexed by target
-- (0007), each of those lookups read the whole table: taking down 10,000
-- articles of a 100k archive ran at 266 articles per 37 s. One index on the
-- target of every kind serves both the cascade and "mentioned in" (which
-- asks for `kind = 'read_also'`), so it replaces the partial one.
DROP INDEX relations_to;
CREATE INDEX relations_to ON relations(other_id, kind);
