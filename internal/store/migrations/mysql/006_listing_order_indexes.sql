-- Listing indexes that deliver each sort's ORDER BY (see sqlite/006).
-- SearchCases orders by (last_seen_date, id) or (sort_name, id); the 004
-- indexes put region, sex and age between the sort column and the primary
-- key InnoDB appends, so the order stopped at the first column and every
-- listing filesorted all published cases (EXPLAIN "Using filesort").
-- With id right after the sort column, a page is read in index order and
-- the LIMIT stops the scan; the filter columns stay after id so the
-- indexes still cover every filter.
-- The new indexes are created before the old ones are dropped, so the
-- listing is never left without one. DDL commits implicitly; the runner
-- skips "already exists" / "does not exist" errors, so a half-applied step
-- can simply be re-run.
CREATE INDEX idx_cases_listing_seen_id ON cases (status, last_seen_date, id, region, sex, age);
CREATE INDEX idx_cases_listing_name_id ON cases (status, sort_name, id, region, sex, age, last_seen_date);
CREATE INDEX idx_cases_listing_region_id ON cases (status, region, last_seen_date, id, sex, age, sort_name);
DROP INDEX idx_cases_listing_seen ON cases;
DROP INDEX idx_cases_listing_name ON cases;
DROP INDEX idx_cases_listing_region ON cases;
