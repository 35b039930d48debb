-- One counter that changes whenever anything a public page shows changes
-- (cases, photos, updates, resources). Each web instance keeps rendered
-- public pages until it sees a different value, so instances sharing one
-- database drop their caches within a poll of each other's writes. The
-- writes bump it in their own transaction (Store.bumpContent), so a reader
-- never sees new content with the old revision. Exactly one row, id 1.
-- Names match mysql/007 (TestSchemaParity).
CREATE TABLE content_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    rev BIGINT NOT NULL
);
INSERT INTO content_revision (id, rev) VALUES (1, 0);
