-- Possible duplicates: the region and community lookups of
-- PossibleDuplicates (see sqlite/016). Without them MySQL walked 67,000
-- entries of a listing index for one Avalon report at 100,000 cases.
-- community is VARCHAR(200) utf8mb4: 800 bytes of key, under InnoDB's
-- limit. The runner skips "already exists", so a re-run is harmless.
CREATE INDEX idx_cases_region_age ON cases (region, status, age);
CREATE INDEX idx_cases_community ON cases (community, status, age);
