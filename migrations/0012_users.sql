-- Accounts: a name, an argon2id password hash and a role. The single
-- administrator of before becomes the user `admin` (with the password
-- that was in `settings('admin_password')`, or none yet: `serve` then
-- generates one as it did). Sessions and API tokens now belong to a user
-- and act with its role as it is at each request, so a changed role or a
-- removed user takes effect at once. Existing sessions and tokens were
-- the administrator's.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    password_hash TEXT,                 -- argon2id PHC string; NULL: cannot sign in yet
    role          TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'reader')),
    -- The secret in this user's feed URLs (`?token=`) on a private archive.
    -- Kept as it is, not hashed: the page shows it again, and it only
    -- reads what the database that holds it already holds. NULL: none yet.
    feed_token    TEXT UNIQUE,
    created_at    TEXT NOT NULL
);

INSERT INTO users (name, password_hash, role, created_at)
VALUES ('admin',
        (SELECT value FROM settings WHERE key = 'admin_password'),
        'admin',
        strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

DELETE FROM settings WHERE key = 'admin_password';

ALTER TABLE sessions ADD COLUMN user_id INTEGER REFERENCES users (id) ON DELETE CASCADE;
ALTER TABLE api_tokens ADD COLUMN user_id INTEGER REFERENCES users (id) ON DELETE CASCADE;
UPDATE sessions SET user_id = (SELECT id FROM users WHERE name = 'admin');
UPDATE api_tokens SET user_id = (SELECT id FROM users WHERE name = 'admin');

-- Who started an import (a user name; NULL for the command line and for
-- imports from before accounts), so an editor can undo their own.
ALTER TABLE imports ADD COLUMN started_by TEXT;
