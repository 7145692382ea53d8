-- 审计日志: the tamper-evident audit log (domain::audit, store::audit). One row per change
-- of money, orders, contracts, joint purchases, admissions, credit entries and settings,
-- appended in the transaction of the change itself. Each row's hash is
-- SHA-256(previous row's hash ‖ canonical JSON of the row's other columns), so altering,
-- deleting or moving a row breaks the chain from that row on (`emall audit verify`).
--
-- Rows are numbered 1, 2, 3… in commit order with no gaps: an append first updates the one
-- `audit_head` row (the last entry's number and hash) and keeps its row lock until commit,
-- so appenders on every node take their turns there; a rolled-back append gives its number
-- back. An append is the last write of its transaction, so the lock is held only for the
-- commit and never while waiting for another lock.
CREATE TABLE audit_log (
    seq            BIGINT PRIMARY KEY,
    at             BIGINT NOT NULL,
    -- No foreign keys: the log outlives and must not constrain the rows it names.
    actor_id       BIGINT,
    actor_name     TEXT NOT NULL,
    object_kind    TEXT NOT NULL,
    object_id      BIGINT NOT NULL,
    action         TEXT NOT NULL,
    related_kind   TEXT,
    related_id     BIGINT,
    amount_fen     BIGINT,
    before_sha256  TEXT,
    after_sha256   TEXT,
    hash           TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object_kind, object_id, seq);
CREATE INDEX audit_log_related ON audit_log (related_kind, related_id, seq)
    WHERE related_kind IS NOT NULL;

-- Append-only: the database refuses to change, delete or truncate entries. Whoever can
-- drop these triggers can still alter the table; the chain is what shows it.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- The chain's head: the last entry's number and hash (0 and 32 zero bytes before the first).
CREATE TABLE audit_head (
    id    BIGINT PRIMARY KEY CHECK (id = 1),
    seq   BIGINT NOT NULL CHECK (seq >= 0),
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- The last verification: entries 1..seq were found intact, the chain's hash at seq is
-- `hash`. Pages verify from here to the entries they show. `broken_seq`: the first entry
-- that failed, when the last full verification found one.
CREATE TABLE audit_checkpoint (
    id             BIGINT PRIMARY KEY CHECK (id = 1),
    seq            BIGINT NOT NULL CHECK (seq >= 0),
    hash           TEXT NOT NULL,
    checked_at     BIGINT NOT NULL,
    broken_seq     BIGINT,
    broken_reason  TEXT
);
INSERT INTO audit_checkpoint (id, seq, hash, checked_at)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);
