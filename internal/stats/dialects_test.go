package stats_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"lostinnl/internal/stats"
	"lostinnl/internal/store"
	"lostinnl/internal/testdb"
)

// TestReportOnEachDialect: the same fixed record gives the same report,
// suppression included, from SQLite and from MySQL/MariaDB (when
// LOSTINNL_TEST_MYSQL_DSN names a server).
func TestReportOnEachDialect(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		checkFixedRecord(t, openStore(t, "sqlite:"+filepath.Join(t.TempDir(), "stats.db")))
	})
	t.Run("mysql", func(t *testing.T) {
		admin := os.Getenv(testdb.Env)
		if admin == "" {
			t.Skip(testdb.Env + " not set")
		}
		checkFixedRecord(t, openStore(t, testdb.MySQL(t, admin, "lostinnl_stats_")))
	})
}

func openStore(t *testing.T, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dsn, store.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func checkFixedRecord(t *testing.T, s *store.Store) {
	ctx := t.Context()
	n := 0
	add := func(region, seen string, path ...store.Status) {
		t.Helper()
		n++
		d, err := time.Parse("2006-01-02", seen)
		if err != nil {
			t.Fatal(err)
		}
		age := 30
		c := &store.Case{FullName: fmt.Sprintf("Fixedrecord Person%d", n), Sex: "male", Region: region, Community: "Somewhere",
			LastSeenDate: d, Age: &age, PoliceAgency: "RCMP", PoliceFileNumber: fmt.Sprintf("FR-%d", n), PoliceVerified: true,
			Status: store.StatusMissing}
		if len(path) > 0 && path[0] == store.StatusPending {
			c.Status, path = store.StatusPending, path[1:]
		}
		id, err := s.CreateCase(ctx, c, store.ReporterContact{}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, to := range path {
			if err := s.TransitionCase(ctx, id, to, "test", nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	for range 7 {
		add("Avalon", "2026-02-01")
	}
	for range 4 {
		add("Central", "2025-12-31")
	}
	for range 6 {
		add("Western", "2025-01-01", store.StatusLocated)
	}
	add("Labrador", "2019-07-07", store.StatusLocated, store.StatusArchived) // located, then closed: counted
	add("Labrador", "2026-03-03", store.StatusArchived)                      // taken off while missing: not counted
	add("Eastern", "2026-03-03", store.StatusPending)                        // never public
	add("Eastern", "2026-03-03", store.StatusPending, store.StatusRejected)

	cs, err := s.CaseStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r := stats.Build(cs, store.Regions)
	texts := func(tab stats.Table) []string {
		var out []string
		for _, c := range tab.Cells {
			out = append(out, c.Label+"="+c.Text())
		}
		return out
	}
	for _, tc := range []struct {
		tab  stats.Table
		want []string
	}{
		// Central 4 and Labrador 1 are small: two hidden, nothing withheld.
		{r.Regions, []string{"Avalon=7", "Eastern=0", "Central=fewer than 5", "Western=6", "Labrador=fewer than 5"}},
		// 2019 alone is small: the smallest other count above 0, 2026's
		// 7, is withheld with it.
		{r.Years, []string{"2019=fewer than 5", "2020=0", "2021=0", "2022=0", "2023=0", "2024=0", "2025=10", "2026=not shown"}},
		{r.Status, []string{"Still missing=11", "Located=7"}},
	} {
		if got := texts(tc.tab); !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.tab.Name, got, tc.want)
		}
	}
	if r.Total.Text() != "18" {
		t.Errorf("total %s, want 18", r.Total.Text())
	}
	// Seven located cases, each located moments after its report.
	if m := r.ToLocate; !m.Shown || m.Cases != 7 || m.Text() != "less than an hour" {
		t.Errorf("median %+v %q", m, m.Text())
	}
}
