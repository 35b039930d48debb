package readmodel

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// changesOnly is the store without case pages: a model over it holds no
// pages, as at a site too large to read them in one query, and is patched
// after a change rather than read whole.
type changesOnly struct{ st *store.Store }

func (c changesOnly) PublicCases(ctx context.Context) (*store.PublicSnapshot, error) {
	return c.st.PublicCases(ctx)
}

func (c changesOnly) PublicChanges(ctx context.Context, since int64, maxCases int) (*store.PublicChanges, error) {
	return c.st.PublicChanges(ctx, since, maxCases)
}

// sameModels fails t unless a and b answer q alike: the page's cases as
// the listings show them, the total and the suggestion.
func sameModels(t *testing.T, what string, a, b *Model, q store.CaseQuery) {
	t.Helper()
	ga, gb := a.Query(q), b.Query(q)
	if ga.Total != gb.Total || ga.Suggestion != gb.Suggestion || len(ga.Cases) != len(gb.Cases) {
		t.Fatalf("%s: q=%q %s: patched total %d %q (%d cases), loaded total %d %q (%d cases)", what, q.Q, describe(q),
			ga.Total, ga.Suggestion, len(ga.Cases), gb.Total, gb.Suggestion, len(gb.Cases))
	}
	for i := range ga.Cases {
		if ka, kb := caseKey(&ga.Cases[i]), caseKey(&gb.Cases[i]); ka != kb {
			t.Fatalf("%s: q=%q %s: case %d:\npatched %s\nloaded  %s", what, q.Q, describe(q), i, ka, kb)
		}
	}
}

// TestPatchMatchesFullLoad: a model patched after each round of writes
// (renames that move a case in the name order, new words, region and
// status changes, publications, archives, photos, updates, public notes
// switched on, withdrawn details, a new published case, a resource)
// answers every listing, filter and search exactly as a model loaded
// whole from the same database, and as the store's own search for the
// listings; and each round was a patch. With the store itself as source
// the model holds the case pages too, and each page is the loaded
// model's, field for field.
func TestPatchMatchesFullLoad(t *testing.T) {
	t.Run("cards", func(t *testing.T) { testPatchMatchesFullLoad(t, false) })
	t.Run("pages", func(t *testing.T) { testPatchMatchesFullLoad(t, true) })
}

