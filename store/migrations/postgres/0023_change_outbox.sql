-- The transactional outbox of the change feed. A write records what it changed (products
-- whose pages and search entries follow, suppliers all of whose products do, further
-- surrogate keys) in its own transaction;
-- a drainer on every node (store::outbox, changes.rs) applies each row: stage 0 refreshes
-- the search index and purges the node's pages and tells the other nodes, stage 1 (only
-- when a CDN purge webhook is set) tells the CDN. A row leaves when its last stage is done,
-- so a crash between a commit and its purge loses nothing. `claim` and `lease_until` mark
-- the drainer working on a row; a lease that ran out (its node died) frees the row.
CREATE TABLE change_outbox (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           BIGINT NOT NULL,
    products     TEXT NOT NULL,
    suppliers    TEXT NOT NULL,
    keys         TEXT NOT NULL,
    stage        BIGINT NOT NULL DEFAULT 0,
    attempts     BIGINT NOT NULL DEFAULT 0,
    claim        TEXT,
    lease_until  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX change_outbox_stage ON change_outbox (stage, id);
CREATE INDEX change_outbox_claim ON change_outbox (claim);
