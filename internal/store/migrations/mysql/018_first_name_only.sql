-- First-name-only publishing (issue 19 point 4): the case option and the
-- reporter's request. See sqlite/018. Two statements: the runner skips a
-- "duplicate column" one by one, so a re-run after a partial failure
-- still adds the second column.
ALTER TABLE cases ADD COLUMN first_name_only TINYINT(1) NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN first_name_requested TINYINT(1) NOT NULL DEFAULT 0;
