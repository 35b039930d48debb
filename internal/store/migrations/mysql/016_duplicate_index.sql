-- Possible duplicates: the community half of PossibleDuplicates (see
-- sqlite/016). community is VARCHAR(200) utf8mb4: 800 bytes of key, well
-- under InnoDB's limit. The runner skips "already exists", so a re-run is
-- harmless.
CREATE INDEX idx_cases_community ON cases (community, status, age);
