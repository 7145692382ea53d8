-- Qualifications (资质): documents stored outside the web root, their validity, and what a
-- lapse does to the supplier's offers; notices that tell the supplier.

CREATE TABLE qualifications (
    id            INTEGER PRIMARY KEY,
    supplier_id   INTEGER NOT NULL REFERENCES suppliers (id),
    kind          TEXT NOT NULL CHECK (kind IN ('business_licence', 'industry_licence', 'quality_certificate',
                     'authorisation', 'other')),
    number        TEXT NOT NULL,
    issuer        TEXT NOT NULL,
    -- YYYY-MM-DD, valid through that day; NULL: without limit (长期)
    valid_until   TEXT,
    -- valid → lapsed (the day after valid_until) → superseded (a newer one of the kind)
    state         TEXT NOT NULL DEFAULT 'valid' CHECK (state IN ('valid', 'lapsed', 'superseded')),
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes    INTEGER NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 10485760),
    sha256        TEXT NOT NULL,
    uploaded_by   INTEGER NOT NULL REFERENCES users (id),
    uploaded_at   INTEGER NOT NULL
);
CREATE INDEX qualifications_supplier ON qualifications (supplier_id, kind);
CREATE INDEX qualifications_expiry ON qualifications (state, valid_until);

-- Why an offer is suspended, so the cause's end can restore exactly those offers.
ALTER TABLE offers ADD COLUMN suspended_reason TEXT;

CREATE TABLE supplier_notices (
    id           INTEGER PRIMARY KEY,
    supplier_id  INTEGER NOT NULL REFERENCES suppliers (id),
    kind         TEXT NOT NULL CHECK (kind IN ('qualification_lapsed', 'offers_restored')),
    details      TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX supplier_notices_supplier ON supplier_notices (supplier_id, created_at);
