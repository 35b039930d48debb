-- Possible duplicates (issue 15 point 4): PossibleDuplicates reads the
-- open or pending cases of one region, or of one community, within an age
-- window. These indexes make each a tight range (equality, two statuses,
-- the age range and NULL) instead of a walk over every open case: the
-- listing indexes start with status and put the age behind the date.
-- Names match mysql/016 (TestSchemaParity).
CREATE INDEX IF NOT EXISTS idx_cases_region_age ON cases (region, status, age);
CREATE INDEX IF NOT EXISTS idx_cases_community ON cases (community, status, age);
