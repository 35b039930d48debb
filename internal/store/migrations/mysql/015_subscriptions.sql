-- Email subscriptions, confirmation counts and the staff opt-out (see
-- sqlite/015 for why).
CREATE TABLE IF NOT EXISTS subscriptions (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email BLOB NOT NULL,
    seal_token VARBINARY(16) NOT NULL,
    email_index VARBINARY(32) NOT NULL,
    kind VARCHAR(10) NOT NULL,
    scope VARCHAR(40) NOT NULL,
    case_id BIGINT NULL,
    region VARCHAR(20) NOT NULL,
    confirmed TINYINT(1) NOT NULL DEFAULT 0,
    confirm_hash VARBINARY(32) NULL,
    confirm_expires_at DATETIME(6) NULL,
    created_at DATETIME(6) NOT NULL,
    confirmed_at DATETIME(6) NULL,
    UNIQUE INDEX uq_subscriptions_seal_token (seal_token),
    UNIQUE INDEX uq_subscriptions_scope (email_index, scope),
    INDEX idx_subscriptions_case (case_id, confirmed),
    INDEX idx_subscriptions_region (region, confirmed),
    INDEX idx_subscriptions_confirm (confirm_hash),
    INDEX idx_subscriptions_unconfirmed (confirmed, confirm_expires_at),
    CONSTRAINT fk_subscriptions_case FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS subscription_confirm_counts (
    email_index VARBINARY(32) NOT NULL,
    day DATE NOT NULL,
    sent INT NOT NULL,
    PRIMARY KEY (email_index, day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE users ADD COLUMN notify_mail TINYINT(1) NOT NULL DEFAULT 1;
