package readmodel

import (
	"context"
	"log/slog"
	"runtime/debug"
	"testing"

	"lostinnl/internal/store"
)

// gcSource records the collector's target while a snapshot loads.
type gcSource struct {
	snap   *store.PublicSnapshot
	during []int
}

func (g *gcSource) PublicCases(context.Context) (*store.PublicSnapshot, error) {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	g.during = append(g.during, p)
	return g.snap, nil
}

// TestRebuildGCPercent: with RebuildGCPercent set, a rebuild runs with
// that GOGC and restores the previous one after; the first load (New)
// and a site above rebuildGCMaxCases keep the process's own.
func TestRebuildGCPercent(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(77))
	src := &gcSource{snap: genSnapshot(50)}
	m, err := New(context.Background(), src, noIndex, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	m.RebuildGCPercent = 15
	if err := m.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if p := debug.SetGCPercent(77); p != 77 {
		t.Errorf("GOGC after the rebuild = %d, want 77 restored", p)
	}
	if len(src.during) != 2 || src.during[0] != 77 || src.during[1] != 15 {
		t.Errorf("GOGC during the loads = %v, want [77 15]", src.during)
	}

	big := &gcSource{snap: genSnapshot(rebuildGCMaxCases + 1)}
	m, err = New(context.Background(), big, noIndex, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	m.RebuildGCPercent = 15
	if err := m.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(big.during) != 2 || big.during[1] != 77 {
		t.Errorf("GOGC during a large site's rebuild = %v, want 77 kept", big.during)
	}
}

// gcChanges records the collector's target while changes are read.
type gcChanges struct {
	gcSource
	during []int
}

func (g *gcChanges) PublicChanges(context.Context, int64, int) (*store.PublicChanges, error) {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	g.during = append(g.during, p)
	ids := make([]int64, len(g.snap.Cases))
	for i, c := range g.snap.Cases {
		ids[i] = c.ID
	}
	return &store.PublicChanges{Revision: g.snap.Revision + 1, Order: ids}, nil
}

// TestPatchGCPercent: a patch runs with RebuildGCPercent too, as a full
// load does, and restores the process's own after.
func TestPatchGCPercent(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(77))
	src := &gcChanges{gcSource: gcSource{snap: genSnapshot(50)}}
	m, err := New(context.Background(), src, SearchIndex, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	m.RebuildGCPercent = 15
	if err := m.Sync(context.Background(), src.snap.Revision+1); err != nil {
		t.Fatal(err)
	}
	if m.Revision() != src.snap.Revision+1 || len(src.gcSource.during) != 1 {
		t.Fatalf("revision %d after %d full loads: want a patch to %d", m.Revision(), len(src.gcSource.during), src.snap.Revision+1)
	}
	if p := debug.SetGCPercent(77); p != 77 {
		t.Errorf("GOGC after the patch = %d, want 77 restored", p)
	}
	if len(src.during) != 1 || src.during[0] != 15 {
		t.Errorf("GOGC while the changes were read = %v, want [15]", src.during)
	}
}
