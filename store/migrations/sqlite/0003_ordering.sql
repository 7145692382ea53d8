-- Ordering: carts, idempotent checkout and the regulator's red flags.

CREATE TABLE cart_items (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    offer_id  INTEGER NOT NULL REFERENCES offers (id),
    quantity  INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 100000),
    added_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, offer_id)
);

-- A retried checkout with the same Idempotency-Key gets the first answer, never a second
-- order. The row is written first in the checkout's transaction, so a concurrent retry
-- waits for it and then finds it.
CREATE TABLE idempotency_keys (
    user_id     INTEGER NOT NULL REFERENCES users (id),
    idem_key    TEXT NOT NULL,
    response    TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);

-- Red flags for the regulator; the monitoring issue adds more kinds and the triage.
CREATE TABLE alerts (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('split_purchase')),
    unit_id        INTEGER REFERENCES purchasing_units (id),
    supplier_id    INTEGER REFERENCES suppliers (id),
    order_id       INTEGER REFERENCES orders (id),
    category_code  TEXT,
    details        TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'dismissed', 'acted')),
    created_at     INTEGER NOT NULL
);
CREATE INDEX alerts_status ON alerts (status, created_at);

CREATE INDEX orders_created ON orders (created_at);

-- Every lifecycle step of an order: who did what, when (the basis of the performance record).
CREATE TABLE order_events (
    id        INTEGER PRIMARY KEY,
    order_id  INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    action    TEXT NOT NULL,
    status    TEXT NOT NULL,
    user_id   INTEGER REFERENCES users (id),
    note      TEXT NOT NULL DEFAULT '',
    at        INTEGER NOT NULL
);
CREATE INDEX order_events_order ON order_events (order_id, at);
