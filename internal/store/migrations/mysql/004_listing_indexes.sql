-- Covering indexes for the public listing (see sqlite/004). On MySQL a
-- filter column missing from the index costs one clustered-index lookup
-- per candidate row: 200 ms for a region + age listing over 100k cases.
-- DDL commits implicitly; the runner skips "already exists" / "does not
-- exist" errors so a half-applied step can simply be re-run.
DROP INDEX idx_cases_status_seen ON cases;
DROP INDEX idx_cases_status_name ON cases;
CREATE INDEX idx_cases_listing_seen ON cases (status, last_seen_date, region, sex, age);
CREATE INDEX idx_cases_listing_name ON cases (status, sort_name, region, sex, age, last_seen_date);
CREATE INDEX idx_cases_listing_region ON cases (status, region, last_seen_date, sex, age, sort_name);
