-- Email subscriptions (issue 16): follow a case (kind 'case', case_id set)
-- or area alerts (kind 'area', region one of the regions or 'all'). The
-- address is personal data: sealed (bound to seal_token) and found by
-- email_index, a keyed blind index (HMAC-SHA256 of the normalised address
-- under a key from the keeper), never by the address itself. scope is
-- 'case:<id>' or 'region:<name>', so one address holds one row per
-- scope. Double opt-in: confirm_hash is the SHA-256 of the mailed
-- single-use token, valid until confirm_expires_at (48 h); unconfirmed
-- rows are deleted after that. A case's followers go with the case.
-- Names match mysql/015 (TestSchemaParity).
CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email BLOB NOT NULL,
    seal_token BLOB NOT NULL,
    email_index BLOB NOT NULL,
    kind TEXT NOT NULL,
    scope TEXT NOT NULL,
    case_id INTEGER NULL REFERENCES cases (id) ON DELETE CASCADE,
    region TEXT NOT NULL,
    confirmed INTEGER NOT NULL DEFAULT 0,
    confirm_hash BLOB NULL,
    confirm_expires_at DATETIME NULL,
    created_at DATETIME NOT NULL,
    confirmed_at DATETIME NULL
);
CREATE UNIQUE INDEX uq_subscriptions_seal_token ON subscriptions (seal_token);
CREATE UNIQUE INDEX uq_subscriptions_scope ON subscriptions (email_index, scope);
CREATE INDEX idx_subscriptions_case ON subscriptions (case_id, confirmed);
CREATE INDEX idx_subscriptions_region ON subscriptions (region, confirmed);
CREATE INDEX idx_subscriptions_confirm ON subscriptions (confirm_hash);
CREATE INDEX idx_subscriptions_unconfirmed ON subscriptions (confirmed, confirm_expires_at);

-- Confirmation emails sent per address (by blind index) per UTC day: at
-- most 3, so the form cannot be used to flood someone's inbox.
CREATE TABLE subscription_confirm_counts (
    email_index BLOB NOT NULL,
    day DATE NOT NULL,
    sent INTEGER NOT NULL,
    PRIMARY KEY (email_index, day)
);

-- Staff notifications (report awaiting review, tip received): on unless
-- the user turns them off on their account page.
ALTER TABLE users ADD COLUMN notify_mail INTEGER NOT NULL DEFAULT 1;
