-- Core schema. Keep in step with sqlite/001_init.sql: TestSchemaParity checks
-- that both dialects end with the same tables, columns and indexes.
-- MySQL DDL commits implicitly, so every statement is IF NOT EXISTS and the
-- indexes are declared inside CREATE TABLE: a step that died half-way can
-- simply be run again.

CREATE TABLE IF NOT EXISTS cases (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    status VARCHAR(16) NOT NULL,
    full_name VARCHAR(200) NOT NULL,
    sort_name VARCHAR(200) NOT NULL,
    aliases VARCHAR(500) NOT NULL,
    age INT NULL,
    birth_date DATE NULL,
    sex VARCHAR(16) NOT NULL,
    height_cm INT NULL,
    weight_kg INT NULL,
    build VARCHAR(100) NOT NULL,
    hair_colour VARCHAR(100) NOT NULL,
    eye_colour VARCHAR(100) NOT NULL,
    features TEXT NOT NULL,
    clothing TEXT NOT NULL,
    last_seen_date DATE NOT NULL,
    last_seen_time VARCHAR(5) NOT NULL,
    last_seen_place VARCHAR(200) NOT NULL,
    community VARCHAR(200) NOT NULL,
    region VARCHAR(32) NOT NULL,
    latitude DOUBLE NULL,
    longitude DOUBLE NULL,
    circumstances TEXT NOT NULL,
    police_agency VARCHAR(100) NOT NULL,
    police_file_number VARCHAR(100) NOT NULL,
    police_phone VARCHAR(100) NOT NULL,
    police_verified TINYINT(1) NOT NULL DEFAULT 0,
    reporter_name BLOB NULL,
    reporter_phone BLOB NULL,
    reporter_email BLOB NULL,
    reporter_relationship BLOB NULL,
    reject_reason TEXT NOT NULL,
    located_at DATETIME(6) NULL,
    personal_withdrawn TINYINT(1) NOT NULL DEFAULT 0,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    INDEX idx_cases_status_seen (status, last_seen_date),
    INDEX idx_cases_status_name (status, sort_name),
    INDEX idx_cases_status_located (status, located_at),
    INDEX idx_cases_status_created (status, created_at),
    INDEX idx_cases_police_file (police_agency, police_file_number),
    -- Full-text search (case_search.go, dialect_mysql.go). The column list
    -- must equal mysqlMatch. Declared here rather than with ALTER TABLE in
    -- 002 because only CREATE TABLE IF NOT EXISTS is re-runnable on both
    -- MySQL and MariaDB.
    FULLTEXT INDEX ft_cases (full_name, aliases, last_seen_place, community, features, clothing, circumstances)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS case_photos (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    case_id BIGINT NOT NULL,
    photo_key VARCHAR(100) NOT NULL,
    position INT NOT NULL,
    is_primary TINYINT(1) NOT NULL DEFAULT 0,
    width INT NOT NULL,
    height INT NOT NULL,
    alt TEXT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    UNIQUE INDEX uq_case_photos_key (photo_key),
    INDEX idx_case_photos_case (case_id, position),
    CONSTRAINT fk_case_photos_case FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS case_updates (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    case_id BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    INDEX idx_case_updates_case (case_id, created_at),
    CONSTRAINT fk_case_updates_case FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS tips (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    case_id BIGINT NOT NULL,
    message TEXT NOT NULL,
    seen_at VARCHAR(200) NOT NULL,
    seen_location VARCHAR(200) NOT NULL,
    name BLOB NULL,
    phone BLOB NULL,
    email BLOB NULL,
    state VARCHAR(16) NOT NULL,
    notes TEXT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    INDEX idx_tips_case (case_id, created_at),
    INDEX idx_tips_state (state, created_at),
    CONSTRAINT fk_tips_case FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS messages (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    email VARCHAR(254) NOT NULL,
    subject VARCHAR(200) NOT NULL,
    body TEXT NOT NULL,
    is_read TINYINT(1) NOT NULL DEFAULT 0,
    created_at DATETIME(6) NOT NULL,
    INDEX idx_messages_read (is_read, created_at),
    INDEX idx_messages_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS resources (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    title VARCHAR(200) NOT NULL,
    category VARCHAR(100) NOT NULL,
    phone VARCHAR(100) NOT NULL,
    url VARCHAR(2000) NOT NULL,
    description TEXT NOT NULL,
    position INT NOT NULL,
    INDEX idx_resources_position (position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS users (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email VARCHAR(254) NOT NULL,
    display_name VARCHAR(200) NOT NULL,
    password_hash VARCHAR(500) NOT NULL,
    role VARCHAR(16) NOT NULL,
    totp_secret BLOB NULL,
    recovery_codes TEXT NOT NULL,
    disabled TINYINT(1) NOT NULL DEFAULT 0,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    UNIQUE INDEX uq_users_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS sessions (
    id_hash VARBINARY(64) NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    last_seen_at DATETIME(6) NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    data BLOB NULL,
    INDEX idx_sessions_user (user_id),
    INDEX idx_sessions_expires (expires_at),
    INDEX idx_sessions_last_seen (last_seen_at),
    CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS audit_entries (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NULL,
    user_email VARCHAR(254) NOT NULL,
    action VARCHAR(100) NOT NULL,
    record VARCHAR(200) NOT NULL,
    summary TEXT NOT NULL,
    ip VARCHAR(64) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    INDEX idx_audit_created (created_at),
    INDEX idx_audit_user (user_id, created_at),
    INDEX idx_audit_action (action, created_at),
    INDEX idx_audit_record (record, created_at),
    CONSTRAINT fk_audit_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS login_failures (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    fail_key VARCHAR(255) NOT NULL,
    failed_at DATETIME(6) NOT NULL,
    INDEX idx_login_failures_key (fail_key, failed_at),
    INDEX idx_login_failures_at (failed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS settings (
    setting_key VARCHAR(100) NOT NULL PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS leases (
    name VARCHAR(100) NOT NULL PRIMARY KEY,
    holder VARCHAR(200) NOT NULL,
    expires_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
