-- Sign-in races (issue 12). Names match mysql/008 (TestSchemaParity).
--
-- users.totp_last_step: the newest TOTP time step redeemed by the user. A
-- code is accepted only by UPDATE … WHERE totp_last_step < step (rows
-- affected = 1), so one code cannot open two sessions however many requests
-- race with it.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NULL;

-- sessions.second_factor_tries: codes checked on a pending sign-in. A try is
-- taken by UPDATE … WHERE second_factor_tries < limit before a code is
-- checked, so parallel wrong codes cannot exceed the limit.
ALTER TABLE sessions ADD COLUMN second_factor_tries INTEGER NOT NULL DEFAULT 0;

-- login_locks: one row per throttle key (account or client address). A
-- sign-in attempt updates the rows of its keys first, which holds them until
-- its transaction ends, then counts login_failures and records its attempt:
-- check and count become one step for every instance sharing the database.
CREATE TABLE login_locks (
    lock_key TEXT NOT NULL PRIMARY KEY,
    uses BIGINT NOT NULL,
    locked_at DATETIME NOT NULL
);
CREATE INDEX idx_login_locks_at ON login_locks (locked_at);
