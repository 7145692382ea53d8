-- The operator's check of each qualification document: verified, or flagged with a note
-- that tells the supplier what to replace. A flag does not suspend anything by itself;
-- the admission decision and credit entries do that.

ALTER TABLE qualifications ADD COLUMN check_state TEXT NOT NULL DEFAULT 'unchecked'
    CHECK (check_state IN ('unchecked', 'verified', 'flagged'));
ALTER TABLE qualifications ADD COLUMN check_note TEXT NOT NULL DEFAULT '';
ALTER TABLE qualifications ADD COLUMN checked_by INTEGER REFERENCES users (id);
ALTER TABLE qualifications ADD COLUMN checked_at INTEGER;

-- A new kind of notice: SQLite cannot change a CHECK, so the small table is rebuilt.
CREATE TABLE supplier_notices_next (
    id           INTEGER PRIMARY KEY,
    supplier_id  INTEGER NOT NULL REFERENCES suppliers (id),
    kind         TEXT NOT NULL CHECK (kind IN ('qualification_lapsed', 'offers_restored', 'qualification_flagged')),
    details      TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);
INSERT INTO supplier_notices_next (id, supplier_id, kind, details, created_at)
    SELECT id, supplier_id, kind, details, created_at FROM supplier_notices;
DROP TABLE supplier_notices;
ALTER TABLE supplier_notices_next RENAME TO supplier_notices;
CREATE INDEX supplier_notices_supplier ON supplier_notices (supplier_id, created_at);
