package readmodel

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// TestCardKeepsListingFields: a card gives back exactly the listing fields
// of the case it was made from (store.Case's own values, pointers and
// all: nil stays nil, zero stays zero, a time keeps its instant and its
// zone), though it keeps them without pointers.
func TestCardKeepsListingFields(t *testing.T) {
	nst := time.FixedZone("NST", -3*3600-1800)
	cases := []store.Case{
		{ID: 7, Status: store.StatusMissing, FullName: "Áine Ó Briain-Côté", Aliases: "Annie", Sex: store.Sexes[0],
			Age: ptr(0), BirthDate: ptr(time.Date(1999, 2, 3, 0, 0, 0, 0, time.UTC)), LastSeenPlace: "the wharf",
			Community: "Petty Harbour", Region: store.Regions[0], LastSeenDate: time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC),
			UpdatedAt: time.Date(2026, 3, 5, 6, 7, 8, 123456789, time.UTC), PoliceVerified: true,
			PrimaryPhoto: &store.Photo{ID: 3, CaseID: 7, Key: "abc", Position: 2, Primary: true, Width: 640, Height: 800,
				Alt: "smiling", CreatedAt: time.Date(2026, 3, 4, 1, 2, 3, 4, time.UTC)},
			Latitude: ptr(47.5), Longitude: ptr(-52.7)},
		{ID: 9, Status: store.StatusLocated, FullName: "Sam", FirstNameOnly: true, PersonalWithdrawn: true,
			Region: store.Regions[1], LastSeenDate: time.Date(1970, 1, 1, 0, 0, 0, 0, nst),
			LocatedAt: ptr(time.Date(1901, 12, 13, 20, 45, 52, 1, nst)), UpdatedAt: time.Date(2262, 4, 11, 0, 0, 0, 0, time.UTC)},
		{ID: 11, Status: store.StatusMissing, FullName: "", Region: "", LastSeenDate: time.Date(-40, 1, 1, 0, 0, 0, 0, time.UTC),
			Age: ptr(-3)},
	}
	m, err := New(context.Background(), &fakeChanges{snap: &store.PublicSnapshot{Revision: 4, Cases: cases}}, noIndex, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	s := m.cur.Load()
	for _, want := range cases {
		i, ok := s.lookup(want.ID)
		if !ok {
			t.Fatalf("case %d has no card", want.ID)
		}
		got := s.toCase(i, newPageBuf(1))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("case %d:\n got %+v\nwant %+v", want.ID, got, want)
		}
	}
}

// TestPatchKeepsTheArenaBounded: a patch appends the changed cases'
// strings to the arena and leaves the old ones; one that would take it
// past twice its size at the last build (and a megabyte) is not applied:
// the model reads everything, which makes the arena compact again.
func TestPatchKeepsTheArenaBounded(t *testing.T) {
	base := genSnapshot(40)
	ids := make([]int64, len(base.Cases))
	for i, c := range base.Cases {
		ids[i] = c.ID
	}
	changedCase := func(alias string) []store.Case {
		c := base.Cases[2]
		c.Aliases = alias
		return []store.Case{c}
	}
	src := &fakeChanges{snap: base}
	m, err := New(context.Background(), src, SearchIndex, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	built := len(m.cur.Load().arena)
	rev := base.Revision
	sync := func(alias string) {
		t.Helper()
		rev++
		src.ch = &store.PublicChanges{Revision: rev, Order: ids, Changed: ids[2:3], Cases: changedCase(alias)}
		next := *base
		next.Revision, next.Cases = rev, append(append(append([]store.Case(nil), base.Cases[:2]...), changedCase(alias)...), base.Cases[3:]...)
		src.snap = &next
		if err := m.Sync(context.Background(), rev); err != nil {
			t.Fatal(err)
		}
		if got := m.Query(store.CaseQuery{PerPage: 100, Sort: store.SortName}); got.Cases[2].Aliases != alias {
			t.Fatalf("after the change the alias is %.20q…, want %.20q…", got.Cases[2].Aliases, alias)
		}
	}
	// The bytes a card of the changed case adds to the arena.
	cardText := func(alias string) int {
		c := changedCase(alias)[0]
		n := len(c.FullName) + len(c.Aliases) + len(c.LastSeenPlace)
		if p := c.PrimaryPhoto; p != nil {
			n += len(p.Key) + len(p.Alt)
		}
		return n
	}
	sync("Red")
	if n := len(m.cur.Load().arena); n != built+cardText("Red") {
		t.Fatalf("patched arena %d bytes, want the %d built and the changed card's %d", n, built, cardText("Red"))
	}
	big := strings.Repeat("x", 1<<20+1<<14)
	sync(big) // over the bound: read in full, the old strings gone
	rebuilt := built - cardText(base.Cases[2].Aliases) + cardText(big)
	if n := len(m.cur.Load().arena); n != rebuilt {
		t.Fatalf("arena %d bytes after the change past the bound, want a new build's %d", n, rebuilt)
	}
	sync("Blue") // within the new bound: patched
	if n := len(m.cur.Load().arena); n != rebuilt+cardText("Blue") {
		t.Fatalf("arena %d bytes after a small change, want %d: patched", n, rebuilt+cardText("Blue"))
	}
}
