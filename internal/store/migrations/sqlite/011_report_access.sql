-- The reporter's side of a report from the public form (issue 13): a
-- reference to quote (NL-7KQ4-2M, random, never the case id) and a private,
-- expiring link. Only the SHA-256 of the link's token is kept, so a copy of
-- the database cannot act for a reporter. withdrawn_at is set once, by a
-- compare-and-set, when the reporter asks for the report to be withdrawn.
-- Names match mysql/009 (TestSchemaParity).
CREATE TABLE report_access (
    case_id INTEGER NOT NULL PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    reference TEXT NOT NULL,
    token_hash BLOB NOT NULL,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    withdrawn_at DATETIME NULL
);
CREATE UNIQUE INDEX uq_report_access_reference ON report_access (reference);
CREATE UNIQUE INDEX uq_report_access_token ON report_access (token_hash);

-- What the reporter sends later through the link: more information
-- ('info') or a request to withdraw a published case ('withdraw'). They go
-- to the moderators only; nothing here is ever shown publicly.
CREATE TABLE report_additions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    handled_at DATETIME NULL
);
CREATE INDEX idx_report_additions_case ON report_additions (case_id, created_at);
CREATE INDEX idx_report_additions_open ON report_additions (handled_at, kind);

-- Photos sent with an addition. Their blobs are referenced by these rows
-- until a moderator adopts one into case_photos (the row moves) or the
-- case's personal details are withdrawn.
CREATE TABLE report_addition_photos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    addition_id INTEGER NOT NULL REFERENCES report_additions (id) ON DELETE CASCADE,
    photo_key TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL
);
CREATE UNIQUE INDEX uq_report_addition_photos_key ON report_addition_photos (photo_key);
CREATE INDEX idx_report_addition_photos_addition ON report_addition_photos (addition_id);
