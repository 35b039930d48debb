package store

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPublicCases(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		empty, err := s.PublicCases(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(empty.Cases) != 0 {
			t.Fatalf("fresh database: %d public cases", len(empty.Cases))
		}

		// Names chosen so the two dialects may collate them differently
		// (case, accents, apostrophes, æ); whatever the order, it must be
		// the listing's.
		names := []string{"Ødegaard Lise", "o'Brien Maeve", "OBrien Aoife", "Côté Rémi", "cote remi", "Æsir Tor", "Abbott Jude"}
		want := map[int64]Status{}
		for i, n := range names {
			c := newCase(n)
			st := StatusMissing
			if i%3 == 1 {
				st = StatusLocated
			}
			id := mustCreate(t, s, c, st)
			want[id] = st
		}
		id := publishWithPhotos(t, s, "Photo Person", "")
		want[id] = StatusMissing
		for _, st := range []Status{StatusPending, StatusArchived, StatusRejected} {
			mustCreate(t, s, newCase("Hidden "+string(st)), st)
		}

		snap, err := s.PublicCases(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rev, err := s.ContentRevision(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if snap.Revision != rev || rev == empty.Revision {
			t.Fatalf("snapshot revision %d, database %d, before %d", snap.Revision, rev, empty.Revision)
		}
		if len(snap.Cases) != len(want) {
			t.Fatalf("%d public cases, want %d", len(snap.Cases), len(want))
		}
		var gotIDs []int64
		for _, c := range snap.Cases {
			gotIDs = append(gotIDs, c.ID)
			if want[c.ID] != c.Status {
				t.Errorf("case %d (%s): status %q, want %q", c.ID, c.FullName, c.Status, want[c.ID])
			}
			if c.ReporterName != nil || c.SealToken != nil {
				t.Errorf("case %d carries private fields", c.ID)
			}
			if c.Community != "Harbour Grace" || c.Features == "" || c.Clothing == "" || c.HairColour != "brown" ||
				c.LastSeenDate.IsZero() || c.UpdatedAt.IsZero() || c.Age == nil || *c.Age != 34 || !c.PoliceVerified {
				t.Errorf("case %d: public fields not filled: %+v", c.ID, c)
			}
			if c.Circumstances != "" || c.PoliceFileNumber != "" || c.PolicePhone != "" || c.HeightCM != nil {
				t.Errorf("case %d: case-page fields read: %+v", c.ID, c)
			}
			if c.ID == id {
				p := c.PrimaryPhoto
				if p == nil || p.Key != "k-primary" || p.Width != 800 || p.Alt != "smiling" || !p.Primary {
					t.Errorf("primary photo = %+v", p)
				}
			} else if c.PrimaryPhoto != nil {
				t.Errorf("case %d has a photo %+v", c.ID, c.PrimaryPhoto)
			}
		}

		// The order is the name order of the listing on this dialect.
		l, err := s.SearchCases(ctx, CaseQuery{Statuses: []Status{StatusMissing, StatusLocated}, Sort: SortName, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		var listIDs []int64
		for _, c := range l.Cases {
			listIDs = append(listIDs, c.ID)
		}
		if !slices.Equal(gotIDs, listIDs) {
			t.Fatalf("snapshot order %v, listing by name %v", gotIDs, listIDs)
		}
	})
}

func TestCaseQueryBounds(t *testing.T) {
	for _, tc := range []struct {
		page, per         int
		wantPage, wantPer int
		wantOffset        int
	}{
		{0, 0, 1, 20, 0},
		{-5, -1, 1, 20, 0},
		{3, 10, 3, 10, 20},
		{2, 1000, 2, 100, 100},
		{1 << 40, 20, 1 << 20, 20, (1<<20 - 1) * 20},
	} {
		pg, per, off := CaseQuery{Page: tc.page, PerPage: tc.per}.Bounds()
		if pg != tc.wantPage || per != tc.wantPer || off != tc.wantOffset {
			t.Errorf("Bounds(%d, %d) = %d, %d, %d", tc.page, tc.per, pg, per, off)
		}
	}
}

// TestPublicCasesInHalves: a large site's snapshot, read in two halves at
// once, is the one transaction's (same cases, same order, ties on the name
// split by id at the middle), and a change landing between the halves'
// reads makes it read again: never half before and half after the change.
func TestPublicCasesInHalves(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		for i, n := range []string{"Walsh Mary", "Walsh Mary", "Walsh Mary", "Côté Rémi", "cote remi", "Abbott Jude", "O'Brien Maeve", "Zwicker Ann", "Walsh Mary"} {
			st := StatusMissing
			if i%4 == 3 {
				st = StatusLocated
			}
			mustCreate(t, s, newCase(n), st)
		}
		mustCreate(t, s, newCase("Hidden Pending"), StatusPending)
		defer func(n int) { parallelReadMin = n }(parallelReadMin)
		parallelReadMin = 1 << 30
		whole, err := s.PublicCases(ctx)
		if err != nil {
			t.Fatal(err)
		}
		parallelReadMin = 2
		halves, err := s.PublicCases(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ids := func(cs []Case) []int64 {
			out := make([]int64, len(cs))
			for i, c := range cs {
				out[i] = c.ID
			}
			return out
		}
		if halves.Revision != whole.Revision || !slices.Equal(ids(halves.Cases), ids(whole.Cases)) || len(whole.Cases) != 9 {
			t.Fatalf("in halves: rev %d %v, in one: rev %d %v", halves.Revision, ids(halves.Cases), whole.Revision, ids(whole.Cases))
		}

		// A case published between the middle's read and the halves'.
		late := mustCreate(t, s, newCase("Late Arrival"), StatusPending)
		tries := 0
		halvesHook = func() {
			tries++
			if tries == 1 {
				if err := s.TransitionCase(ctx, late, StatusMissing, "", nil); err != nil {
					t.Error(err)
				}
			}
		}
		defer func() { halvesHook = nil }()
		after, err := s.PublicCases(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rev, err := s.ContentRevision(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if tries != 2 || after.Revision != rev || len(after.Cases) != 10 || !slices.Contains(ids(after.Cases), late) {
			t.Fatalf("after a change between the halves: %d tries, rev %d (database %d), %d cases", tries, after.Revision, rev, len(after.Cases))
		}
	})
}

// TestPublicCasesAndPages: every public case's page in the snapshot is
// what the case page's own reads give (GetCaseForPublic, ListPhotos,
// ListUpdates), masked names included, less only the fields no public
// page shows; non-public cases have none; and a site read in halves
// carries no pages.
func TestPublicCasesAndPages(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		var public []int64
		plain := newCase("Maeve Quillfeather")
		plain.Circumstances = "Walked toward the harbour."
		plain.CircumstancesAlt = "A marché vers le port."
		plain.PoliceFileNumber, plain.PolicePhone, plain.LastSeenTime = "2026-1234", "709 555 0100", "14:30"
		public = append(public, mustCreate(t, s, plain, StatusMissing))
		masked := newCase("Jordan Zxqwerty")
		masked.FirstNameOnly = true
		masked.Circumstances = "Jordan Zxqwerty left home on foot."
		public = append(public, mustCreate(t, s, masked, StatusMissing))
		public = append(public, mustCreate(t, s, newCase("Lise Located"), StatusLocated))
		public = append(public, publishWithPhotos(t, s, "Rémi Côté", "at the wharf"))
		hidden := mustCreate(t, s, newCase("Hidden Archived"), StatusArchived)
		for _, id := range append(public, hidden) {
			for _, body := range []string{"Searchers out today.", "Jordan Zxqwerty was seen in Gander."} {
				if _, err := s.AddUpdate(ctx, id, body, nil); err != nil {
					t.Fatal(err)
				}
			}
		}

		snap, err := s.PublicCasesAndPages(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(snap.Pages) != len(public) || len(snap.Cases) != len(public) {
			t.Fatalf("%d pages and %d cases, want %d", len(snap.Pages), len(snap.Cases), len(public))
		}
		if snap.Pages[hidden] != nil {
			t.Fatal("an archived case has a page in the snapshot")
		}
		for _, c := range snap.Cases {
			want, err := s.GetCaseForPublic(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			// What no public page shows, and the snapshot leaves out.
			want.ReporterName, want.ReporterPhone, want.ReporterEmail, want.ReporterRelationship = nil, nil, nil, nil
			want.SealToken, want.RejectReason, want.FirstNameRequested = nil, "", false
			if want.PrimaryPhoto != nil {
				want.PrimaryPhoto.CreatedAt = time.Time{}
			}
			if !reflect.DeepEqual(c, *want) {
				t.Errorf("case %d in the snapshot:\n%+v\nthe case page reads:\n%+v", c.ID, c, *want)
			}
			pg := snap.Pages[c.ID]
			photos, err := s.ListPhotos(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			updates, err := s.ListUpdates(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if pg == nil || !reflect.DeepEqual(pg.Photos, photos) || !reflect.DeepEqual(pg.Updates, updates) {
				t.Errorf("case %d: page %+v, want photos %+v and updates %+v", c.ID, pg, photos, updates)
			}
		}
		if c := snap.Cases[slices.IndexFunc(snap.Cases, func(c Case) bool { return c.ID == public[1] })]; strings.Contains(c.Circumstances, "Zxqwerty") {
			t.Errorf("first-name-only case: circumstances %q show the surname", c.Circumstances)
		}

		// PublicCases itself reads no pages; nor does a read in halves.
		if snap, err := s.PublicCases(ctx); err != nil || snap.Pages != nil || snap.Cases[0].Circumstances != "" {
			t.Fatalf("PublicCases: pages %v, err %v", snap.Pages, err)
		}
		defer func(n int) { parallelReadMin = n }(parallelReadMin)
		parallelReadMin = 2
		if snap, err := s.PublicCasesAndPages(ctx); err != nil || snap.Pages != nil || len(snap.Cases) != len(public) {
			t.Fatalf("read in halves: %d cases, pages %v, err %v", len(snap.Cases), snap.Pages, err)
		}
	})
}

// publishWithPhotos creates a published case with a reporter contact and
// two photos, the primary listed second, the other with alt text alt.
func publishWithPhotos(t *testing.T, s *Store, name, alt string) int64 {
	t.Helper()
	ctx := ctxT(t)
	id, err := s.CreateCase(ctx, newCase(name), ReporterContact{Name: "Reporter Private"}, []Photo{
		{Key: "k-second", Position: 1, Width: 10, Height: 20, Alt: alt},
		{Key: "k-primary", Position: 0, Primary: true, Width: 800, Height: 1000, Alt: "smiling"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.TransitionCase(ctx, id, StatusMissing, "", nil); err != nil {
		t.Fatal(err)
	}
	return id
}
