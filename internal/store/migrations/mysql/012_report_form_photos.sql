-- Photos held for a report form that came back with an error (see
-- sqlite/013 for why).
CREATE TABLE IF NOT EXISTS report_form_photos (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    token_hash VARBINARY(32) NOT NULL,
    photo_key VARCHAR(100) NOT NULL,
    width INT NOT NULL,
    height INT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    UNIQUE INDEX uq_report_form_photos_key (photo_key),
    INDEX idx_report_form_photos_token (token_hash),
    INDEX idx_report_form_photos_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
