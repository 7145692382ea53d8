-- Supplier onboarding: the registration's remaining facts, the operator's review and its
-- history.

ALTER TABLE suppliers ADD COLUMN sme_declared INTEGER NOT NULL DEFAULT 0 CHECK (sme_declared IN (0, 1));
ALTER TABLE suppliers ADD COLUMN bank_name TEXT NOT NULL DEFAULT '';
ALTER TABLE suppliers ADD COLUMN bank_account TEXT NOT NULL DEFAULT '';
-- Where the application stands: submitted → admitted, or rejected / changes requested and
-- then submitted again. `status` stays 'pending' until admitted.
ALTER TABLE suppliers ADD COLUMN review_state TEXT NOT NULL DEFAULT 'admitted'
    CHECK (review_state IN ('submitted', 'changes_requested', 'rejected', 'admitted'));
ALTER TABLE suppliers ADD COLUMN review_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE suppliers ADD COLUMN submitted_at INTEGER;
UPDATE suppliers SET review_state = 'submitted', submitted_at = created_at WHERE status = 'pending';
UPDATE suppliers SET sme_declared = 1 WHERE size <> 'large';
CREATE INDEX suppliers_review ON suppliers (review_state, submitted_at);

-- Every submission and decision, for the audit trail.
CREATE TABLE supplier_reviews (
    id           INTEGER PRIMARY KEY,
    supplier_id  INTEGER NOT NULL REFERENCES suppliers (id),
    decision     TEXT NOT NULL CHECK (decision IN ('submit', 'admit', 'reject', 'request_changes')),
    reason       TEXT NOT NULL DEFAULT '',
    user_id      INTEGER REFERENCES users (id),
    at           INTEGER NOT NULL
);
CREATE INDEX supplier_reviews_supplier ON supplier_reviews (supplier_id, at);
