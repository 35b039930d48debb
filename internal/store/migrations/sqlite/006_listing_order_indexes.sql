-- Listing indexes that deliver each sort's ORDER BY. SearchCases orders
-- the public listing by (last_seen_date, id) — DESC for "recent", ASC for
-- "oldest" — or by (sort_name, id). The 004 indexes had region, sex and age
-- between the sort column and the row id, so the index gave the order of
-- the first column only and the rest had to be sorted (on MySQL the whole
-- set of published cases was filesorted on every page). Here id follows
-- the sort column directly: after the status equality the index is in
-- exactly the ORDER BY's order (read backwards for DESC), and the LIMIT
-- stops the scan after one page. The filter columns come after id, so the
-- indexes still cover every filter and a page never reads the case rows.
-- The region index serves a region filter with the date sorts.
-- Names match mysql/006 (TestSchemaParity).
CREATE INDEX IF NOT EXISTS idx_cases_listing_seen_id ON cases (status, last_seen_date, id, region, sex, age);
CREATE INDEX IF NOT EXISTS idx_cases_listing_name_id ON cases (status, sort_name, id, region, sex, age, last_seen_date);
CREATE INDEX IF NOT EXISTS idx_cases_listing_region_id ON cases (status, region, last_seen_date, id, sex, age, sort_name);
DROP INDEX IF EXISTS idx_cases_listing_seen;
DROP INDEX IF EXISTS idx_cases_listing_name;
DROP INDEX IF EXISTS idx_cases_listing_region;
