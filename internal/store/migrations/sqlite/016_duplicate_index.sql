-- Possible duplicates (issue 15 point 4): PossibleDuplicates looks for
-- open or pending cases in the same region (served by
-- idx_cases_listing_region_id) or in the same community; this index serves
-- the community half, so the lookup reads only the cases of one place and
-- age window instead of every open case. Names match mysql/016
-- (TestSchemaParity).
CREATE INDEX IF NOT EXISTS idx_cases_community ON cases (community, status, age);
