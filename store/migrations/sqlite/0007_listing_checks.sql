-- Listing checks: offers and price changes that wait for the operator, with why.

CREATE TABLE offer_reviews (
    id                  INTEGER PRIMARY KEY,
    offer_id            INTEGER NOT NULL REFERENCES offers (id),
    supplier_id         INTEGER NOT NULL REFERENCES suppliers (id),
    kind                TEXT NOT NULL CHECK (kind IN ('new_offer', 'price_change')),
    proposed_price_fen  INTEGER NOT NULL CHECK (proposed_price_fen > 0),
    -- the supplier's reason for a price change
    reason              TEXT NOT NULL DEFAULT '',
    -- JSON list of the checks that failed (domain::listing::Flag)
    flags               TEXT NOT NULL,
    state               TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'approved', 'rejected', 'withdrawn')),
    note                TEXT NOT NULL DEFAULT '',
    decided_by          INTEGER REFERENCES users (id),
    decided_at          INTEGER,
    created_at          INTEGER NOT NULL
);
CREATE INDEX offer_reviews_state ON offer_reviews (state, created_at);
CREATE UNIQUE INDEX offer_reviews_one_open ON offer_reviews (offer_id) WHERE state = 'open';
