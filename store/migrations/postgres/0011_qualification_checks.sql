-- The operator's check of each qualification document: verified, or flagged with a note
-- that tells the supplier what to replace. A flag does not suspend anything by itself;
-- the admission decision and credit entries do that.

ALTER TABLE qualifications ADD COLUMN check_state TEXT NOT NULL DEFAULT 'unchecked'
    CHECK (check_state IN ('unchecked', 'verified', 'flagged'));
ALTER TABLE qualifications ADD COLUMN check_note TEXT NOT NULL DEFAULT '';
ALTER TABLE qualifications ADD COLUMN checked_by BIGINT REFERENCES users (id);
ALTER TABLE qualifications ADD COLUMN checked_at BIGINT;

ALTER TABLE supplier_notices DROP CONSTRAINT supplier_notices_kind_check;
ALTER TABLE supplier_notices ADD CONSTRAINT supplier_notices_kind_check
    CHECK (kind IN ('qualification_lapsed', 'offers_restored', 'qualification_flagged'));
