-- PFIF imports (issue 17): which case each imported PFIF person record
-- became, so `lostinnl pfif import` run twice on one file creates nothing
-- the second time. See sqlite/017. ascii_bin: record ids compare exactly,
-- and 500 ASCII bytes fit InnoDB's key length.
CREATE TABLE IF NOT EXISTS pfif_imports (
    person_record_id VARCHAR(500) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    case_id BIGINT NOT NULL,
    imported_at DATETIME(6) NOT NULL,
    PRIMARY KEY (person_record_id),
    INDEX idx_pfif_imports_case (case_id),
    CONSTRAINT fk_pfif_imports_case FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
