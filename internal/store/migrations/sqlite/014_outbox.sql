-- The mail outbox (issue 16). Every message is written here in the same
-- transaction as the event that causes it, and a background sender
-- delivers it over SMTP: a crash between the two loses nothing. The
-- recipient is personal data, sealed like a tip's contact (bound to the
-- row's seal token, so it is sealed before the transaction). message_id
-- is the RFC 5322 Message-ID, fixed when the row is made and unique: a
-- message re-sent after a crash carries the same id, and a fan-out that
-- runs again after a crash cannot queue a message twice. state is queued,
-- sending (leased by lease_owner until lease_until), sent or failed.
-- Names match mysql/014 (TestSchemaParity).
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    recipient BLOB NOT NULL,
    seal_token BLOB NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    unsubscribe_url TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DATETIME NOT NULL,
    lease_owner TEXT NULL,
    lease_until DATETIME NULL,
    last_error TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    sent_at DATETIME NULL
);
CREATE UNIQUE INDEX uq_outbox_message_id ON outbox (message_id);
CREATE UNIQUE INDEX uq_outbox_seal_token ON outbox (seal_token);
CREATE INDEX idx_outbox_due ON outbox (state, next_attempt_at);

-- Fan-outs: one row per event that mails many people (a case published
-- in a region, an update posted, a case closed), written in the event's
-- transaction so the moderator does not wait for thousands of messages.
-- A background worker expands it into outbox rows, remembering how far
-- it got (after_id, the last subscription handled) so a crash resumes.
CREATE TABLE outbox_fanouts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    update_id INTEGER NULL,
    after_id INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    lease_owner TEXT NULL,
    lease_until DATETIME NULL,
    created_at DATETIME NOT NULL,
    done_at DATETIME NULL
);
CREATE INDEX idx_outbox_fanouts_state ON outbox_fanouts (state, id);
CREATE INDEX idx_outbox_fanouts_case ON outbox_fanouts (case_id);
