-- 信用记录: the regulator's credit entries against suppliers (warning, suspension for N
-- days, revocation), the supplier's appeal and the regulator's decision. The supplier's
-- status follows its binding entries (domain::credit::standing).

CREATE TABLE credit_entries (
    id              INTEGER PRIMARY KEY,
    supplier_id     INTEGER NOT NULL REFERENCES suppliers (id),
    kind            TEXT NOT NULL CHECK (kind IN ('warning', 'suspension', 'revocation')),
    reason          TEXT NOT NULL,
    -- what it rests on: an alert, orders (JSON list of order ids)
    alert_id        INTEGER REFERENCES alerts (id),
    evidence        TEXT NOT NULL DEFAULT '[]',
    recorded_by     INTEGER NOT NULL REFERENCES users (id),
    recorded_at     INTEGER NOT NULL,
    -- a suspension's end
    ends_at         INTEGER,
    state           TEXT NOT NULL DEFAULT 'in_force'
                        CHECK (state IN ('in_force', 'appealed', 'upheld', 'overturned', 'ended')),
    appeal          TEXT,
    appealed_at     INTEGER,
    decision_note   TEXT,
    decided_by      INTEGER REFERENCES users (id),
    decided_at      INTEGER,
    CHECK ((kind = 'suspension') = (ends_at IS NOT NULL))
);
CREATE INDEX credit_entries_supplier ON credit_entries (supplier_id, recorded_at);
CREATE INDEX credit_entries_ending ON credit_entries (kind, state, ends_at);
