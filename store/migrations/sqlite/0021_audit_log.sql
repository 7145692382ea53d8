-- 审计日志: the tamper-evident audit log (domain::audit, store::audit). One row per change
-- of money, orders, contracts, joint purchases, admissions, credit entries and settings,
-- appended in the transaction of the change itself. Each row's hash is
-- SHA-256(previous row's hash ‖ canonical JSON of the row's other columns), so altering,
-- deleting or moving a row breaks the chain from that row on (`emall audit verify`).
--
-- Rows are numbered 1, 2, 3… in commit order with no gaps: an append takes the one
-- `audit_head` row, which names the last entry's number and hash, and moves it. SQLite runs
-- one write transaction at a time, so appenders never overlap.
CREATE TABLE audit_log (
    seq            INTEGER PRIMARY KEY,
    at             INTEGER NOT NULL,
    -- No foreign keys: the log outlives and must not constrain the rows it names.
    actor_id       INTEGER,
    actor_name     TEXT NOT NULL,
    object_kind    TEXT NOT NULL,
    object_id      INTEGER NOT NULL,
    action         TEXT NOT NULL,
    related_kind   TEXT,
    related_id     INTEGER,
    amount_fen     INTEGER,
    before_sha256  TEXT,
    after_sha256   TEXT,
    hash           TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object_kind, object_id, seq);
CREATE INDEX audit_log_related ON audit_log (related_kind, related_id, seq)
    WHERE related_kind IS NOT NULL;

-- Append-only: the database refuses to change or delete an entry. Whoever can drop these
-- triggers can still alter the table; the chain is what shows it.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- The chain's head: the last entry's number and hash (0 and 32 zero bytes before the first).
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   INTEGER NOT NULL CHECK (seq >= 0),
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- The last verification: entries 1..seq were found intact, the chain's hash at seq is
-- `hash`. Pages verify from here to the entries they show. `broken_seq`: the first entry
-- that failed, when the last full verification found one.
CREATE TABLE audit_checkpoint (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    seq            INTEGER NOT NULL CHECK (seq >= 0),
    hash           TEXT NOT NULL,
    checked_at     INTEGER NOT NULL,
    broken_seq     INTEGER,
    broken_reason  TEXT
);
INSERT INTO audit_checkpoint (id, seq, hash, checked_at)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);
