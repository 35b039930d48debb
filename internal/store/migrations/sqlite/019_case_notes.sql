-- Moderated public notes (issue 19 point 5): a visitor's short message of
-- support, or "I'm sharing this in my community", on an open case whose
-- staff turned notes on (cases.notes_allowed, off by default). Nothing is
-- public before a moderator approves it. While a note waits (state
-- 'pending') its text and display name are sealed (message, display_name,
-- bound to seal_token like tips' contact): unread text may hold the very
-- contact details the moderators are there to keep off the site. On
-- approval the text becomes public content and moves to public_message and
-- public_name (the sealed columns are cleared); a rejected or removed note
-- is deleted, so no refused text is kept. A case's notes go with the case.
-- Names match mysql/019 (TestSchemaParity).
CREATE TABLE case_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    message BLOB NULL,
    display_name BLOB NULL,
    seal_token BLOB NOT NULL,
    public_message TEXT NOT NULL,
    public_name TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    approved_at DATETIME NULL
);
CREATE UNIQUE INDEX uq_case_notes_seal_token ON case_notes (seal_token);
CREATE INDEX idx_case_notes_case ON case_notes (case_id, state, created_at);
CREATE INDEX idx_case_notes_state ON case_notes (state, created_at);

ALTER TABLE cases ADD COLUMN notes_allowed INTEGER NOT NULL DEFAULT 0;