func testPatchMatchesFullLoad(t *testing.T, pages bool) {
	eachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		const seeded = 150
		seedCases(t, s, seeded, 3)
		var log syncBuffer
		var src Source = changesOnly{s}
		if pages {
			src = s
		}
		m, err := New(ctx, src, SearchIndex, slog.New(slog.NewTextHandler(&log, nil)))
		if err != nil {
			t.Fatal(err)
		}
		if m.HoldsPages() != pages {
			t.Fatalf("model holds pages: %v, want %v", m.HoldsPages(), pages)
		}
		r := rand.New(rand.NewPCG(5, 8))
		ids := make([]int64, 0, seeded+20)
		for id := range int64(seeded) {
			ids = append(ids, id+1)
		}
		edit := func(id int64, fn func(c *store.Case)) {
			c, err := s.GetCase(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			fn(c)
			if err := s.UpdateCase(ctx, c, nil); err != nil {
				t.Fatal(err)
			}
		}
		fresh := 0
		writes := []func(id int64){
			func(id int64) { // a new name, moving the case in the name order
				fresh++
				edit(id, func(c *store.Case) {
					c.FullName = fmt.Sprintf("%s Quarrington%c", seedFirst[r.IntN(len(seedFirst))], 'a'+rune(fresh%26))
				})
			},
			func(id int64) { // a known name
				edit(id, func(c *store.Case) {
					c.FullName = seedFirst[r.IntN(len(seedFirst))] + " " + seedLast[r.IntN(len(seedLast))]
				})
			},
			func(id int64) {
				edit(id, func(c *store.Case) {
					c.Region = store.Regions[r.IntN(len(store.Regions))]
					c.Community = seedTowns[r.IntN(len(seedTowns))]
					c.HairColour = []string{"auburn", "grey", "black"}[r.IntN(3)]
				})
			},
			func(id int64) { // publish, locate or archive, as the case allows
				to := []store.Status{store.StatusMissing, store.StatusLocated, store.StatusArchived}[r.IntN(3)]
				if err := s.TransitionCase(ctx, id, to, "test", nil); err != nil && !errors.Is(err, store.ErrIllegalTransition) {
					t.Fatal(err)
				}
			},
			func(id int64) {
				if err := s.AddPhotos(ctx, id, []store.Photo{{Key: fmt.Sprintf("new-%d-%d", id, r.IntN(1e6)), Primary: true, Width: 640, Height: 800}}, nil); err != nil {
					t.Fatal(err)
				}
			},
			func(id int64) {
				if _, err := s.AddUpdate(ctx, id, "Search continues.", nil); err != nil {
					t.Fatal(err)
				}
			},
			func(int64) {
				fresh++
				c := newPublished(fmt.Sprintf("Wilhelmina Newcombe%c", 'a'+rune(fresh%26)))
				id, err := s.CreateCase(ctx, c, store.ReporterContact{}, nil, nil)
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, id)
			},
			func(id int64) {
				if _, err := s.SetNotesAllowed(ctx, id, r.IntN(2) == 0, nil); err != nil && !errors.Is(err, store.ErrNotFound) {
					t.Fatal(err)
				}
			},
			func(id int64) {
				if _, err := s.WithdrawPersonal(ctx, id, nil); err != nil && !errors.Is(err, store.ErrIllegalTransition) && !errors.Is(err, store.ErrNotFound) {
					t.Fatal(err)
				}
			},
			func(int64) {
				if _, err := s.CreateResource(ctx, &store.Resource{Title: "Ground Search", Category: store.CategorySearchRescue}, nil); err != nil {
					t.Fatal(err)
				}
			},
		}
		var texts []string
		for _, f := range seedFirst {
			texts = append(texts, f, strings.ToLower(f[:min(3, len(f))]))
		}
		texts = append(texts, "Quarrington", "Quarington", "Newcombe", "auburn", "grey", "Tilting", "Labrador", "nobody")
		for round := range 10 {
			// Most rounds change a few cases (the store gives their
			// places in the order); every fourth changes more than
			// that (the store gives the whole order).
			writesThisRound := 1 + r.IntN(5)
			if round%4 == 3 {
				writesThisRound = 30
			}
			for range writesThisRound {
				writes[r.IntN(len(writes))](ids[r.IntN(len(ids))])
			}
			rev, err := s.ContentRevision(ctx)
			if err != nil {
				t.Fatal(err)
			}
			before, want := strings.Count(log.String(), "patched="), 1
			if rev == m.Revision() {
				want = 0 // the round's writes changed nothing (notes already so, a withdrawal refused)
			}
			if err := m.Sync(ctx, rev); err != nil {
				t.Fatal(err)
			}
			if got := strings.Count(log.String(), "patched="); got != before+want {
				t.Fatalf("round %d: %d patches, want %d (log: %s)", round, got-before, want, log.String())
			}
			if m.Revision() != rev {
				t.Fatalf("round %d: model at %d, want %d", round, m.Revision(), rev)
			}
			loaded, err := New(ctx, src, SearchIndex, quietLogger())
			if err != nil {
				t.Fatal(err)
			}
			if pages {
				for _, id := range ids {
					gc, gp, gok := m.CasePage(id)
					wc, wp, wok := loaded.CasePage(id)
					if gok != wok || !reflect.DeepEqual(gc, wc) || !reflect.DeepEqual(gp, wp) {
						t.Fatalf("round %d: case %d page: patched %v %+v %+v\nloaded %v %+v %+v", round, id, gok, gc, gp, wok, wc, wp)
					}
				}
			}
			what := fmt.Sprintf("round %d", round)
			for _, q := range texts {
				sameModels(t, what, m, loaded, store.CaseQuery{Q: q})
				sameModels(t, what, m, loaded, store.CaseQuery{Q: q, Sort: store.SortName, PerPage: 100})
			}
			for range 100 {
				q := randomQuery(r)
				sameModels(t, what, m, loaded, q)
				sameAsStore(t, ctx, s, m, q)
			}
			if a, b := fmt.Sprint(m.Counts()), fmt.Sprint(loaded.Counts()); a != b {
				t.Fatalf("%s: counts %s, loaded %s", what, a, b)
			}
		}
	})
}

// fakeChanges serves a fixed snapshot and fixed changes.
type fakeChanges struct {
	snap  *store.PublicSnapshot
	ch    *store.PublicChanges
	calls int
}

func (f *fakeChanges) PublicCases(context.Context) (*store.PublicSnapshot, error) { return f.snap, nil }

