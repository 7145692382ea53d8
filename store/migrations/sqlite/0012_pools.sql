-- 联合采购 / 带量采购: pools for one standard product in one city, suppliers' volume-tier
-- bids, purchasing units' commitments with their frozen money, and an audit trail of every
-- step. An awarded pool's price is the city price cap (同城同质同价) until cap_until.

CREATE TABLE pools (
    id                  INTEGER PRIMARY KEY,
    product_id          INTEGER NOT NULL REFERENCES products (id),
    city                TEXT NOT NULL REFERENCES regions (code),
    title               TEXT NOT NULL,
    description         TEXT NOT NULL,
    delivery_terms      TEXT NOT NULL,
    min_total_quantity  INTEGER NOT NULL CHECK (min_total_quantity >= 1),
    -- 最高限价: no bid may ask more; commitments freeze quantity × ceiling
    ceiling_fen         INTEGER NOT NULL CHECK (ceiling_fen > 0),
    opens_at            INTEGER NOT NULL,
    closes_at           INTEGER NOT NULL CHECK (closes_at > opens_at),
    validity_days       INTEGER NOT NULL CHECK (validity_days BETWEEN 1 AND 730),
    opened_by           INTEGER NOT NULL REFERENCES users (id),
    -- a purchasing unit that leads the pool (NULL: opened by the operator)
    lead_unit_id        INTEGER REFERENCES purchasing_units (id),
    state               TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'awarded', 'failed')),
    -- every commitment and the close bump it first: the row lock orders them
    version             INTEGER NOT NULL DEFAULT 0,
    closed_at           INTEGER,
    -- NULL: closed by the timer at the deadline
    closed_by           INTEGER REFERENCES users (id),
    total_quantity      INTEGER,
    unit_price_fen      INTEGER,
    winner_supplier_id  INTEGER REFERENCES suppliers (id),
    winner_bid_id       INTEGER,
    cap_until           INTEGER,
    -- what the city paid for the product on average in the 12 months before the close
    baseline_fen        INTEGER,
    reference_fen       INTEGER,
    -- the settlement (ranking, lines or releases) as JSON
    result              TEXT,
    created_at          INTEGER NOT NULL
);
CREATE INDEX pools_state ON pools (state, closes_at);
CREATE INDEX pools_cap ON pools (product_id, city, state, cap_until);

CREATE TABLE pool_bids (
    id           INTEGER PRIMARY KEY,
    pool_id      INTEGER NOT NULL REFERENCES pools (id),
    supplier_id  INTEGER NOT NULL REFERENCES suppliers (id),
    -- the supplier's offer the orders will name
    offer_id     INTEGER NOT NULL REFERENCES offers (id),
    -- JSON [{"min_quantity": n, "price": fen}], valid under the ceiling when written
    tiers        TEXT NOT NULL,
    -- the latest revision (an earlier one wins a tie)
    placed_at    INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (pool_id, supplier_id)
);

CREATE TABLE pool_commitments (
    id              INTEGER PRIMARY KEY,
    pool_id         INTEGER NOT NULL REFERENCES pools (id),
    unit_id         INTEGER NOT NULL REFERENCES purchasing_units (id),
    user_id         INTEGER NOT NULL REFERENCES users (id),
    budget_line_id  INTEGER NOT NULL REFERENCES budget_lines (id),
    quantity        INTEGER NOT NULL CHECK (quantity >= 1),
    -- money held on the budget line for this commitment now
    frozen_fen      INTEGER NOT NULL CHECK (frozen_fen >= 0),
    state           TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'withdrawn', 'settled', 'released')),
    amount_fen      INTEGER,
    order_id        INTEGER REFERENCES orders (id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (pool_id, unit_id)
);

CREATE TABLE pool_events (
    id       INTEGER PRIMARY KEY,
    pool_id  INTEGER NOT NULL REFERENCES pools (id),
    -- opened, bid, committed, withdrawn, awarded, failed
    kind     TEXT NOT NULL,
    user_id  INTEGER REFERENCES users (id),
    details  TEXT NOT NULL,
    at       INTEGER NOT NULL
);
CREATE INDEX pool_events_pool ON pool_events (pool_id, at);

ALTER TABLE orders ADD COLUMN pool_id INTEGER REFERENCES pools (id);
