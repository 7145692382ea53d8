-- 采购意向公开: what each purchasing unit means to buy in a year, public before it buys.
-- A withdrawn intention stays on record with the moment it was withdrawn.

CREATE TABLE procurement_intentions (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES purchasing_units (id),
    year            INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    month           INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    title           TEXT NOT NULL,
    category_code   TEXT NOT NULL REFERENCES categories (code),
    budget_fen      INTEGER NOT NULL CHECK (budget_fen > 0),
    description     TEXT NOT NULL DEFAULT '',
    published_by    INTEGER NOT NULL REFERENCES users (id),
    published_at    INTEGER NOT NULL,
    withdrawn_at    INTEGER
);
CREATE INDEX procurement_intentions_year ON procurement_intentions (year, month);
CREATE INDEX procurement_intentions_unit ON procurement_intentions (unit_id, year);
