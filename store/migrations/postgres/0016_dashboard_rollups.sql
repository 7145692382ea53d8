-- The dashboard's questions without a unit filter read three narrower sums of
-- spend_rollup, each small enough to group in milliseconds at a million orders: without
-- the supplier (by unit, late payments), without the unit (by supplier, concentration)
-- and without either (the trend, by category). spend_rollup itself answers for one unit.

CREATE TABLE spend_by_unit (
    month               TEXT NOT NULL,
    city                TEXT NOT NULL,
    district            TEXT NOT NULL,
    unit_id             BIGINT NOT NULL,
    category_code       TEXT NOT NULL,
    orders              BIGINT NOT NULL,
    amount_fen          BIGINT NOT NULL,
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
    PRIMARY KEY (category_code, month, unit_id)
);

CREATE TABLE spend_by_supplier (
    month               TEXT NOT NULL,
    city                TEXT NOT NULL,
    district            TEXT NOT NULL,
    supplier_id         BIGINT NOT NULL,
    category_code       TEXT NOT NULL,
    orders              BIGINT NOT NULL,
    amount_fen          BIGINT NOT NULL,
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
    PRIMARY KEY (category_code, month, district, supplier_id)
);

CREATE TABLE spend_by_category (
    month               TEXT NOT NULL,
    city                TEXT NOT NULL,
    district            TEXT NOT NULL,
    category_code       TEXT NOT NULL,
    orders              BIGINT NOT NULL,
    amount_fen          BIGINT NOT NULL,
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
    PRIMARY KEY (category_code, month, district)
);

CREATE INDEX performance_events_order ON performance_events (order_id);

-- the next refresh rebuilds every month into all three
DELETE FROM rollup_state;
