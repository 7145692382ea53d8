-- 一屏管交易: the dashboard reads pre-aggregated contract figures, one row per month
-- (Beijing time, by order date), purchasing unit, supplier and leaf category, plus a row
-- per month, unit and supplier with category '*' for whole orders. Rebuilt month by month
-- from the orders changed since the watermark (store::dashboard::refresh).

CREATE TABLE spend_rollup (
    month               TEXT NOT NULL,
    city                TEXT NOT NULL,
    district            TEXT NOT NULL,
    unit_id             BIGINT NOT NULL,
    supplier_id         BIGINT NOT NULL,
    category_code       TEXT NOT NULL,
    orders              BIGINT NOT NULL,
    amount_fen          BIGINT NOT NULL,
    -- the same quantities at the products' reference prices
    reference_fen       BIGINT NOT NULL,
    pool_amount_fen     BIGINT NOT NULL,
    pool_reference_fen  BIGINT NOT NULL,
    energy_fen          BIGINT NOT NULL,
    environmental_fen   BIGINT NOT NULL,
    poverty_fen         BIGINT NOT NULL,
    delivered           BIGINT NOT NULL,
    delivered_on_time   BIGINT NOT NULL,
    inspected           BIGINT NOT NULL,
    inspection_passed   BIGINT NOT NULL,
    confirmed           BIGINT NOT NULL,
    confirm_secs        BIGINT NOT NULL,
    paid                BIGINT NOT NULL,
    paid_late           BIGINT NOT NULL,
    overdue             BIGINT NOT NULL,
    overdue_fen         BIGINT NOT NULL,
    PRIMARY KEY (category_code, month, unit_id, supplier_id)
);
CREATE INDEX spend_rollup_unit ON spend_rollup (unit_id, month);
CREATE INDEX spend_rollup_month ON spend_rollup (month);

CREATE TABLE rollup_state (
    name          TEXT PRIMARY KEY,
    -- orders updated at or after this moment are folded in on the next refresh
    watermark     BIGINT NOT NULL,
    refreshed_at  BIGINT NOT NULL
);

CREATE INDEX orders_updated ON orders (updated_at);
