-- The outbox keeps no index beside its key, as on SQLite: the rows waiting are few (each
-- leaves once drained), so a drainer reads them in key order and finds the rows it claimed
-- by their ids (the claim's first and last, and its token). A write's INSERT into the
-- outbox is then one b-tree insert, and a claim's UPDATE touches no indexed column, so it
-- can stay on its page (a heap-only update), for which the pages keep room.
DROP INDEX change_outbox_claim;
DROP INDEX change_outbox_stage;
ALTER TABLE change_outbox SET (fillfactor = 70);
