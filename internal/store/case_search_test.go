package store

import (
	"testing"
)

// names returns the full names of a result page, in order.
func names(l *CaseList) []string {
	out := []string{}
	for _, c := range l.Cases {
		out = append(out, c.FullName)
	}
	return out
}

func sameList(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func search(t *testing.T, s *Store, q CaseQuery) *CaseList {
	t.Helper()
	l, err := s.SearchCases(ctxT(t), q)
	if err != nil {
		t.Fatalf("SearchCases(%+v): %v", q, err)
	}
	return l
}

func TestSearchBasics(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		a := newCase("Keziah Ronan")
		a.LastSeenDate = date("2026-01-10")
		a.Region = "Western"
		mustCreate(t, s, a, StatusMissing)
		b := newCase("Bram Keeley")
		b.LastSeenDate = date("2026-02-10")
		b.Sex = "male"
		mustCreate(t, s, b, StatusMissing)
		c := newCase("Keziah Doyle")
		c.LastSeenDate = date("2025-12-01")
		mustCreate(t, s, c, StatusLocated)
		mustCreate(t, s, newCase("Keziah Pending"), StatusPending)

		l := search(t, s, CaseQuery{})
		if want := []string{"Bram Keeley", "Keziah Ronan"}; !sameList(names(l), want) || l.Total != 2 || l.Page != 1 || l.PerPage != 20 {
			t.Fatalf("default listing = %v total %d page %d/%d", names(l), l.Total, l.Page, l.PerPage)
		}
		l = search(t, s, CaseQuery{Q: "keziah"})
		if want := []string{"Keziah Ronan"}; !sameList(names(l), want) {
			t.Fatalf("q=keziah → %v", names(l))
		}
		l = search(t, s, CaseQuery{Q: "keziah", Statuses: []Status{StatusMissing, StatusLocated}, Sort: SortOldest})
		if want := []string{"Keziah Doyle", "Keziah Ronan"}; !sameList(names(l), want) {
			t.Fatalf("q=keziah located+missing oldest → %v", names(l))
		}
		l = search(t, s, CaseQuery{Sex: "male"})
		if want := []string{"Bram Keeley"}; !sameList(names(l), want) {
			t.Fatalf("sex=male → %v", names(l))
		}
		l = search(t, s, CaseQuery{Region: "Western", Sort: SortName})
		if want := []string{"Keziah Ronan"}; !sameList(names(l), want) {
			t.Fatalf("region → %v", names(l))
		}
	})
}
