-- Foundation schema (SQLite). Conventions, shared with the PostgreSQL migrations:
--   * money is integer fen (BIGINT / INTEGER), never REAL;
--   * times are UTC unix seconds (INTEGER);
--   * booleans are INTEGER 0/1 (sqlx's Any driver cannot decode SQLite BOOLEAN);
--   * enumerations are TEXT with a CHECK listing the allowed values.

-- GB/T 2260 administrative divisions: level 1 province, 2 city, 3 district.
CREATE TABLE regions (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    level   INTEGER NOT NULL CHECK (level IN (1, 2, 3)),
    parent  TEXT REFERENCES regions (code)
);
CREATE INDEX regions_parent ON regions (parent);

-- 采购人 / 预算单位
CREATE TABLE purchasing_units (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE,
    name_en            TEXT NOT NULL DEFAULT '',
    uscc               TEXT NOT NULL UNIQUE,
    city               TEXT NOT NULL REFERENCES regions (code),
    district           TEXT NOT NULL REFERENCES regions (code),
    kind               TEXT NOT NULL CHECK (kind IN ('agency', 'school', 'hospital', 'institution')),
    -- orders at or above this amount wait for the unit's approver
    approval_threshold_fen INTEGER NOT NULL DEFAULT 5000000 CHECK (approval_threshold_fen >= 0),
    created_at         INTEGER NOT NULL
);
CREATE INDEX purchasing_units_city ON purchasing_units (city);

-- 预算指标: frozen money is committed to open orders, spent money is paid.
CREATE TABLE budget_lines (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES purchasing_units (id),
    code            TEXT NOT NULL,
    fiscal_year     INTEGER NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2100),
    funding_source  TEXT NOT NULL CHECK (funding_source IN ('general', 'fund', 'state_capital', 'own', 'special')),
    purpose         TEXT NOT NULL,
    amount_fen      INTEGER NOT NULL CHECK (amount_fen >= 0),
    frozen_fen      INTEGER NOT NULL DEFAULT 0 CHECK (frozen_fen >= 0),
    spent_fen       INTEGER NOT NULL DEFAULT 0 CHECK (spent_fen >= 0),
    created_at      INTEGER NOT NULL,
    -- no overspend, ever: the database refuses it even if a rule upstream is wrong
    CHECK (frozen_fen + spent_fen <= amount_fen),
    UNIQUE (unit_id, code)
);

CREATE TABLE suppliers (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    name_en       TEXT NOT NULL DEFAULT '',
    uscc          TEXT NOT NULL UNIQUE,
    city          TEXT NOT NULL REFERENCES regions (code),
    district      TEXT NOT NULL REFERENCES regions (code),
    size          TEXT NOT NULL CHECK (size IN ('large', 'medium', 'small', 'micro')),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'admitted', 'suspended', 'revoked')),
    legal_rep     TEXT NOT NULL,
    contact       TEXT NOT NULL,
    phone         TEXT NOT NULL,
    email         TEXT NOT NULL,
    address       TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    admitted_at   INTEGER
);
CREATE INDEX suppliers_status ON suppliers (status);

-- 一地注册 区域通用: one admission, served in every city listed here.
CREATE TABLE supplier_cities (
    supplier_id  INTEGER NOT NULL REFERENCES suppliers (id),
    city         TEXT NOT NULL REFERENCES regions (code),
    PRIMARY KEY (supplier_id, city)
);

-- A person's role fixes which tenant they belong to (checked here and in `Viewer`).
CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    password_hash  TEXT NOT NULL,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('buyer', 'approver', 'supplier', 'operator', 'regulator')),
    unit_id        INTEGER REFERENCES purchasing_units (id),
    supplier_id    INTEGER REFERENCES suppliers (id),
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     INTEGER NOT NULL,
    CHECK ((role IN ('buyer', 'approver')) = (unit_id IS NOT NULL)),
    CHECK ((role = 'supplier') = (supplier_id IS NOT NULL))
);

