-- Covering indexes for the public listing: every filter column of
-- SearchCases is in the index, so finding a page and counting the total
-- never reads the wide case rows. One index per sort order, and one led by
-- region (the most used filter). They replace the two narrower indexes.
DROP INDEX IF EXISTS idx_cases_status_seen;
DROP INDEX IF EXISTS idx_cases_status_name;
CREATE INDEX IF NOT EXISTS idx_cases_listing_seen ON cases (status, last_seen_date, region, sex, age);
CREATE INDEX IF NOT EXISTS idx_cases_listing_name ON cases (status, sort_name, region, sex, age, last_seen_date);
CREATE INDEX IF NOT EXISTS idx_cases_listing_region ON cases (status, region, last_seen_date, sex, age, sort_name);
