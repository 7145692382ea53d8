-- Red flags (预警): every rule's findings in one table, identified by a stable key so that
-- re-running a rule updates a finding instead of repeating it; the evidence (orders, offers,
-- suppliers) and the regulator's triage (confirmed, dismissed with a note, acted on).
-- SQLite cannot widen a CHECK, so alerts is rebuilt, and credit_entries (which refers to
-- it) with it.

CREATE TABLE alerts_next (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('split_purchase', 'bunching', 'above_reference',
                       'repeated_price_changes', 'raise_after_pool', 'dominant_supplier', 'shared_contacts',
                       'late_confirmation', 'late_payment')),
    key            TEXT NOT NULL UNIQUE,
    unit_id        INTEGER REFERENCES purchasing_units (id),
    supplier_id    INTEGER REFERENCES suppliers (id),
    order_id       INTEGER REFERENCES orders (id),
    offer_id       INTEGER REFERENCES offers (id),
    category_code  TEXT,
    amount_fen     INTEGER,
    -- {"orders": [..], "offers": [..], "suppliers": [..]}
    evidence       TEXT NOT NULL DEFAULT '{}',
    -- the rule's measures, e.g. {"share_bp": 8500}
    details        TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'dismissed', 'acted')),
    note           TEXT,
    triaged_by     INTEGER REFERENCES users (id),
    triaged_at     INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
INSERT INTO alerts_next (id, kind, key, unit_id, supplier_id, order_id, category_code, evidence, details, status,
                         created_at, updated_at)
    SELECT id, kind, 'split_purchase:checkout:' || id, unit_id, supplier_id, order_id, category_code,
           '{"orders":[' || COALESCE(order_id, '') || ']}', details, status, created_at, created_at
    FROM alerts;

CREATE TABLE credit_entries_next (
    id              INTEGER PRIMARY KEY,
    supplier_id     INTEGER NOT NULL REFERENCES suppliers (id),
    kind            TEXT NOT NULL CHECK (kind IN ('warning', 'suspension', 'revocation')),
    reason          TEXT NOT NULL,
    alert_id        INTEGER REFERENCES alerts_next (id),
    evidence        TEXT NOT NULL DEFAULT '[]',
    recorded_by     INTEGER NOT NULL REFERENCES users (id),
    recorded_at     INTEGER NOT NULL,
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
INSERT INTO credit_entries_next SELECT * FROM credit_entries;
DROP TABLE credit_entries;
DROP TABLE alerts;
ALTER TABLE alerts_next RENAME TO alerts;
ALTER TABLE credit_entries_next RENAME TO credit_entries;
CREATE INDEX alerts_status ON alerts (status, created_at);
CREATE INDEX alerts_kind ON alerts (kind, status);
CREATE INDEX credit_entries_supplier ON credit_entries (supplier_id, recorded_at);
CREATE INDEX credit_entries_ending ON credit_entries (kind, state, ends_at);
