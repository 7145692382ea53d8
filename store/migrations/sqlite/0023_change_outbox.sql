-- The transactional outbox of the change feed. A write records what it changed (products
-- whose pages and search entries follow, suppliers all of whose products do, further
-- surrogate keys) in its own transaction;
-- a drainer on every node (store::outbox, changes.rs) applies each row: stage 0 refreshes
-- the search index and purges the node's pages and tells the other nodes, stage 1 (only
-- when a CDN purge webhook is set) tells the CDN. A row leaves when its last stage is done,
-- so a crash between a commit and its purge loses nothing. On SQLite (one node) the
-- drainer takes runs of ids; `claim` and `lease_until` serve PostgreSQL's many nodes, and
-- `lease_until` holds back a CDN purge until its next try.
CREATE TABLE change_outbox (
    id           INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    products     TEXT NOT NULL,
    suppliers    TEXT NOT NULL,
    keys         TEXT NOT NULL,
    stage        INTEGER NOT NULL DEFAULT 0,
    attempts     INTEGER NOT NULL DEFAULT 0,
    claim        TEXT,
    lease_until  INTEGER NOT NULL DEFAULT 0
);
-- No index beside the key: the one drainer reads rows in id order (those of the CDN stage
-- are few), and a write's INSERT stays one b-tree insert.
