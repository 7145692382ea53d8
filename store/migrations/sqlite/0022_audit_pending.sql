-- Entries waiting for their place in the audit chain. A change writes its entries here, in
-- its own transaction, with one INSERT; the sealer (store::audit::seal) then takes the
-- `audit_head` row, numbers the waiting entries in the order they were written (`id`),
-- chains them into `audit_log` and deletes them from here, in one transaction. On
-- PostgreSQL this keeps appenders from waiting on one another's commits; SQLite shares the
-- design so that both run the same code.
CREATE TABLE audit_pending (
    id             INTEGER PRIMARY KEY,
    at             INTEGER NOT NULL,
    actor_id       INTEGER,
    actor_name     TEXT NOT NULL,
    object_kind    TEXT NOT NULL,
    object_id      INTEGER NOT NULL,
    action         TEXT NOT NULL,
    related_kind   TEXT,
    related_id     INTEGER,
    amount_fen     INTEGER,
    before_sha256  TEXT,
    after_sha256   TEXT
);

-- A waiting entry is never changed: it is sealed as written, or not at all.
CREATE TRIGGER audit_pending_no_update BEFORE UPDATE ON audit_pending
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
