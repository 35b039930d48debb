-- Moderated public notes (issue 19 point 5; see sqlite/019 for why the
-- pending text is sealed and the approved text is not).
CREATE TABLE IF NOT EXISTS case_notes (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    case_id BIGINT NOT NULL,
    kind VARCHAR(10) NOT NULL,
    state VARCHAR(10) NOT NULL,
    message BLOB NULL,
    display_name BLOB NULL,
    seal_token VARBINARY(16) NOT NULL,
    public_message TEXT NOT NULL,
    public_name VARCHAR(200) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    approved_at DATETIME(6) NULL,
    UNIQUE INDEX uq_case_notes_seal_token (seal_token),
    INDEX idx_case_notes_case (case_id, state, created_at),
    INDEX idx_case_notes_state (state, created_at),
    CONSTRAINT fk_case_notes_case FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE cases ADD COLUMN notes_allowed TINYINT(1) NOT NULL DEFAULT 0;
