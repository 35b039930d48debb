package readmodel

import (
	"context"
	"reflect"
	"testing"

	"lostinnl/internal/store"
)

// CasePage gives back exactly the case and page the store read for the
// snapshot (store's TestPublicCasesAndPages holds those to the case
// page's own queries), first-name-only cases included; nothing for a case
// that is not public, nor from a source that reads no pages.
func TestCasePage(t *testing.T) {
	eachDialect(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		add := func(name string, status store.Status, mod func(c *store.Case), photos []store.Photo) int64 {
			c := &store.Case{FullName: name, Age: ptr(41), Sex: "male", HeightCM: ptr(180), HairColour: "auburn", EyeColour: "blue",
				Build: "slim", Features: "tattoo of a puffin", Clothing: "green parka", LastSeenDate: day("2026-10-02"),
				LastSeenTime: "07:15", LastSeenPlace: "the slipway", Community: "Twillingate", Region: "Central",
				Circumstances: name + " went to check his nets.", PoliceAgency: "RNC", PolicePhone: "709 555 0199", PoliceFileNumber: "F-" + name, PoliceVerified: true}
			if mod != nil {
				mod(c)
			}
			id, err := st.CreateCase(ctx, c, store.ReporterContact{}, photos, nil)
			if err != nil {
				t.Fatal(err)
			}
			if status != store.StatusPending {
				if err := st.TransitionCase(ctx, id, store.StatusMissing, "", nil); err != nil {
					t.Fatal(err)
				}
			}
			if status == store.StatusArchived || status == store.StatusLocated {
				if err := st.TransitionCase(ctx, id, status, "", nil); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := st.AddUpdate(ctx, id, "Update on "+name, nil); err != nil {
				t.Fatal(err)
			}
			return id
		}
		public := []int64{
			add("Aubrey Pardy", store.StatusMissing, nil, []store.Photo{{Key: "k-a", Primary: true, Width: 800, Height: 1000, Alt: "on a boat"}, {Key: "k-b", Position: 1, Width: 8, Height: 10}}),
			add("Jordan Zxqwerty", store.StatusMissing, func(c *store.Case) { c.FirstNameOnly = true; c.WeightKG = ptr(70) }, nil),
			add("Lise Noseworthy", store.StatusLocated, nil, nil),
		}
		pending := add("Pending Person", store.StatusPending, nil, nil)
		archived := add("Archived Person", store.StatusArchived, nil, nil)

		m, err := New(ctx, st, buildWordIndex, quietLogger())
		if err != nil {
			t.Fatal(err)
		}
		if !m.HoldsPages() {
			t.Fatal("a model read with pages says it holds none")
		}
		snap, err := st.PublicCasesAndPages(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range snap.Cases {
			c, page, ok := m.CasePage(want.ID)
			if !ok {
				t.Fatalf("case %d: no page", want.ID)
			}
			if !reflect.DeepEqual(c, want) {
				t.Errorf("case %d:\n%+v\nthe store read:\n%+v", want.ID, c, want)
			}
			if !reflect.DeepEqual(*page, *snap.Pages[want.ID]) {
				t.Errorf("case %d: page %+v, the store read %+v", want.ID, *page, *snap.Pages[want.ID])
			}
			// The caller's copy: changing it changes nothing in the model.
			*c.Age, c.FullName = 99, "changed"
			if again, _, _ := m.CasePage(want.ID); *again.Age == 99 || again.FullName == "changed" {
				t.Fatalf("case %d: a caller's change reached the model", want.ID)
			}
		}
		if len(snap.Cases) != len(public) {
			t.Fatalf("%d public cases, want %d", len(snap.Cases), len(public))
		}
		for _, id := range []int64{pending, archived, 987654} {
			if _, _, ok := m.CasePage(id); ok {
				t.Errorf("case %d (not public) has a page", id)
			}
		}

		// A source without pages: the model has none to give.
		plain, err := New(ctx, onlyCases{st}, buildWordIndex, quietLogger())
		if err != nil {
			t.Fatal(err)
		}
		if _, _, ok := plain.CasePage(public[0]); ok || plain.HoldsPages() {
			t.Error("a model built without pages answered CasePage")
		}
	})
}

// onlyCases hides PublicCasesAndPages.
type onlyCases struct{ st *store.Store }

func (o onlyCases) PublicCases(ctx context.Context) (*store.PublicSnapshot, error) {
	return o.st.PublicCases(ctx)
}
