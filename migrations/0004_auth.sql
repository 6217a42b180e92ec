-- Signing in: the administrator's sessions and the API tokens of scripts.
-- The admin password hash (argon2id) lives in `settings('admin_password')`.
-- Only hashes of session and API tokens are stored: a copy of the database
-- does not let anyone sign in.

CREATE TABLE sessions (
    token_hash BLOB    PRIMARY KEY,   -- sha256 of the cookie value
    csrf       TEXT    NOT NULL,      -- the session's form token
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL
) WITHOUT ROWID;

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    token_hash BLOB    NOT NULL UNIQUE,
    created_at TEXT    NOT NULL,
    last_used  TEXT,
    revoked_at TEXT
);
