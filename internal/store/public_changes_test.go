package store

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
)

// TestPublicChanges: after a revision, the log names the cases that
// changed (published, edited, archived), the rows of those still public
// come as PublicCases reads them, and the order is PublicCases' order. A
// revision without its log rows, a revision from the future and too many
// changes all ask for a full read.
func TestPublicChanges(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		a := newCase("Alma Quirke")
		aID := mustCreate(t, s, a, StatusMissing)
		b := newCase("Bride Tobin")
		bID := mustCreate(t, s, b, StatusPending)
		cID := mustCreate(t, s, newCase("Cyril Penney"), StatusMissing)
		dID := mustCreate(t, s, newCase("Dulcie Hann"), StatusMissing)
		since := rev(t, s)

		none, err := s.PublicChanges(ctx, since, 10)
		if err != nil || none.Full || none.Revision != since || len(none.Changed) != 0 || len(none.Cases) != 0 {
			t.Fatalf("no change: %+v, %v; want nothing changed at %d", none, err, since)
		}

		a.Clothing = "green rain jacket"
		a.Latitude, a.Longitude = ptr(47.56123), ptr(-52.71234) // exact: never public
		if err := s.UpdateCase(ctx, a, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.TransitionCase(ctx, bID, StatusMissing, "", nil); err != nil {
			t.Fatal(err)
		}
		if err := s.TransitionCase(ctx, cID, StatusArchived, "", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateResource(ctx, &Resource{Title: "Ground Search", Category: CategorySearchRescue}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddUpdate(ctx, aID, "Search resumes at dawn.", nil); err != nil {
			t.Fatal(err)
		}
		ch, err := s.PublicChanges(ctx, since, 10)
		if err != nil {
			t.Fatal(err)
		}
		if ch.Full || ch.Revision != since+5 {
			t.Fatalf("changes: full %v at %d, want the log's at %d", ch.Full, ch.Revision, since+5)
		}
		if want := []int64{aID, bID, cID}; !slices.Equal(ch.Changed, want) {
			t.Errorf("changed = %v, want %v", ch.Changed, want)
		}
		all, err := s.PublicCases(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var order []int64
		byID := map[int64]Case{}
		for _, c := range all.Cases {
			order = append(order, c.ID)
			byID[c.ID] = c
		}
		if len(ch.Cases) != 2 || ch.Cases[0].ID != aID || ch.Cases[1].ID != bID {
			t.Fatalf("changed public cases = %v, want %d and %d in name order", caseIDs(ch.Cases), aID, bID)
		}
		// A few changes come with their places in the order, not the
		// whole order.
		if ch.Order != nil || ch.Total != len(order) || len(ch.Ranks) != 2 ||
			order[ch.Ranks[0]] != aID || order[ch.Ranks[1]] != bID {
			t.Errorf("order %v, ranks %v of %d: want no order, and %d and %d at their places in %v",
				ch.Order, ch.Ranks, ch.Total, aID, bID, order)
		}
		// More, and the whole order comes instead.
		defer func(k int) { rankedMax = k }(rankedMax)
		rankedMax = 2
		whole, err := s.PublicChanges(ctx, since, 10)
		if err != nil || whole.Full || whole.Ranks != nil || !slices.Equal(whole.Order, order) {
			t.Errorf("3 changes, ranks for at most 2: %+v, %v; want the order %v", whole, err, order)
		}
		if slices.Contains(whole.Order, cID) || !slices.Contains(whole.Order, dID) {
			t.Errorf("order %v: want the archived case %d out and the unchanged %d in", whole.Order, cID, dID)
		}
		rankedMax = 8
		for _, c := range ch.Cases {
			if want := byID[c.ID]; !reflect.DeepEqual(c, want) {
				t.Errorf("case %d: %+v, want it as PublicCases reads it: %+v", c.ID, c, want)
			}
		}
		if ch.Cases[0].Clothing != "green rain jacket" {
			t.Errorf("edited case read with clothing %q", ch.Cases[0].Clothing)
		}
		if lat := ch.Cases[0].Latitude; lat == nil || *lat == 47.56123 {
			t.Errorf("edited case's latitude %v: want the rounded public point", lat)
		}

		// With pages: the changed public cases as PublicCasesAndPages
		// reads them, page columns, photos and updates included.
		withPages, err := s.PublicChangesAndPages(ctx, since, 10)
		if err != nil {
			t.Fatal(err)
		}
		allPages, err := s.PublicCasesAndPages(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(withPages.Cases) != 2 || len(withPages.Pages) != 2 {
			t.Fatalf("with pages: %d cases, %d pages; want 2 and 2", len(withPages.Cases), len(withPages.Pages))
		}
		for _, c := range withPages.Cases {
			var want Case
			for _, w := range allPages.Cases {
				if w.ID == c.ID {
					want = w
				}
			}
			if !reflect.DeepEqual(c, want) {
				t.Errorf("case %d with pages: %+v, want %+v", c.ID, c, want)
			}
			if !reflect.DeepEqual(withPages.Pages[c.ID], allPages.Pages[c.ID]) {
				t.Errorf("case %d: page %+v, want %+v", c.ID, withPages.Pages[c.ID], allPages.Pages[c.ID])
			}
		}
		if p := withPages.Pages[aID]; p == nil || len(p.Updates) != 1 {
			t.Errorf("case %d's page: %+v, want its one update", aID, p)
		}

		// More changed cases than asked for: read everything.
		if ch, err := s.PublicChanges(ctx, since, 2); err != nil || !ch.Full {
			t.Errorf("3 changes, at most 2: full = %v, %v; want full", ch.Full, err)
		}
		// A revision the database has not reached (a restore moved it
		// back): read everything.
		if ch, err := s.PublicChanges(ctx, since+100, 10); err != nil || !ch.Full {
			t.Errorf("since a later revision: full = %v, %v; want full", ch.Full, err)
		}
		// An operator's bump by hand logs nothing: whatever it stands
		// for, read everything; after it, the log is whole again.
		if _, err := s.wdb.ExecContext(ctx, "UPDATE content_revision SET rev = rev + 1 WHERE id = 1"); err != nil {
			t.Fatal(err)
		}
		if ch, err := s.PublicChanges(ctx, since, 10); err != nil || !ch.Full {
			t.Errorf("across a manual bump: full = %v, %v; want full", ch.Full, err)
		}
		manual := rev(t, s)
		if err := s.TransitionCase(ctx, dID, StatusLocated, "", nil); err != nil {
			t.Fatal(err)
		}
		ch, err = s.PublicChanges(ctx, manual, 10)
		if err != nil || ch.Full || !slices.Equal(ch.Changed, []int64{dID}) || len(ch.Cases) != 1 || ch.Cases[0].Status != StatusLocated {
			t.Fatalf("after the manual bump: %+v, %v; want case %d located", ch, err, dID)
		}
	})
}

// TestPublicChangesMasked: a first-name-only case comes masked, as from
// PublicCases: its surname never reaches the read model.
func TestPublicChangesMasked(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		since := rev(t, s)
		c := newCase("Winnifred Strickland")
		c.FirstNameOnly = true
		id := mustCreate(t, s, c, StatusMissing)
		ch, err := s.PublicChanges(ctx, since, 10)
		if err != nil || ch.Full || len(ch.Cases) != 1 {
			t.Fatalf("changes: %+v, %v", ch, err)
		}
		if got := ch.Cases[0]; got.ID != id || got.FullName != "Winnifred S." {
			t.Errorf("first-name-only case read as %q, want %q", got.FullName, "Winnifred S.")
		}
	})
}

func caseIDs(cs []Case) []int64 {
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

// TestPublicChangesPruned: the log keeps its last revisions only; a model
// older than what is kept is told to read everything, a recent one gets
// its changes.
func TestPublicChangesPruned(t *testing.T) {
	defer func(k, e int64) { changesKept, changesPruneEvery = k, e }(changesKept, changesPruneEvery)
	changesKept, changesPruneEvery = 4, 2
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		id := mustCreate(t, s, newCase("Osmond Kearley"), StatusMissing)
		old := rev(t, s)
		for i := range 10 {
			if _, err := s.AddUpdate(ctx, id, fmt.Sprintf("update %d", i), nil); err != nil {
				t.Fatal(err)
			}
		}
		now := rev(t, s)
		var kept int
		if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM content_changes").Scan(&kept); err != nil {
			t.Fatal(err)
		}
		if kept > 6 {
			t.Errorf("%d log rows after pruning to the last 4 revisions (every 2), want at most 6", kept)
		}
		if ch, err := s.PublicChanges(ctx, old, 10); err != nil || !ch.Full {
			t.Errorf("since a pruned revision: full = %v, %v; want full", ch.Full, err)
		}
		ch, err := s.PublicChanges(ctx, now-2, 10)
		if err != nil || ch.Full || !slices.Equal(ch.Changed, []int64{id}) {
			t.Errorf("since a kept revision: %+v, %v; want case %d changed", ch, err, id)
		}
	})
}
