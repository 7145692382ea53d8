-- Suppliers' proposals of standard products the catalogue lacks, and the operator's
-- decision: a new product, a merge into an existing one, or a refusal.

CREATE TABLE product_proposals (
    id                INTEGER PRIMARY KEY,
    supplier_id       INTEGER NOT NULL REFERENCES suppliers (id),
    user_id           INTEGER NOT NULL REFERENCES users (id),
    category_code     TEXT NOT NULL REFERENCES categories (code),
    brand             TEXT NOT NULL,
    model             TEXT NOT NULL,
    title             TEXT NOT NULL,
    unit              TEXT NOT NULL,
    ref_price_fen     INTEGER NOT NULL CHECK (ref_price_fen > 0),
    ref_price_source  TEXT NOT NULL,
    state             TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'merged', 'rejected')),
    -- the standard product it became or was merged into
    product_id        INTEGER REFERENCES products (id),
    note              TEXT NOT NULL DEFAULT '',
    decided_by        INTEGER REFERENCES users (id),
    decided_at        INTEGER,
    created_at        INTEGER NOT NULL
);
CREATE INDEX product_proposals_state ON product_proposals (state, created_at);
