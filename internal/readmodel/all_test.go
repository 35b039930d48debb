package readmodel

import (
	"context"
	"fmt"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// fixedSource serves one snapshot, as given.
type fixedSource struct{ snap *store.PublicSnapshot }

func (f fixedSource) PublicCases(context.Context) (*store.PublicSnapshot, error) { return f.snap, nil }

// TestQueryAll: every match in one page (past the listing's 100 per
// page), up to the limit, with the total of all matches, the filters
// applied, and each case's public point carried through.
func TestQueryAll(t *testing.T) {
	var cases []store.Case
	for i := 1; i <= 250; i++ {
		c := store.Case{ID: int64(i), Status: store.StatusMissing, FullName: fmt.Sprintf("Person %03d", i), Sex: "female",
			Region: "Avalon", LastSeenDate: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)}
		if i%2 == 0 {
			lat, lng := 47.0+float64(i)/1000, -53.0
			c.Latitude, c.Longitude = &lat, &lng
		}
		if i%10 == 0 {
			c.Region = "Central"
		}
		if i == 7 {
			c.Status = store.StatusLocated
		}
		cases = append(cases, c)
	}
	m, err := New(t.Context(), fixedSource{&store.PublicSnapshot{Revision: 1, Cases: cases}}, buildWordIndex, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	q := store.CaseQuery{Statuses: []store.Status{store.StatusMissing}, Sort: store.SortRecent, Page: 3, PerPage: 5}
	res := m.QueryAll(q, 1000)
	if res.Total != 249 || len(res.Cases) != 249 {
		t.Fatalf("all open: total %d, %d cases", res.Total, len(res.Cases))
	}
	if res.Cases[0].ID != 250 || res.Cases[248].ID != 1 {
		t.Errorf("not the recent order: first %d, last %d", res.Cases[0].ID, res.Cases[248].ID)
	}
	placed := 0
	for _, c := range res.Cases {
		if c.Latitude != nil {
			placed++
			if *c.Latitude != 47.0+float64(c.ID)/1000 || *c.Longitude != -53.0 {
				t.Errorf("case %d: point %v,%v", c.ID, *c.Latitude, *c.Longitude)
			}
		} else if c.ID%2 == 0 {
			t.Errorf("case %d lost its point", c.ID)
		}
	}
	if placed != 125 {
		t.Errorf("%d cases with a point, want 125", placed)
	}
	// A copy: changing a result does not change the model.
	*res.Cases[0].Latitude = 0
	if again := m.QueryAll(q, 1); *again.Cases[0].Latitude != 47.25 {
		t.Error("a caller changed the snapshot through a result")
	}

	lim := m.QueryAll(q, 10)
	if lim.Total != 249 || len(lim.Cases) != 10 {
		t.Errorf("limited: total %d, %d cases", lim.Total, len(lim.Cases))
	}
	q.Region = "Central"
	if c := m.QueryAll(q, 1000); c.Total != 25 || len(c.Cases) != 25 {
		t.Errorf("Central: total %d, %d cases", c.Total, len(c.Cases))
	}
	if z := m.QueryAll(q, 0); len(z.Cases) != 1 {
		t.Errorf("limit 0 gave %d cases, want at least 1", len(z.Cases))
	}
}
