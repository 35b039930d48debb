package readmodel

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// plainIndex hides SearchWindow: the snapshot then ranks every match and
// filters them itself, as before WindowIndex.
type plainIndex struct{ TextIndex }

// TestWindowIndexSamePages: listing pages of a text search are the same
// whether the index filters and ranks for the page (WindowIndex) or the
// snapshot filters a full ranking: every sort, status set, region, sex and
// age filter, on first, middle and past-the-end pages.
func TestWindowIndexSamePages(t *testing.T) {
	ps := genSnapshot(6_000)
	// A pending case and a repeated one, which never become cards: the
	// index must still line up with the cards (newSnapshot).
	pending, dup := ps.Cases[10], ps.Cases[20]
	pending.ID, pending.Status = 999_999, store.StatusPending
	dup.FullName = "Duplicate Zyxwvut"
	ps.Cases = append(ps.Cases[:30:30], append([]store.Case{pending, dup}, ps.Cases[30:]...)...)
	win := newSnapshot(ps, SearchIndex)
	plain := newSnapshot(ps, func(cs []store.Case) TextIndex { return plainIndex{SearchIndex(cs)} })
	if _, ok := win.index.(WindowIndex); !ok {
		t.Fatal("SearchIndex is not a WindowIndex")
	}
	var words []string
	for i := 0; i < len(ps.Cases); i += 97 {
		c := ps.Cases[i]
		name := strings.Fields(c.FullName)
		words = append(words, name[len(name)-1], name[0][:min(3, len(name[0]))], c.Community, c.FullName+"x")
	}
	words = append(words, "Zyxwvut", pending.FullName, "brown", "red jacket", "cove", "Avalon", "zzqxw", "Water Street")
	age := func(n int) *int { return &n }
	// genSnapshot's cases were last seen from 2000 to 2026.
	day := func(y int) *time.Time { t := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC); return &t }
	queries := []store.CaseQuery{
		{}, {Sort: store.SortName}, {Sort: store.SortRecent}, {Sort: store.SortOldest},
		{Statuses: []store.Status{store.StatusMissing, store.StatusLocated}},
		{Statuses: []store.Status{store.StatusLocated}, Sort: store.SortName},
		{Region: store.Regions[0]}, {Sex: store.Sexes[1], AgeMin: age(20), AgeMax: age(60)},
		{Region: "Nowhere"},
		{Region: store.Regions[1], Statuses: []store.Status{store.StatusLocated}},
		{Region: store.Regions[2], Since: day(2010), Sort: store.SortOldest},
		{Until: day(2020), Statuses: []store.Status{store.StatusMissing, store.StatusLocated}},
	}
	compared, nonEmpty := 0, 0
	for _, w := range words {
		for _, base := range queries {
			for _, page := range []int{1, 2, 7, 400} {
				q := base
				q.Q, q.Page = w, page
				for _, prefix := range []bool{false, true} {
					got, want := win.query(q, prefix), plain.query(q, prefix)
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("%+v prefix %v: window index gives %s, plain %s", q, prefix, brief(got), brief(want))
					}
					compared++
					if len(got.Cases) > 0 {
						nonEmpty++
					}
				}
			}
		}
	}
	if nonEmpty < compared/4 {
		t.Fatalf("only %d of %d pages had cases: the test data is too thin", nonEmpty, compared)
	}
}

func brief(r *Result) string {
	ids := make([]int64, len(r.Cases))
	for i, c := range r.Cases {
		ids[i] = c.ID
	}
	return fmt.Sprintf("total %d page %d ids %v suggestion %q", r.Total, r.Page, ids, r.Suggestion)
}
