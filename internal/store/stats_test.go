package store

import (
	"slices"
	"testing"
	"time"
)

// TestCaseStats: the counts cover exactly the public record (missing,
// located, and archived after being located) grouped by region, year of
// last-seen date and outcome, and the report-to-located times are
// located_at − created_at of the located ones, on both dialects.
func TestCaseStats(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		add := func(region, seen string, status Status) int64 {
			c := newCase("Stats Person")
			c.Region, c.LastSeenDate = region, date(seen)
			return mustCreate(t, s, c, status)
		}
		// times sets a case's report and located instants directly: the
		// store stamps both with the clock, too close together to tell.
		times := func(id int64, created, located string) {
			t.Helper()
			ct, err := time.Parse(time.RFC3339, created)
			if err != nil {
				t.Fatal(err)
			}
			lt, err := time.Parse(time.RFC3339, located)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.wdb.ExecContext(ctx, "UPDATE cases SET created_at = ?, located_at = ? WHERE id = ?", dbTime(ct), dbTime(lt), id); err != nil {
				t.Fatal(err)
			}
		}
		for range 3 {
			add("Avalon", "2025-06-30", StatusMissing)
		}
		times(add("Avalon", "2026-01-01", StatusLocated), "2026-01-02T10:00:00Z", "2026-01-03T10:00:00Z") // 24h
		times(add("Avalon", "2026-12-31", StatusLocated), "2026-03-01T00:00:00Z", "2026-03-04T00:00:00Z") // 72h
		// Located, then archived at the end of its public period: still
		// part of the record, as located.
		arch := add("Labrador", "2024-02-29", StatusLocated)
		times(arch, "2024-03-01T00:00:00Z", "2024-03-11T00:00:00Z") // 240h
		if err := s.TransitionCase(ctx, arch, StatusArchived, "", nil); err != nil {
			t.Fatal(err)
		}
		// Located, re-opened: missing again, with no located time.
		reopened := add("Eastern", "2026-05-05", StatusLocated)
		if err := s.TransitionCase(ctx, reopened, StatusMissing, "", nil); err != nil {
			t.Fatal(err)
		}
		// Located before it was entered here (moved in from elsewhere):
		// counted, but its time says nothing.
		times(add("Western", "2023-07-01", StatusLocated), "2025-01-01T00:00:00Z", "2023-07-02T00:00:00Z")
		// Never in the record: taken off while missing, never published.
		add("Central", "2026-04-01", StatusArchived)
		add("Western", "2026-04-01", StatusPending)
		add("Western", "2026-04-01", StatusRejected)

		got, err := s.CaseStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rev, err := s.ContentRevision(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got.Revision != rev {
			t.Errorf("revision %d, want the current %d", got.Revision, rev)
		}
		slices.SortFunc(got.Groups, func(a, b StatsGroup) int {
			if a.Region != b.Region {
				if a.Region < b.Region {
					return -1
				}
				return 1
			}
			return a.Year - b.Year
		})
		want := []StatsGroup{
			{"Avalon", 2025, false, 3},
			{"Avalon", 2026, true, 2},
			{"Eastern", 2026, false, 1},
			{"Labrador", 2024, true, 1},
			{"Western", 2023, true, 1},
		}
		if !slices.Equal(got.Groups, want) {
			t.Errorf("groups\n got %v\nwant %v", got.Groups, want)
		}
		slices.Sort(got.ToLocate)
		wantTimes := []time.Duration{24 * time.Hour, 72 * time.Hour, 240 * time.Hour}
		if !slices.Equal(got.ToLocate, wantTimes) {
			t.Errorf("times to locate %v, want %v", got.ToLocate, wantTimes)
		}
	})
}

// TestCaseStatsEmpty: a site with no public case has no groups, no times
// and still a revision.
func TestCaseStatsEmpty(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		mustCreate(t, s, newCase("Pending Only"), StatusPending)
		got, err := s.CaseStats(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Groups) != 0 || len(got.ToLocate) != 0 {
			t.Errorf("got %+v, want nothing counted", got)
		}
	})
}
