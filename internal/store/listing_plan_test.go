package store

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// listingPlanQueries are the id queries SearchCases sends for a listing
// without text (step 1 in case_search.go, same WHERE and ORDER BY), one
// per sort and the region filter. Migration 006 gives each an index in
// exactly its order, so none of them may sort: a sort here means every
// published case is read and sorted on each page view.
var listingPlanQueries = map[string]string{
	"recent":        "SELECT c.id FROM cases c WHERE c.status IN (?) ORDER BY c.last_seen_date DESC, c.id DESC LIMIT 20 OFFSET 0",
	"oldest":        "SELECT c.id FROM cases c WHERE c.status IN (?) ORDER BY c.last_seen_date ASC, c.id ASC LIMIT 20 OFFSET 0",
	"name":          "SELECT c.id FROM cases c WHERE c.status IN (?) ORDER BY c.sort_name ASC, c.id ASC LIMIT 20 OFFSET 0",
	"region recent": "SELECT c.id FROM cases c WHERE c.status IN (?) AND c.region = 'Avalon' ORDER BY c.last_seen_date DESC, c.id DESC LIMIT 20 OFFSET 40",
	"since recent":  "SELECT c.id FROM cases c WHERE c.status IN (?) AND c.last_seen_date >= '2020-01-01' ORDER BY c.last_seen_date DESC, c.id DESC LIMIT 20 OFFSET 0",
}

// planText returns the query plan as one string per row.
func planText(t *testing.T, s *Store, query string) []string {
	t.Helper()
	prefix := "EXPLAIN "
	if s.Dialect() == "sqlite" {
		prefix = "EXPLAIN QUERY PLAN "
	}
	cols, rows := queryStrings(t, s, prefix+query, string(StatusMissing))
	var out []string
	for _, row := range rows {
		var b strings.Builder
		for i, v := range row {
			b.WriteString(cols[i])
			b.WriteString("=")
			b.WriteString(strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(v, "\n", " "), "\t", " ")))
			b.WriteString(" ")
		}
		out = append(out, b.String())
	}
	return out
}

// queryStrings runs q on the read pool and returns its column names and
// every row with each value as text (NULL as "").
func queryStrings(t *testing.T, s *Store, q string, args ...any) (cols []string, out [][]string) {
	t.Helper()
	rows, err := s.db.QueryContext(ctxT(t), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	if cols, err = rows.Columns(); err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			switch x := v.(type) {
			case []byte:
				row[i] = string(x)
			case nil:
				row[i] = ""
			default:
				row[i] = fmt.Sprint(x)
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return cols, out
}

// TestListingNeedsNoSort checks, on the planner's own word, that the
// listing pages come straight off an index in ORDER BY order: no "Using
// filesort" on MySQL, no "TEMP B-TREE" on SQLite. The tables are seeded
// (5,000 cases, analyzed) so that MySQL's cost model faces a realistic
// choice rather than an empty table.
func TestListingNeedsNoSort(t *testing.T) {
	stores := map[string]*Store{"sqlite": newSQLiteStore(t, true)}
	if dsn := os.Getenv(mysqlEnv); dsn != "" {
		stores["mysql"] = newMySQLStore(t, dsn, true)
	}
	for d, s := range stores {
		if err := seedBench(ctxT(t), s, 5000); err != nil {
			t.Fatalf("%s: seed: %v", d, err)
		}
		for name, q := range listingPlanQueries {
			plan := planText(t, s, q)
			joined := strings.Join(plan, " | ")
			if len(plan) == 0 {
				t.Errorf("%s %s: empty plan", d, name)
			}
			if strings.Contains(joined, "filesort") || strings.Contains(joined, "TEMP B-TREE") {
				t.Errorf("%s %s: listing sorts instead of reading an index in order:\n%s", d, name, joined)
			}
			if !strings.Contains(joined, "idx_cases_listing_") {
				t.Errorf("%s %s: listing does not use a listing index:\n%s", d, name, joined)
			}
		}
	}
}