-- Server-side sessions. Only a SHA-256 of the cookie token is stored.
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token    TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- 政府采购品目分类目录
CREATE TABLE categories (
    code     TEXT PRIMARY KEY,
    parent   TEXT REFERENCES categories (code),
    name_zh  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('goods', 'services')),
    is_leaf  INTEGER NOT NULL CHECK (is_leaf IN (0, 1))
);
CREATE INDEX categories_parent ON categories (parent);

-- 标准商品: the "same quality" of 同城同质同价.
CREATE TABLE products (
    id                INTEGER PRIMARY KEY,
    category_code     TEXT NOT NULL REFERENCES categories (code),
    brand             TEXT NOT NULL,
    brand_en          TEXT NOT NULL DEFAULT '',
    model             TEXT NOT NULL,
    title             TEXT NOT NULL,
    specs_json        TEXT NOT NULL DEFAULT '[]',
    unit              TEXT NOT NULL,
    barcode           TEXT,
    ref_price_fen     INTEGER NOT NULL CHECK (ref_price_fen > 0),
    ref_price_source  TEXT NOT NULL,
    ref_price_date    TEXT NOT NULL,
    tags              TEXT NOT NULL DEFAULT '',
    created_at        INTEGER NOT NULL,
    UNIQUE (brand, model)
);
CREATE INDEX products_category ON products (category_code);

-- A supplier's listing of a standard product; one price for every buyer in a city.
CREATE TABLE offers (
    id             INTEGER PRIMARY KEY,
    supplier_id    INTEGER NOT NULL REFERENCES suppliers (id),
    product_id     INTEGER NOT NULL REFERENCES products (id),
    price_fen      INTEGER NOT NULL CHECK (price_fen > 0),
    stock          INTEGER NOT NULL CHECK (stock >= 0),
    delivery_days  INTEGER NOT NULL CHECK (delivery_days BETWEEN 1 AND 90),
    status         TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'on_sale', 'off_sale', 'suspended')),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
-- at most one live offer per supplier and product
CREATE UNIQUE INDEX offers_one_live ON offers (supplier_id, product_id)
    WHERE status IN ('in_review', 'on_sale');
CREATE INDEX offers_product ON offers (product_id, status);

CREATE TABLE offer_cities (
    offer_id  INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    city      TEXT NOT NULL REFERENCES regions (code),
    PRIMARY KEY (offer_id, city)
);
CREATE INDEX offer_cities_city ON offer_cities (city, offer_id);

CREATE TABLE offer_price_history (
    id          INTEGER PRIMARY KEY,
    offer_id    INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    price_fen   INTEGER NOT NULL CHECK (price_fen > 0),
    reason      TEXT NOT NULL,
    changed_at  INTEGER NOT NULL
);
CREATE INDEX offer_price_history_offer ON offer_price_history (offer_id, changed_at);

-- Orders: one per supplier, against one budget line. Item lines snapshot price and title.
CREATE TABLE orders (
    id               INTEGER PRIMARY KEY,
    order_no         TEXT NOT NULL UNIQUE,
    unit_id          INTEGER NOT NULL REFERENCES purchasing_units (id),
    buyer_id         INTEGER NOT NULL REFERENCES users (id),
    supplier_id      INTEGER NOT NULL REFERENCES suppliers (id),
    budget_line_id   INTEGER NOT NULL REFERENCES budget_lines (id),
    city             TEXT NOT NULL REFERENCES regions (code),
    status           TEXT NOT NULL CHECK (status IN ('pending_approval', 'placed', 'confirmed', 'shipped',
                        'delivered', 'accepted', 'rejected', 'invoiced', 'paid', 'cancelled')),
    total_fen        INTEGER NOT NULL CHECK (total_fen >= 0),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX orders_unit ON orders (unit_id, created_at);
CREATE INDEX orders_supplier ON orders (supplier_id, created_at);

CREATE TABLE order_items (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    offer_id        INTEGER NOT NULL REFERENCES offers (id),
    product_id      INTEGER NOT NULL REFERENCES products (id),
    title           TEXT NOT NULL,
    unit            TEXT NOT NULL,
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_fen  INTEGER NOT NULL CHECK (unit_price_fen > 0),
    line_total_fen  INTEGER NOT NULL CHECK (line_total_fen > 0)
);
CREATE INDEX order_items_order ON order_items (order_id);
