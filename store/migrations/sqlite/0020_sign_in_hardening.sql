-- Throttles shared by every node: one row per key (an account, a trusted device, a client
-- address, with the kind of attempt in the key) holding its attempts and when the last one
-- began. An attempt is counted before it is checked, by a compare-and-swap on the row, so
-- concurrent attempts cannot slip past the limit (auth/throttle.rs).
CREATE TABLE throttles (
    key         TEXT PRIMARY KEY,
    attempts    INTEGER NOT NULL CHECK (attempts >= 0),
    last_at     INTEGER NOT NULL
);
CREATE INDEX throttles_last ON throttles (last_at);

-- Browsers a person has signed in from (a long-lived cookie; only its SHA-256 is kept).
-- Wrong passwords from such a browser count against that browser, so a stranger's guesses
-- at an account never keep its owner out.
CREATE TABLE trusted_devices (
    token_hash    TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER NOT NULL
);
CREATE INDEX trusted_devices_user ON trusted_devices (user_id);

-- What a person sees of their own sessions to tell them apart and end the others.
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN client_addr TEXT NOT NULL DEFAULT '';
