-- Entries waiting for their place in the audit chain. A change writes its entries here, in
-- its own transaction, with one INSERT and no lock; the sealer (store::audit::seal) then
-- takes the `audit_head` row, numbers the waiting entries in the order they were written
-- (`id`), chains them into `audit_log` and deletes them from here, in one transaction.
-- Appenders therefore never wait for one another's commits, and `audit_log` keeps its
-- numbers 1, 2, 3… with no gaps.
CREATE TABLE audit_pending (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             BIGINT NOT NULL,
    actor_id       BIGINT,
    actor_name     TEXT NOT NULL,
    object_kind    TEXT NOT NULL,
    object_id      BIGINT NOT NULL,
    action         TEXT NOT NULL,
    related_kind   TEXT,
    related_id     BIGINT,
    amount_fen     BIGINT,
    before_sha256  TEXT,
    after_sha256   TEXT
);

-- A waiting entry is never changed: it is sealed as written, or not at all.
CREATE TRIGGER audit_pending_no_change BEFORE UPDATE ON audit_pending
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
