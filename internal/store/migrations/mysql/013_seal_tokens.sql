-- Seal tokens for cases and tips (see sqlite/013 for why).
ALTER TABLE cases ADD COLUMN seal_token VARBINARY(16) NULL;
ALTER TABLE tips ADD COLUMN seal_token VARBINARY(16) NULL;
CREATE UNIQUE INDEX uq_cases_seal_token ON cases (seal_token);
CREATE UNIQUE INDEX uq_tips_seal_token ON tips (seal_token);
