package readmodel

import (
	"math"
	"slices"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// TestHostileQueries: values a URL can carry (the web layer rejects most
// of them first) give bounded, sensible answers and never panic. The
// equivalence test proves the same values give SearchCases' answers.
func TestHostileQueries(t *testing.T) {
	m := &Model{}
	m.cur.Store(newSnapshot(genSnapshot(500), noIndex))
	recent := ids(m.Query(store.CaseQuery{Sort: store.SortRecent}).Cases)
	total := m.Query(store.CaseQuery{}).Total
	for _, tc := range []struct {
		name      string
		q         store.CaseQuery
		page, per int
		total     int // -1: the default listing's
		same      bool
	}{
		{"page 10^9", store.CaseQuery{Page: 1_000_000_000}, 1 << 20, 20, -1, false},
		{"page max int", store.CaseQuery{Page: math.MaxInt, PerPage: math.MaxInt}, 1 << 20, 100, -1, false},
		{"page min int", store.CaseQuery{Page: math.MinInt}, 1, 20, -1, true},
		{"per page negative", store.CaseQuery{PerPage: -100}, 1, 20, -1, true},
		{"per page huge", store.CaseQuery{PerPage: 1 << 40}, 1, 100, -1, false},
		{"unknown sort", store.CaseQuery{Sort: "relevance; DROP TABLE cases"}, 1, 20, -1, true},
		{"age min above max", store.CaseQuery{AgeMin: ptr(60), AgeMax: ptr(20)}, 1, 20, 0, false},
		{"age extremes", store.CaseQuery{AgeMin: ptr(math.MinInt), AgeMax: ptr(math.MaxInt)}, 1, 20, -2, false},
		{"since after until", store.CaseQuery{Since: ptr(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)), Until: ptr(time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC))}, 1, 20, 0, false},
		{"far dates", store.CaseQuery{Since: ptr(time.Date(-100000, 1, 1, 0, 0, 0, 0, time.UTC)), Until: ptr(time.Date(300000, 1, 1, 0, 0, 0, 0, time.UTC))}, 1, 20, -1, true},
		{"unknown region", store.CaseQuery{Region: "Avalon' OR 1=1"}, 1, 20, 0, false},
		{"unknown sex", store.CaseQuery{Sex: "\x00"}, 1, 20, 0, false},
		{"non-public status only", store.CaseQuery{Statuses: []store.Status{store.StatusPending, "bogus"}}, 1, 20, 0, false},
		{"huge text", store.CaseQuery{Q: string(make([]byte, 1<<16))}, 1, 20, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := m.Query(tc.q)
			if r.Page != tc.page || r.PerPage != tc.per {
				t.Fatalf("page %d/%d, want %d/%d", r.Page, r.PerPage, tc.page, tc.per)
			}
			switch tc.total {
			case -1:
				if r.Total != total {
					t.Fatalf("total %d, want the listing's %d", r.Total, total)
				}
			case -2:
				if r.Total == 0 || r.Total > total {
					t.Fatalf("total %d", r.Total)
				}
			default:
				if r.Total != tc.total || len(r.Cases) != 0 {
					t.Fatalf("total %d with %d cases, want %d", r.Total, len(r.Cases), tc.total)
				}
			}
			if tc.same && !slices.Equal(ids(r.Cases), recent) {
				t.Fatalf("not the first page of the listing: %v", ids(r.Cases))
			}
			if r.Cases == nil {
				t.Fatal("nil Cases: templates and JSON expect an empty list")
			}
		})
	}
}
