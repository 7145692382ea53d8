-- 一屏管交易: the dashboard reads pre-aggregated contract figures, one row per month
-- (Beijing time, by order date), purchasing unit, supplier and leaf category, plus a row
-- per month, unit and supplier with category '*' for whole orders. Rebuilt month by month
-- from the orders changed since the watermark (store::dashboard::refresh).

CREATE TABLE spend_rollup (
    month               TEXT NOT NULL,
    city                TEXT NOT NULL,
    district            TEXT NOT NULL,
    unit_id             INTEGER NOT NULL,
    supplier_id         INTEGER NOT NULL,
    category_code       TEXT NOT NULL,
    orders              INTEGER NOT NULL,
    amount_fen          INTEGER NOT NULL,
    -- the same quantities at the products' reference prices
    reference_fen       INTEGER NOT NULL,
    pool_amount_fen     INTEGER NOT NULL,
    pool_reference_fen  INTEGER NOT NULL,
    energy_fen          INTEGER NOT NULL,
    environmental_fen   INTEGER NOT NULL,
    poverty_fen         INTEGER NOT NULL,
    delivered           INTEGER NOT NULL,
    delivered_on_time   INTEGER NOT NULL,
    inspected           INTEGER NOT NULL,
    inspection_passed   INTEGER NOT NULL,
    confirmed           INTEGER NOT NULL,
    confirm_secs        INTEGER NOT NULL,
    paid                INTEGER NOT NULL,
    paid_late           INTEGER NOT NULL,
    overdue             INTEGER NOT NULL,
    overdue_fen         INTEGER NOT NULL,
    PRIMARY KEY (category_code, month, unit_id, supplier_id)
);
CREATE INDEX spend_rollup_unit ON spend_rollup (unit_id, month);
CREATE INDEX spend_rollup_month ON spend_rollup (month);

CREATE TABLE rollup_state (
    name          TEXT PRIMARY KEY,
    -- orders updated at or after this moment are folded in on the next refresh
    watermark     INTEGER NOT NULL,
    refreshed_at  INTEGER NOT NULL
);

CREATE INDEX orders_updated ON orders (updated_at);
