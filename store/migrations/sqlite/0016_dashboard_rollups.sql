-- The dashboard's questions without a unit filter read three narrower sums of
-- spend_rollup, each small enough to group in milliseconds at a million orders: without
-- the supplier (by unit, late payments), without the unit (by supplier, concentration)
-- and without either (the trend, by category). spend_rollup itself answers for one unit.
-- WITHOUT ROWID: each table is its primary key, so a range of it is read in order.

CREATE TABLE spend_by_unit (
    month               TEXT NOT NULL,
    city                TEXT NOT NULL,
    district            TEXT NOT NULL,
    unit_id             INTEGER NOT NULL,
    category_code       TEXT NOT NULL,
    orders              INTEGER NOT NULL,
    amount_fen          INTEGER NOT NULL,
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
    PRIMARY KEY (category_code, month, unit_id)
) WITHOUT ROWID;

CREATE TABLE spend_by_supplier (
    month               TEXT NOT NULL,
    city                TEXT NOT NULL,
    district            TEXT NOT NULL,
    supplier_id         INTEGER NOT NULL,
    category_code       TEXT NOT NULL,
    orders              INTEGER NOT NULL,
    amount_fen          INTEGER NOT NULL,
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
    PRIMARY KEY (category_code, month, district, supplier_id)
) WITHOUT ROWID;

CREATE TABLE spend_by_category (
    month               TEXT NOT NULL,
    city                TEXT NOT NULL,
    district            TEXT NOT NULL,
    category_code       TEXT NOT NULL,
    orders              INTEGER NOT NULL,
    amount_fen          INTEGER NOT NULL,
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
    PRIMARY KEY (category_code, month, district)
) WITHOUT ROWID;

CREATE INDEX performance_events_order ON performance_events (order_id);

-- the next refresh rebuilds every month into all three
DELETE FROM rollup_state;
