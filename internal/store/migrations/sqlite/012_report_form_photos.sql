-- Photos a visitor attached to the public report form that came back with
-- an error (issue 13): each was processed and stored when it arrived, and
-- is held here against the form's token until the report is sent (the rows
-- move into case_photos in the case's transaction) or the hold expires (the
-- retention job deletes the rows and their blobs). Only the SHA-256 of the
-- token is kept. These rows make the blobs "referenced" for the orphan
-- sweeper; no public route serves them. Names match mysql/013.
CREATE TABLE report_form_photos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash BLOB NOT NULL,
    photo_key TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_report_form_photos_key ON report_form_photos (photo_key);
CREATE INDEX idx_report_form_photos_token ON report_form_photos (token_hash);
CREATE INDEX idx_report_form_photos_expires ON report_form_photos (expires_at);
