-- How an order travels: the carrier (快递公司, or the supplier's own delivery) and the
-- tracking number the supplier gives when it ships; both empty for orders shipped before.
ALTER TABLE orders ADD COLUMN carrier TEXT;
ALTER TABLE orders ADD COLUMN tracking_no TEXT;
