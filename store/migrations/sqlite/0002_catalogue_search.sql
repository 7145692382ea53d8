-- Catalogue and search.
-- Supplier performance score (0-100, rolling 12 months), maintained from performance
-- events; NULL until a supplier has a record. Used to rank offers and search results.
ALTER TABLE suppliers ADD COLUMN performance_score INTEGER CHECK (performance_score BETWEEN 0 AND 100);

-- Product images: a path under the site's image root, or NULL.
ALTER TABLE products ADD COLUMN image TEXT;

-- Offers of one city, cheapest first: the comparison page and the index's aggregates.
CREATE INDEX offers_product_price ON offers (product_id, status, price_fen);

-- Volume tiers (阶梯价) of an offer: from min_quantity units on, each costs price_fen.
-- The rules (increasing quantities, decreasing prices) are checked in the domain crate.
CREATE TABLE offer_tiers (
    offer_id      INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    min_quantity  INTEGER NOT NULL CHECK (min_quantity >= 2),
    price_fen     INTEGER NOT NULL CHECK (price_fen > 0),
    PRIMARY KEY (offer_id, min_quantity)
);
