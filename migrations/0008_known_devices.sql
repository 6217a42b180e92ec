-- Browsers that signed in before ("device cookies", as OWASP describes
-- them). A sign-in attempt that carries one is throttled on a budget of
-- its own instead of the account's shared one, so a flood of wrong
-- passwords from elsewhere slows strangers but never keeps the
-- administrator's own browser out. Only the cookie's sha256 is stored; a
-- new password forgets every device.

CREATE TABLE known_devices (
    token_hash BLOB PRIMARY KEY,   -- sha256 of the cookie value
    account    TEXT NOT NULL,      -- the account signed in to ('admin' for now)
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) WITHOUT ROWID;
