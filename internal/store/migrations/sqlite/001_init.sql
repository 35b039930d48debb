-- Core schema. Keep in step with mysql/001_init.sql: TestSchemaParity checks
-- that both dialects end with the same tables, columns and indexes.

CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    status TEXT NOT NULL,
    full_name TEXT NOT NULL,
    sort_name TEXT NOT NULL,
    aliases TEXT NOT NULL,
    age INTEGER NULL,
    birth_date DATE NULL,
    sex TEXT NOT NULL,
    height_cm INTEGER NULL,
    weight_kg INTEGER NULL,
    build TEXT NOT NULL,
    hair_colour TEXT NOT NULL,
    eye_colour TEXT NOT NULL,
    features TEXT NOT NULL,
    clothing TEXT NOT NULL,
    last_seen_date DATE NOT NULL,
    last_seen_time TEXT NOT NULL,
    last_seen_place TEXT NOT NULL,
    community TEXT NOT NULL,
    region TEXT NOT NULL,
    latitude REAL NULL,
    longitude REAL NULL,
    circumstances TEXT NOT NULL,
    police_agency TEXT NOT NULL,
    police_file_number TEXT NOT NULL,
    police_phone TEXT NOT NULL,
    police_verified INTEGER NOT NULL DEFAULT 0,
    reporter_name BLOB NULL,
    reporter_phone BLOB NULL,
    reporter_email BLOB NULL,
    reporter_relationship BLOB NULL,
    reject_reason TEXT NOT NULL,
    located_at DATETIME NULL,
    personal_withdrawn INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX idx_cases_status_seen ON cases (status, last_seen_date);
CREATE INDEX idx_cases_status_name ON cases (status, sort_name);
CREATE INDEX idx_cases_status_located ON cases (status, located_at);
CREATE INDEX idx_cases_status_created ON cases (status, created_at);
CREATE INDEX idx_cases_police_file ON cases (police_agency, police_file_number);

CREATE TABLE case_photos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    photo_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    is_primary INTEGER NOT NULL DEFAULT 0,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    alt TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_case_photos_key ON case_photos (photo_key);
CREATE INDEX idx_case_photos_case ON case_photos (case_id, position);

CREATE TABLE case_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX idx_case_updates_case ON case_updates (case_id, created_at);

CREATE TABLE tips (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    message TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    seen_location TEXT NOT NULL,
    name BLOB NULL,
    phone BLOB NULL,
    email BLOB NULL,
    state TEXT NOT NULL,
    notes TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX idx_tips_case ON tips (case_id, created_at);
CREATE INDEX idx_tips_state ON tips (state, created_at);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    is_read INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL
);
CREATE INDEX idx_messages_read ON messages (is_read, created_at);
CREATE INDEX idx_messages_created ON messages (created_at);

CREATE TABLE resources (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    phone TEXT NOT NULL,
    url TEXT NOT NULL,
    description TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE INDEX idx_resources_position ON resources (position);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    totp_secret BLOB NULL,
    recovery_codes TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_users_email ON users (email);

CREATE TABLE sessions (
    id_hash BLOB NOT NULL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    data BLOB NULL
);
CREATE INDEX idx_sessions_user ON sessions (user_id);
CREATE INDEX idx_sessions_expires ON sessions (expires_at);
CREATE INDEX idx_sessions_last_seen ON sessions (last_seen_at);

CREATE TABLE audit_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NULL REFERENCES users (id) ON DELETE SET NULL,
    user_email TEXT NOT NULL,
    action TEXT NOT NULL,
    record TEXT NOT NULL,
    summary TEXT NOT NULL,
    ip TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX idx_audit_created ON audit_entries (created_at);
CREATE INDEX idx_audit_user ON audit_entries (user_id, created_at);
CREATE INDEX idx_audit_action ON audit_entries (action, created_at);
CREATE INDEX idx_audit_record ON audit_entries (record, created_at);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    fail_key TEXT NOT NULL,
    failed_at DATETIME NOT NULL
);
CREATE INDEX idx_login_failures_key ON login_failures (fail_key, failed_at);
CREATE INDEX idx_login_failures_at ON login_failures (failed_at);

CREATE TABLE settings (
    setting_key TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at DATETIME NOT NULL
);

CREATE TABLE leases (
    name TEXT NOT NULL PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at DATETIME NOT NULL
);
