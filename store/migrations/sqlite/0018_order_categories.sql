-- 拆分采购 at checkout: what each live order spent per procurement category. The check sums
-- a unit's category over the last split_window_days: one range of this table, however many
-- orders the unit has, instead of a join of orders, items and products per order. Written
-- with the order's items; a cancelled or rejected order's rows are deleted with the change.
-- WITHOUT ROWID: the table is its key, so the window is read in key order.

CREATE TABLE order_categories (
    unit_id         INTEGER NOT NULL,
    category_code   TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    amount_fen      INTEGER NOT NULL,
    PRIMARY KEY (unit_id, category_code, created_at, order_id)
) WITHOUT ROWID;
CREATE INDEX order_categories_order ON order_categories (order_id);

INSERT INTO order_categories (unit_id, category_code, created_at, order_id, amount_fen)
SELECT o.unit_id, p.category_code, o.created_at, o.id, SUM(i.line_total_fen)
FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id
WHERE o.status NOT IN ('cancelled', 'rejected')
GROUP BY o.id, o.unit_id, o.created_at, p.category_code;
