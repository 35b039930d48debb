package readmodel

import (
	"math/rand/v2"
	"slices"
	"testing"

	"lostinnl/internal/store"
)

// TestSortRanks checks both ways of sorting (comparison and bitmap)
// against slices.Sort.
func TestSortRanks(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, tc := range []struct{ n, k int }{{1, 1}, {64, 64}, {100, 3}, {1000, 900}, {1000, 7}, {1000, 8}, {100_000, 100}, {100_000, 781}, {100_000, 782}, {100_000, 5000}} {
		seen := map[int32]bool{}
		var ranks []int32
		for len(ranks) < tc.k {
			v := int32(r.IntN(tc.n))
			if !seen[v] {
				seen[v] = true
				ranks = append(ranks, v)
			}
		}
		want := slices.Clone(ranks)
		slices.Sort(want)
		if got := sortRanks(ranks, tc.n); !slices.Equal(got, want) {
			t.Fatalf("n=%d k=%d: sortRanks differs from slices.Sort", tc.n, tc.k)
		}
	}
}

// TestSparseIDs: ids far apart (imported data, say) use the map instead
// of a slice as long as the largest id; the answers are the same.
func TestSparseIDs(t *testing.T) {
	ps := genSnapshot(300)
	dense := newSnapshot(ps, noIndex)
	if dense.dense == nil {
		t.Fatal("ids 1..300 not held densely")
	}
	sparsePS := genSnapshot(300)
	for i := range sparsePS.Cases {
		sparsePS.Cases[i].ID *= 1_000_003
		if p := sparsePS.Cases[i].PrimaryPhoto; p != nil {
			p.CaseID = sparsePS.Cases[i].ID
		}
	}
	sp := newSnapshot(sparsePS, func(cs []store.Case) TextIndex {
		return fixedIndex{cs[5].ID, 12345, cs[9].ID, -7}
	})
	if sp.sparse == nil || sp.dense != nil {
		t.Fatal("sparse ids held in a slice")
	}
	q := store.CaseQuery{Sort: store.SortName, PerPage: 100, Statuses: []store.Status{store.StatusMissing, store.StatusLocated}}
	a, b := dense.query(q, false), sp.query(q, false)
	if a.Total != b.Total || len(a.Cases) != len(b.Cases) {
		t.Fatalf("dense %d, sparse %d", a.Total, b.Total)
	}
	for i := range a.Cases {
		if a.Cases[i].ID*1_000_003 != b.Cases[i].ID {
			t.Fatalf("case %d: %d vs %d", i, a.Cases[i].ID, b.Cases[i].ID)
		}
	}
	q.Q = "x"
	q.Sort = ""
	if got := ids(sp.query(q, false).Cases); !slices.Equal(got, []int64{sparsePS.Cases[5].ID, sparsePS.Cases[9].ID}) {
		t.Fatalf("text over sparse ids: %v", got)
	}
}

// TestSnapshotSkipsDuplicatesAndNonPublic: a case listed twice, or in a
// status the public may not see, never shows (whatever the source).
func TestSnapshotSkipsDuplicatesAndNonPublic(t *testing.T) {
	for _, scale := range []int64{1, 1_000_003} { // dense and sparse ids
		ps := genSnapshot(10)
		for i := range ps.Cases {
			ps.Cases[i].ID *= scale
		}
		ps.Cases = append(ps.Cases, ps.Cases[3])
		ps.Cases[5].Status = store.StatusPending
		ps.Cases[6].Status = store.StatusArchived
		s := newSnapshot(ps, noIndex)
		r := s.query(store.CaseQuery{Statuses: []store.Status{store.StatusMissing, store.StatusLocated, store.StatusPending, store.StatusArchived}, PerPage: 100}, false)
		if r.Total != 8 || len(s.cards) != 8 {
			t.Fatalf("scale %d: total %d, %d cards; want 8", scale, r.Total, len(s.cards))
		}
		for _, c := range r.Cases {
			if c.ID == ps.Cases[5].ID || c.ID == ps.Cases[6].ID {
				t.Fatalf("non-public case %d listed", c.ID)
			}
		}
	}
}
