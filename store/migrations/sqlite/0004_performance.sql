-- Contract performance: the order's deadlines and milestones, its inspection and invoice,
-- the signed electronic contract, complaints, and the performance events behind the
-- supplier score and the units' payment record.

-- Promised delivery (the slowest line's days), snapshot at checkout.
ALTER TABLE orders ADD COLUMN delivery_days INTEGER NOT NULL DEFAULT 7 CHECK (delivery_days BETWEEN 1 AND 90);
-- Payment due this many days after acceptance (30 by default; at most 60 by contract).
ALTER TABLE orders ADD COLUMN payment_terms_days INTEGER NOT NULL DEFAULT 30 CHECK (payment_terms_days BETWEEN 1 AND 60);
ALTER TABLE orders ADD COLUMN placed_at INTEGER;
-- Not confirmed by then (2 working days after placement): cancelled by the timer.
ALTER TABLE orders ADD COLUMN confirm_by INTEGER;
ALTER TABLE orders ADD COLUMN confirmed_at INTEGER;
ALTER TABLE orders ADD COLUMN delivered_at INTEGER;
ALTER TABLE orders ADD COLUMN accepted_at INTEGER;
ALTER TABLE orders ADD COLUMN payment_due_at INTEGER;
ALTER TABLE orders ADD COLUMN paid_at INTEGER;
-- Set once by the timer when the due date passes unpaid.
ALTER TABLE orders ADD COLUMN payment_overdue INTEGER NOT NULL DEFAULT 0 CHECK (payment_overdue IN (0, 1));
ALTER TABLE orders ADD COLUMN rating INTEGER CHECK (rating BETWEEN 1 AND 5);
ALTER TABLE orders ADD COLUMN inspection_notes TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN invoice_no TEXT;
ALTER TABLE orders ADD COLUMN invoice_fen INTEGER CHECK (invoice_fen >= 0);
CREATE INDEX orders_confirm_by ON orders (status, confirm_by);
CREATE INDEX orders_payment_due ON orders (status, payment_due_at);

-- The electronic contract: its exact text (canonical JSON) and SHA-256, fixed at signing
-- (the supplier's confirmation). Never updated.
CREATE TABLE contracts (
    order_id   INTEGER PRIMARY KEY REFERENCES orders (id),
    body       TEXT NOT NULL,
    sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
    signed_at  INTEGER NOT NULL
);

CREATE TABLE complaints (
    id           INTEGER PRIMARY KEY,
    order_id     INTEGER NOT NULL REFERENCES orders (id),
    unit_id      INTEGER NOT NULL REFERENCES purchasing_units (id),
    supplier_id  INTEGER NOT NULL REFERENCES suppliers (id),
    filed_by     INTEGER NOT NULL REFERENCES users (id),
    body         TEXT NOT NULL CHECK (length(body) > 0),
    filed_at     INTEGER NOT NULL,
    answer       TEXT,
    answered_by  INTEGER REFERENCES users (id),
    answered_at  INTEGER
);
CREATE INDEX complaints_order ON complaints (order_id);
CREATE INDEX complaints_supplier ON complaints (supplier_id, filed_at);

-- 履约记录: one row per fact. Supplier-side kinds feed the score; payment kinds describe
-- the unit. At most one event of a kind per order (timers and retries cannot double count).
CREATE TABLE performance_events (
    id           INTEGER PRIMARY KEY,
    order_id     INTEGER NOT NULL REFERENCES orders (id),
    supplier_id  INTEGER NOT NULL REFERENCES suppliers (id),
    unit_id      INTEGER NOT NULL REFERENCES purchasing_units (id),
    kind         TEXT NOT NULL CHECK (kind IN ('confirmed_in_time', 'confirmed_late', 'not_confirmed',
                    'supplier_cancelled', 'delivered_on_time', 'delivered_late', 'inspection_passed',
                    'inspection_failed', 'rated', 'complaint', 'paid_on_time', 'paid_late', 'payment_overdue')),
    value        INTEGER NOT NULL DEFAULT 0,
    at           INTEGER NOT NULL
);
CREATE UNIQUE INDEX performance_events_once ON performance_events (order_id, kind) WHERE kind <> 'complaint';
CREATE INDEX performance_events_supplier ON performance_events (supplier_id, at);
CREATE INDEX performance_events_unit ON performance_events (unit_id, at);
