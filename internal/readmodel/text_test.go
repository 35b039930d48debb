package readmodel

import (
	"slices"
	"testing"

	"lostinnl/internal/store"
)

func ids(cs []store.Case) []int64 {
	out := make([]int64, len(cs))
	for i := range cs {
		out[i] = cs[i].ID
	}
	return out
}

// TestTextQuery: with text, the index (here the wordIndex test double)
// picks and ranks the cases, the filters narrow them, and an explicit sort
// orders them exactly as the same listing without text would.
func TestTextQuery(t *testing.T) {
	s := openSQLite(t, t.TempDir()+"/rm.db")
	seedCases(t, s, 160, 3)
	m, err := New(t.Context(), s, buildWordIndex, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	both := []store.Status{store.StatusMissing, store.StatusLocated}
	ix := m.cur.Load().index

	for _, text := range []string{"maeve", "Côté", "obrien", "harbour grace", "tilting kit", "o'dea"} {
		ranked, _ := ix.Search(text, false)
		public := map[int64]bool{}
		for _, c := range m.Query(store.CaseQuery{Statuses: both, PerPage: 100, Sort: store.SortName}).Cases {
			public[c.ID] = true
		}
		for _, c := range m.Query(store.CaseQuery{Statuses: both, PerPage: 100, Sort: store.SortName, Page: 2}).Cases {
			public[c.ID] = true
		}
		var wantRel []int64
		for _, id := range ranked {
			if public[id] {
				wantRel = append(wantRel, id)
			}
		}
		if len(wantRel) == 0 {
			t.Fatalf("%q matches no public case: pick another word", text)
		}
		// Relevance: the index's order, public cases only, over pages.
		var got []int64
		for pg := 1; ; pg++ {
			r := m.Query(store.CaseQuery{Q: text, Statuses: both, Page: pg, PerPage: 3})
			if r.Total != len(wantRel) {
				t.Fatalf("%q: total %d, want %d", text, r.Total, len(wantRel))
			}
			if len(r.Cases) == 0 {
				break
			}
			got = append(got, ids(r.Cases)...)
		}
		if !slices.Equal(got, wantRel) {
			t.Fatalf("%q by relevance: %v, want %v", text, got, wantRel)
		}

		// Explicit sorts and filters: the listing's order restricted to
		// the matches.
		for _, q := range []store.CaseQuery{
			{Statuses: both, Sort: store.SortName},
			{Statuses: both, Sort: store.SortRecent},
			{Statuses: both, Sort: store.SortOldest},
			{Statuses: both, Sort: "bogus"},
			{Sort: store.SortOldest},
			{Statuses: []store.Status{store.StatusLocated}, Sort: store.SortName},
			{Statuses: both, Sort: store.SortName, Sex: "female"},
			{Statuses: both, Sort: store.SortRecent, AgeMin: ptr(20), AgeMax: ptr(60)},
			{Statuses: both, Sort: store.SortRecent, Region: "Avalon", Since: ptr(day("2025-06-16"))},
		} {
			q.PerPage = 100
			match := map[int64]bool{}
			for _, id := range wantRel {
				match[id] = true
			}
			var want []int64
			for pg := 1; pg <= 2; pg++ {
				q.Page = pg
				for _, id := range ids(m.Query(q).Cases) {
					if match[id] {
						want = append(want, id)
					}
				}
			}
			tq := q
			tq.Q, tq.Page = text, 1
			r := m.Query(tq)
			if got := ids(r.Cases); !slices.Equal(got, want) || r.Total != len(want) {
				t.Fatalf("%q %s: %v (total %d), want %v", text, describe(tq), got, r.Total, want)
			}
		}
	}
}

func TestTextQueryEdges(t *testing.T) {
	s := openSQLite(t, t.TempDir()+"/rm.db")
	seedCases(t, s, 60, 5)
	m, err := New(t.Context(), s, buildWordIndex, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	// Blank text is no text: the listing, as SearchCases does.
	if got, want := ids(m.Query(store.CaseQuery{Q: "  \t "}).Cases), ids(m.Query(store.CaseQuery{}).Cases); !slices.Equal(got, want) {
		t.Fatalf("blank q = %v, listing %v", got, want)
	}
	// Nothing found: empty page, zero total, the index's suggestion.
	r := m.Query(store.CaseQuery{Q: "zzyzx"})
	if len(r.Cases) != 0 || r.Total != 0 || r.Suggestion != "ZZYZX" {
		t.Fatalf("no match: %d cases, total %d, suggestion %q", len(r.Cases), r.Total, r.Suggestion)
	}
	// Punctuation only: no word, no match.
	if r := m.Query(store.CaseQuery{Q: `"*-+()%'`}); r.Total != 0 || len(r.Cases) != 0 {
		t.Fatalf("punctuation: total %d", r.Total)
	}
	// The prefix flag reaches the index: "mae" is no word, but a prefix of Maeve.
	if r := m.Query(store.CaseQuery{Q: "mae", Statuses: []store.Status{store.StatusMissing, store.StatusLocated}}); r.Total != 0 {
		t.Fatalf("mae as a word: total %d", r.Total)
	}
	if r := m.QueryPrefix(store.CaseQuery{Q: "mae", Statuses: []store.Status{store.StatusMissing, store.StatusLocated}}); r.Total == 0 {
		t.Fatal("mae as a prefix found nothing")
	}
	// A page past the end of the matches is empty but keeps the total.
	all := m.Query(store.CaseQuery{Q: "maeve", Statuses: []store.Status{store.StatusMissing, store.StatusLocated}})
	past := m.Query(store.CaseQuery{Q: "maeve", Statuses: []store.Status{store.StatusMissing, store.StatusLocated}, Page: 1_000_000_000})
	if len(past.Cases) != 0 || past.Total != all.Total || all.Total == 0 || past.Page != 1<<20 {
		t.Fatalf("page past the end: %d cases, total %d (want %d), page %d", len(past.Cases), past.Total, all.Total, past.Page)
	}
}

// staleIndex returns ids the snapshot does not hold (a pending case, one
// deleted since): the model must skip them, not fail.
type staleIndex struct{ ids []int64 }

func (x staleIndex) Search(string, bool) ([]int64, string) { return x.ids, "" }

func TestTextIndexUnknownIDs(t *testing.T) {
	s := openSQLite(t, t.TempDir()+"/rm.db")
	seedCases(t, s, 30, 9)
	var known int64
	m, err := New(t.Context(), s, func(cs []store.Case) TextIndex {
		known = cs[0].ID
		return staleIndex{ids: []int64{-1, 1 << 50, cs[0].ID, 0}}
	}, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	r := m.Query(store.CaseQuery{Q: "anything", Statuses: []store.Status{store.StatusMissing, store.StatusLocated}})
	if r.Total != 1 || len(r.Cases) != 1 || r.Cases[0].ID != known {
		t.Fatalf("got %v total %d, want only %d", ids(r.Cases), r.Total, known)
	}
}
