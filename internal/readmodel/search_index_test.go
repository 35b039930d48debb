package readmodel

import (
	"fmt"
	"slices"
	"testing"

	"lostinnl/internal/store"
)

// TestSearchIndex runs the model with the real index on both databases:
// the same query finds the same cases whichever database holds them (the
// old FULLTEXT search did not: MariaDB ignored words under 3 letters), and
// filters narrow what the index ranked.
func TestSearchIndex(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		people := []struct{ name, region, community, hair string }{
			{"Catherine Côté", "Avalon", "St. John's", "auburn"},
			{"William MacDonald", "Labrador", "Happy Valley-Goose Bay", "grey"},
			{"Kit Gullcry", "Avalon", "Torbay", "brown"},
			{"Margaret O'Keefe", "Central", "Gander", "black"},
			{"Katherine Walsh", "Labrador", "Nain", "auburn"},
		}
		id := map[string]int64{}
		for i, p := range people {
			c := &store.Case{
				FullName: p.name, Sex: "female", Region: p.region, Community: p.community, HairColour: p.hair,
				Age: ptr(21 + i), LastSeenDate: day("2026-10-01"), LastSeenPlace: "near the wharf",
				PoliceAgency: "RNC", PoliceFileNumber: fmt.Sprintf("S-%d", i), PolicePhone: "709-555-0100", PoliceVerified: true,
			}
			n, err := s.CreateCase(ctx, c, store.ReporterContact{}, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.TransitionCase(ctx, n, store.StatusMissing, "test", nil); err != nil {
				t.Fatal(err)
			}
			id[p.name] = n
		}
		m, err := New(ctx, s, SearchIndex, quietLogger())
		if err != nil {
			t.Fatal(err)
		}
		both := []store.Status{store.StatusMissing, store.StatusLocated}
		for _, tc := range []struct {
			q      string
			region string
			want   []string // in this order, first ones
		}{
			{q: "Katherine", want: []string{"Katherine Walsh", "Catherine Côté"}},
			{q: "cote", want: []string{"Catherine Côté"}},
			{q: "Bill McDonald", want: []string{"William MacDonald"}},
			{q: "Kit Gullcry 23", want: []string{"Kit Gullcry"}},
			{q: "St Johns", want: []string{"Catherine Côté"}},
			{q: "labrador", want: []string{"William MacDonald", "Katherine Walsh"}},
			{q: "auburn", region: "Labrador", want: []string{"Katherine Walsh"}},
			{q: "Peggy okeefe", want: []string{"Margaret O'Keefe"}},
		} {
			r := m.Query(store.CaseQuery{Q: tc.q, Statuses: both, Region: tc.region})
			var got []string
			for _, c := range r.Cases {
				got = append(got, c.FullName)
			}
			if len(got) < len(tc.want) || !sameSet(got[:len(tc.want)], tc.want) || r.Total != len(got) {
				t.Errorf("%q (region %q): %v (total %d), want first %v", tc.q, tc.region, got, r.Total, tc.want)
			}
		}
		if r := m.Query(store.CaseQuery{Q: "Gullcri", Statuses: both}); len(r.Cases) != 1 || r.Cases[0].ID != id["Kit Gullcry"] {
			t.Errorf("one typo: %v", ids(r.Cases))
		}
		if r := m.QueryPrefix(store.CaseQuery{Q: "Marg", Statuses: both}); len(r.Cases) != 1 || r.Cases[0].ID != id["Margaret O'Keefe"] {
			t.Errorf("prefix: %v", ids(r.Cases))
		}
		// Too far for a typo: nothing found, and "Did you mean" offers
		// the closest words, which find the case.
		r := m.Query(store.CaseQuery{Q: "Kit Gxllcrxx", Statuses: both})
		if len(r.Cases) != 0 || r.Suggestion == "" {
			t.Errorf("near miss: %v, suggestion %q", ids(r.Cases), r.Suggestion)
		} else if r := m.Query(store.CaseQuery{Q: r.Suggestion, Statuses: both}); len(r.Cases) == 0 || r.Cases[0].ID != id["Kit Gullcry"] {
			t.Errorf("the suggestion finds %v", ids(r.Cases))
		}
		if r := m.Query(store.CaseQuery{Q: "Zzyzx Qwerty", Statuses: both}); len(r.Cases) != 0 || r.Total != 0 {
			t.Errorf("nonsense found %v", ids(r.Cases))
		}
	})
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
