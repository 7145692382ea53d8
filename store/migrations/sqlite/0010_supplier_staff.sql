-- A supplier's staff: the owner (who registered) invites colleagues by a one-time link.

ALTER TABLE users ADD COLUMN is_owner INTEGER NOT NULL DEFAULT 0 CHECK (is_owner IN (0, 1));
UPDATE users SET is_owner = 1 WHERE role = 'supplier';

CREATE TABLE supplier_invitations (
    id                INTEGER PRIMARY KEY,
    supplier_id       INTEGER NOT NULL REFERENCES suppliers (id),
    invited_by        INTEGER NOT NULL REFERENCES users (id),
    display_name      TEXT NOT NULL,
    -- SHA-256 of the link's token
    token_hash        TEXT NOT NULL UNIQUE,
    created_at        INTEGER NOT NULL,
    expires_at        INTEGER NOT NULL,
    accepted_user_id  INTEGER REFERENCES users (id)
);
CREATE INDEX supplier_invitations_supplier ON supplier_invitations (supplier_id);
