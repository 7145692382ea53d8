-- Red flags (预警): every rule's findings in one table, identified by a stable key so that
-- re-running a rule updates a finding instead of repeating it; the evidence (orders, offers,
-- suppliers) and the regulator's triage (confirmed, dismissed with a note, acted on).

ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check CHECK (kind IN ('split_purchase', 'bunching', 'above_reference',
    'repeated_price_changes', 'raise_after_pool', 'dominant_supplier', 'shared_contacts',
    'late_confirmation', 'late_payment'));
ALTER TABLE alerts ADD COLUMN key TEXT;
UPDATE alerts SET key = 'split_purchase:checkout:' || id;
ALTER TABLE alerts ALTER COLUMN key SET NOT NULL;
CREATE UNIQUE INDEX alerts_key ON alerts (key);
ALTER TABLE alerts ADD COLUMN offer_id BIGINT REFERENCES offers (id);
ALTER TABLE alerts ADD COLUMN amount_fen BIGINT;
ALTER TABLE alerts ADD COLUMN evidence TEXT NOT NULL DEFAULT '{}';
UPDATE alerts SET evidence = '{"orders":[' || COALESCE(order_id::text, '') || ']}';
ALTER TABLE alerts ADD COLUMN note TEXT;
ALTER TABLE alerts ADD COLUMN triaged_by BIGINT REFERENCES users (id);
ALTER TABLE alerts ADD COLUMN triaged_at BIGINT;
ALTER TABLE alerts ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
UPDATE alerts SET updated_at = created_at;
CREATE INDEX alerts_kind ON alerts (kind, status);
