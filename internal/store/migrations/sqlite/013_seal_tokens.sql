-- Seal tokens (issue 14): 16 random bytes drawn by the store for each new
-- case and tip, to which the row's sealed fields are bound (format 2 of
-- internal/secrets). The store can then seal a row before inserting it,
-- outside its write transaction. Rows from before this migration keep a
-- NULL token and their values stay bound to the row id (format 1); both
-- open and rotate. Unique, so a token copied onto another row is refused.
-- Names match mysql/013 (TestSchemaParity).
ALTER TABLE cases ADD COLUMN seal_token BLOB NULL;
ALTER TABLE tips ADD COLUMN seal_token BLOB NULL;
CREATE UNIQUE INDEX uq_cases_seal_token ON cases (seal_token);
CREATE UNIQUE INDEX uq_tips_seal_token ON tips (seal_token);
