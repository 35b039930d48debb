-- The mail outbox and fan-outs (see sqlite/014 for why).
CREATE TABLE IF NOT EXISTS outbox (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    message_id VARCHAR(200) NOT NULL,
    kind VARCHAR(50) NOT NULL,
    recipient BLOB NOT NULL,
    seal_token VARBINARY(16) NOT NULL,
    subject TEXT NOT NULL,
    body_text MEDIUMTEXT NOT NULL,
    body_html MEDIUMTEXT NOT NULL,
    unsubscribe_url TEXT NOT NULL,
    state VARCHAR(20) NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    next_attempt_at DATETIME(6) NOT NULL,
    lease_owner VARCHAR(200) NULL,
    lease_until DATETIME(6) NULL,
    last_error TEXT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    sent_at DATETIME(6) NULL,
    UNIQUE INDEX uq_outbox_message_id (message_id),
    UNIQUE INDEX uq_outbox_seal_token (seal_token),
    INDEX idx_outbox_due (state, next_attempt_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS outbox_fanouts (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind VARCHAR(50) NOT NULL,
    case_id BIGINT NOT NULL,
    update_id BIGINT NULL,
    after_id BIGINT NOT NULL DEFAULT 0,
    state VARCHAR(20) NOT NULL,
    lease_owner VARCHAR(200) NULL,
    lease_until DATETIME(6) NULL,
    created_at DATETIME(6) NOT NULL,
    done_at DATETIME(6) NULL,
    INDEX idx_outbox_fanouts_state (state, id),
    INDEX idx_outbox_fanouts_case (case_id),
    CONSTRAINT fk_outbox_fanouts_case FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
