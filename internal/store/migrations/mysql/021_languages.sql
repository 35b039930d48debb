-- English and French (issue 18): see sqlite/021.
ALTER TABLE users ADD COLUMN lang VARCHAR(8) NOT NULL DEFAULT 'en-CA';
ALTER TABLE subscriptions ADD COLUMN lang VARCHAR(8) NOT NULL DEFAULT 'en-CA';
-- An empty text means "no other version".
ALTER TABLE cases ADD COLUMN content_lang VARCHAR(8) NOT NULL DEFAULT 'en-CA',
    ADD COLUMN circumstances_alt TEXT NOT NULL DEFAULT '';
ALTER TABLE case_updates ADD COLUMN body_alt TEXT NOT NULL DEFAULT '';
