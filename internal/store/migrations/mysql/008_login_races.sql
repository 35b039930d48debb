-- Sign-in races (issue 12); see sqlite/008 for what each column is for.
-- Every statement commits on its own in MySQL; a step that died half-way
-- re-runs cleanly because the runner skips "duplicate column" and "table
-- already exists".
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NULL;
ALTER TABLE sessions ADD COLUMN second_factor_tries INT NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS login_locks (
    lock_key VARCHAR(255) NOT NULL PRIMARY KEY,
    uses BIGINT NOT NULL,
    locked_at DATETIME(6) NOT NULL,
    INDEX idx_login_locks_at (locked_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
