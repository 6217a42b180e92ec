-- Who changed the archive by hand, and how: takedowns, restores, undone
-- imports, account changes. Rows are only ever added; an admin page lists
-- them newest first. `actor` is the account name for changes made on the
-- web ('admin' until accounts exist) and 'cli' for the command line.

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,      -- RFC 3339, UTC
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,      -- e.g. 'article.remove', 'import.undo', 'user.add'
    subject TEXT NOT NULL,      -- what it was done to: an article id, an import id, a user name
    detail  TEXT NOT NULL DEFAULT ''  -- free text: the reason given, what was kept
);

CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
