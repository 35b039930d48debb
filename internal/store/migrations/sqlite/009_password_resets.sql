-- Set-password links an administrator creates for a staff user ("Reset
-- password"). Only the SHA-256 of the link's random token is stored, so a
-- database dump or backup holds no usable link. used_at is written once by
-- the compare-and-set that consumes the link (Store.UsePasswordReset); a
-- link is valid while used_at is NULL and expires_at is in the future.
-- Names match mysql/009 (TestSchemaParity).
CREATE TABLE password_resets (
    token_hash BLOB NOT NULL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    used_at DATETIME NULL
);
CREATE INDEX idx_password_resets_user ON password_resets (user_id);
CREATE INDEX idx_password_resets_expires ON password_resets (expires_at);
