-- PFIF imports (issue 17): which case each imported PFIF person record
-- became, so `lostinnl pfif import` run twice on one file creates nothing
-- the second time. person_record_id is the partner's "domain/id" (PFIF
-- caps nothing; 500 bytes is far above any id seen). A deleted case takes
-- its row along, so a re-import recreates it for review.
-- Names match mysql/017 (TestSchemaParity).
CREATE TABLE pfif_imports (
    person_record_id TEXT NOT NULL PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    imported_at DATETIME NOT NULL
);
CREATE INDEX idx_pfif_imports_case ON pfif_imports (case_id);