func (f *fakeChanges) PublicChanges(context.Context, int64, int) (*store.PublicChanges, error) {
	f.calls++
	return f.ch, nil
}

// TestPatchRefusesWhatDoesNotFit: changes that do not fit the snapshot
// (the log says read everything; an unchanged case moved in the order; a
// public case the log did not name; a case gone without a change; a
// changed case not read) are never patched in: the model reads
// everything. So is a snapshot whose last full load is older than
// fullReloadEvery.
func TestPatchRefusesWhatDoesNotFit(t *testing.T) {
	base := genSnapshot(40)
	order := func(cs []store.Case) []int64 {
		ids := make([]int64, len(cs))
		for i, c := range cs {
			ids[i] = c.ID
		}
		return ids
	}
	ids := order(base.Cases)
	swapped := append([]int64(nil), ids...)
	swapped[3], swapped[4] = swapped[4], swapped[3]
	cases := []struct {
		name string
		ch   *store.PublicChanges
	}{
		{"full", &store.PublicChanges{Revision: base.Revision + 1, Full: true}},
		{"moved without a change", &store.PublicChanges{Revision: base.Revision + 1, Order: swapped}},
		{"public without a change", &store.PublicChanges{Revision: base.Revision + 1, Order: append(append([]int64(nil), ids...), 99_999)}},
		{"gone without a change", &store.PublicChanges{Revision: base.Revision + 1, Order: ids[1:]}},
		{"changed but not read", &store.PublicChanges{Revision: base.Revision + 1, Order: ids, Changed: []int64{ids[2]}}},
		{"read but not logged", &store.PublicChanges{Revision: base.Revision + 1, Order: ids, Cases: base.Cases[2:3]}},
		{"rank past the end", &store.PublicChanges{Revision: base.Revision + 1, Total: len(ids), Changed: ids[2:3],
			Cases: base.Cases[2:3], Ranks: []int{len(ids)}}},
		{"two cases at one place", &store.PublicChanges{Revision: base.Revision + 1, Total: len(ids), Changed: ids[2:4],
			Cases: base.Cases[2:4], Ranks: []int{5, 5}}},
		{"a rank for a case not read", &store.PublicChanges{Revision: base.Revision + 1, Total: len(ids), Changed: ids[2:3],
			Cases: base.Cases[2:3], Ranks: []int{1, 2}}},
		{"more cases than places", &store.PublicChanges{Revision: base.Revision + 1, Total: len(ids) - 1}},
		{"a place left", &store.PublicChanges{Revision: base.Revision + 1, Total: len(ids) + 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := &fakeChanges{snap: base, ch: tc.ch}
			var log syncBuffer
			m, err := New(context.Background(), src, SearchIndex, slog.New(slog.NewTextHandler(&log, nil)))
			if err != nil {
				t.Fatal(err)
			}
			next := *base
			next.Revision = base.Revision + 1
			src.snap = &next
			if err := m.Sync(context.Background(), next.Revision); err != nil {
				t.Fatal(err)
			}
			if src.calls != 1 || strings.Contains(log.String(), "patched=") || m.Revision() != next.Revision {
				t.Errorf("changes asked %d times, log %q, revision %d: want one ask, a full load, revision %d",
					src.calls, log.String(), m.Revision(), next.Revision)
			}
		})
	}

	t.Run("last full load too old", func(t *testing.T) {
		src := &fakeChanges{snap: base, ch: &store.PublicChanges{Revision: base.Revision + 1, Order: ids}}
		m, err := New(context.Background(), src, SearchIndex, quietLogger())
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		m.now = func() time.Time { return now.Add(fullReloadEvery + time.Second) }
		next := *base
		next.Revision = base.Revision + 1
		src.snap = &next
		if err := m.Sync(context.Background(), next.Revision); err != nil {
			t.Fatal(err)
		}
		if src.calls != 0 || m.Revision() != next.Revision {
			t.Errorf("changes asked %d times, revision %d: want a full load", src.calls, m.Revision())
		}
		// Right after that full load, the same changes are patched in.
		src.ch = &store.PublicChanges{Revision: next.Revision + 1, Order: ids}
		if err := m.Sync(context.Background(), next.Revision+1); err != nil {
			t.Fatal(err)
		}
		if src.calls != 1 || m.Revision() != next.Revision+1 {
			t.Errorf("changes asked %d times, revision %d: want a patch to %d", src.calls, m.Revision(), next.Revision+1)
		}
	})
}
