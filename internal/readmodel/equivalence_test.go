package readmodel

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// Fictional name parts chosen for ties and collation traps: the same
// name in other case or accents (same sort_name, so the id decides),
// apostrophes, hyphens, letters such as Ø and Æ that the two databases
// collate differently.
var (
	seedFirst = []string{"Maeve", "maeve", "Côté", "Cote", "Ødegaard", "Æsa", "O'Dea", "Odea", "Kit", "Jude", "Anne-Marie", "Zeb", "Ívar", "Rémi"}
	seedLast  = []string{"Gullcry", "Tukamore", "O'Brien", "OBrien", "Mac Donald", "McDonald", "St. John", "Aalto", "zuniga", "Ærø"}
	seedTowns = []string{"Harbour Grace", "Little Catalina", "Port Blandford", "Tilting", "Nain", "Cartwright", ""}
	seedDates = []string{"2024-02-29", "2025-01-01", "2025-06-15", "2025-06-16", "2025-12-31", "2026-01-01", "2026-03-14"}
)

// seedCases creates n fictional cases through the store's own API (so
// sort names, derived ages, photos and statuses are what production
// writes) and returns how many are public.
func seedCases(t *testing.T, s *store.Store, n int, seed uint64) int {
	t.Helper()
	ctx := t.Context()
	r := rand.New(rand.NewPCG(seed, 7))
	public := 0
	for i := range n {
		name := seedFirst[r.IntN(len(seedFirst))] + " " + seedLast[r.IntN(len(seedLast))]
		c := &store.Case{
			FullName: name, Sex: store.Sexes[r.IntN(len(store.Sexes))], Region: store.Regions[r.IntN(len(store.Regions))],
			Community: seedTowns[r.IntN(len(seedTowns))], LastSeenPlace: "Water Street",
			LastSeenDate: day(seedDates[r.IntN(len(seedDates))]), Features: "small scar",
			PoliceAgency: "RNC", PoliceFileNumber: fmt.Sprintf("F-%d", i), PolicePhone: "709-555-0100", PoliceVerified: true,
		}
		if r.IntN(4) == 0 {
			c.Aliases = seedFirst[r.IntN(len(seedFirst))]
		}
		switch r.IntN(4) {
		case 0: // unknown age
		case 1: // birth date only: the store derives the age
			c.BirthDate = ptr(day("1990-06-15").AddDate(r.IntN(30), 0, r.IntN(300)))
		default:
			c.Age = ptr(r.IntN(95))
		}
		var photos []store.Photo
		if r.IntN(3) > 0 {
			photos = []store.Photo{{Key: fmt.Sprintf("p%d", i), Primary: true, Width: 800, Height: 1000, Alt: "alt " + name}}
			if r.IntN(2) == 0 {
				photos = append(photos, store.Photo{Key: fmt.Sprintf("q%d", i), Width: 10, Height: 10})
			}
		}
		id, err := s.CreateCase(ctx, c, store.ReporterContact{}, photos, nil)
		if err != nil {
			t.Fatal(err)
		}
		var path []store.Status
		switch k := r.IntN(10); {
		case k < 6:
			path = []store.Status{store.StatusMissing}
		case k < 8:
			path = []store.Status{store.StatusMissing, store.StatusLocated}
		case k < 9:
			path = []store.Status{store.StatusMissing, store.StatusArchived}
		default: // stays pending
		}
		for _, st := range path {
			if err := s.TransitionCase(ctx, id, st, "test", nil); err != nil {
				t.Fatal(err)
			}
		}
		if len(path) > 0 && path[len(path)-1].Public() {
			public++
		}
		if len(path) == 2 && path[1] == store.StatusLocated && r.IntN(3) == 0 {
			if _, err := s.WithdrawPersonal(ctx, id, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	return public
}

// randomQuery draws a query without text over every filter, including
// values that match nothing and hostile pages.
func randomQuery(r *rand.Rand) store.CaseQuery {
	var q store.CaseQuery
	statusSets := [][]store.Status{nil, {store.StatusMissing}, {store.StatusLocated},
		{store.StatusMissing, store.StatusLocated}, {store.StatusLocated, store.StatusLocated}}
	q.Statuses = statusSets[r.IntN(len(statusSets))]
	if r.IntN(3) == 0 {
		q.Region = append(slices.Clone(store.Regions), "Nowhere")[r.IntN(len(store.Regions)+1)]
	}
	if r.IntN(3) == 0 {
		q.Sex = append(slices.Clone(store.Sexes), "x")[r.IntN(len(store.Sexes)+1)]
	}
	if r.IntN(3) == 0 {
		q.AgeMin = ptr(r.IntN(100) - 5)
	}
	if r.IntN(3) == 0 {
		q.AgeMax = ptr(r.IntN(100))
	}
	if r.IntN(3) == 0 {
		q.Since = ptr(day(seedDates[r.IntN(len(seedDates))]).AddDate(0, 0, r.IntN(3)-1))
	}
	if r.IntN(3) == 0 {
		q.Until = ptr(day(seedDates[r.IntN(len(seedDates))]).AddDate(0, 0, r.IntN(3)-1))
	}
	q.Sort = []string{"", store.SortRecent, store.SortOldest, store.SortName, "bogus"}[r.IntN(5)]
	q.PerPage = []int{0, 1, 3, 7, 20, 100, 1000, -5}[r.IntN(8)]
	q.Page = []int{0, 1, 1, 2, 3, 5, 9, 40, -1, 1 << 40}[r.IntN(10)]
	return q
}

func describe(q store.CaseQuery) string {
	s := fmt.Sprintf("statuses=%v region=%q sex=%q sort=%q page=%d per=%d", q.Statuses, q.Region, q.Sex, q.Sort, q.Page, q.PerPage)
	if q.AgeMin != nil {
		s += fmt.Sprintf(" age>=%d", *q.AgeMin)
	}
	if q.AgeMax != nil {
		s += fmt.Sprintf(" age<=%d", *q.AgeMax)
	}
	if q.Since != nil {
		s += " since=" + q.Since.Format(time.DateOnly)
	}
	if q.Until != nil {
		s += " until=" + q.Until.Format(time.DateOnly)
	}
	return s
}

// sameAsStore fails the test when the model's answer to q differs from
// the store's in any case shown, their order, the total or the page.
func sameAsStore(t *testing.T, ctx context.Context, s *store.Store, m *Model, q store.CaseQuery) {
	t.Helper()
	want, err := s.SearchCases(ctx, q)
	if err != nil {
		t.Fatalf("%s: %v", describe(q), err)
	}
	got := m.Query(q)
	if got.Total != want.Total || got.Page != want.Page || got.PerPage != want.PerPage || len(got.Cases) != len(want.Cases) {
		t.Fatalf("%s:\nmodel total %d page %d/%d, %d cases\nstore total %d page %d/%d, %d cases", describe(q),
			got.Total, got.Page, got.PerPage, len(got.Cases), want.Total, want.Page, want.PerPage, len(want.Cases))
	}
	for i := range want.Cases {
		if g, w := caseKey(&got.Cases[i]), caseKey(&want.Cases[i]); g != w {
			t.Fatalf("%s: case %d of the page:\nmodel %s\nstore %s", describe(q), i, g, w)
		}
	}
}

// TestQueryMatchesSearchCases is the model's contract: for every query
// without text it answers what store.SearchCases answers, on both
// databases, over data with ties (same names, same dates), unknown ages,
// ages derived from birth dates, photos, withdrawn details and every
// status.
func TestQueryMatchesSearchCases(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		public := seedCases(t, s, 160, 1)
		m, err := New(ctx, s, buildWordIndex, quietLogger())
		if err != nil {
			t.Fatal(err)
		}
		if m.Len() != public {
			t.Fatalf("model holds %d cases, %d are public", m.Len(), public)
		}
		fixed := []store.CaseQuery{
			{},
			{Sort: store.SortName, PerPage: 100},
			{Statuses: []store.Status{store.StatusMissing, store.StatusLocated}, Sort: store.SortOldest, PerPage: 100},
			{Statuses: []store.Status{store.StatusMissing, store.StatusLocated}, Sort: store.SortName, PerPage: 100, Page: 2},
			{Statuses: []store.Status{store.StatusLocated}, Sort: store.SortRecent, PerPage: 3},
			{Page: 1_000_000_000},
			{Page: 1 << 40, PerPage: 1 << 40},
			{PerPage: -1},
			{Sort: "'; DROP TABLE cases; --"},
			{AgeMin: ptr(50), AgeMax: ptr(10)},
			{AgeMin: ptr(-1 << 40)},
			{Since: ptr(day("2026-01-01")), Until: ptr(day("2025-01-01"))},
			{Since: ptr(day("2025-06-15")), Until: ptr(day("2025-06-15")), Sort: store.SortName},
			{Since: ptr(time.Date(2025, 6, 15, 23, 30, 0, 0, time.FixedZone("NST", -3*3600-1800)))},
			{Sex: "female", AgeMax: ptr(30), Sort: store.SortOldest, Page: 2, PerPage: 5},
		}
		for _, q := range fixed {
			sameAsStore(t, ctx, s, m, q)
		}
		r := rand.New(rand.NewPCG(42, 42))
		for range 600 {
			sameAsStore(t, ctx, s, m, randomQuery(r))
		}
		// Every page of each order, to the one past the end.
		for _, sortBy := range []string{store.SortRecent, store.SortOldest, store.SortName} {
			for pg := 1; pg <= public/7+2; pg++ {
				sameAsStore(t, ctx, s, m, store.CaseQuery{Statuses: []store.Status{store.StatusMissing, store.StatusLocated}, Sort: sortBy, Page: pg, PerPage: 7})
			}
		}
	})
}
