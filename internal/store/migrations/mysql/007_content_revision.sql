-- The public content revision (see sqlite/007): one row, id 1, whose rev
-- every write that changes a public page increments in its own transaction.
-- CREATE TABLE commits implicitly; the INSERT commits with the version row,
-- so a step that died half-way re-runs cleanly (the runner skips "table
-- already exists") and the row is inserted exactly once.
CREATE TABLE IF NOT EXISTS content_revision (
    id INT NOT NULL PRIMARY KEY,
    rev BIGINT NOT NULL,
    CONSTRAINT ck_content_revision_one_row CHECK (id = 1)
) ENGINE=InnoDB;
INSERT INTO content_revision (id, rev) VALUES (1, 0);
