-- The reporter's reference, private link and later additions (see
-- sqlite/009 for what each table is for).
CREATE TABLE IF NOT EXISTS report_access (
    case_id BIGINT NOT NULL PRIMARY KEY,
    reference VARCHAR(16) NOT NULL,
    token_hash VARBINARY(32) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    withdrawn_at DATETIME(6) NULL,
    UNIQUE INDEX uq_report_access_reference (reference),
    UNIQUE INDEX uq_report_access_token (token_hash),
    CONSTRAINT fk_report_access_case FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS report_additions (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    case_id BIGINT NOT NULL,
    kind VARCHAR(16) NOT NULL,
    message TEXT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    handled_at DATETIME(6) NULL,
    INDEX idx_report_additions_case (case_id, created_at),
    INDEX idx_report_additions_open (handled_at, kind),
    CONSTRAINT fk_report_additions_case FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS report_addition_photos (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    addition_id BIGINT NOT NULL,
    photo_key VARCHAR(100) NOT NULL,
    width INT NOT NULL,
    height INT NOT NULL,
    UNIQUE INDEX uq_report_addition_photos_key (photo_key),
    INDEX idx_report_addition_photos_addition (addition_id),
    CONSTRAINT fk_report_addition_photos_addition FOREIGN KEY (addition_id) REFERENCES report_additions (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
