-- Supplier API tokens for ERP sync: only a SHA-256 of the token is stored.

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    supplier_id   INTEGER NOT NULL REFERENCES suppliers (id),
    user_id       INTEGER NOT NULL REFERENCES users (id),
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    -- the first characters, to tell tokens apart in lists
    prefix        TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER,
    revoked_at    INTEGER
);
CREATE INDEX api_tokens_supplier ON api_tokens (supplier_id);
