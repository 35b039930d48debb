-- English and French (issue 18).
-- A staff member's language for the admin area and their notices by mail.
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'en-CA';
-- The language a subscriber signed up in: their confirmation, alerts and
-- unsubscribe pages come in it.
ALTER TABLE subscriptions ADD COLUMN lang TEXT NOT NULL DEFAULT 'en-CA';
-- A case's text is shown as entered, in content_lang; circumstances_alt is
-- an optional version in the other language, shown to readers of that
-- language (labelled as a translation), the original being the fallback.
ALTER TABLE cases ADD COLUMN content_lang TEXT NOT NULL DEFAULT 'en-CA';
ALTER TABLE cases ADD COLUMN circumstances_alt TEXT NOT NULL DEFAULT '';
-- The same for each public update.
ALTER TABLE case_updates ADD COLUMN body_alt TEXT NOT NULL DEFAULT '';
