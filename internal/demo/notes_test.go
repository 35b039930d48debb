package demo

import (
	"context"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// TestSeedNotes: the showcase case has notes on, with its approved notes
// on the public page and one waiting for review; a second Seed adds none.
func TestSeedNotes(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	for range 2 {
		if _, err := Seed(ctx, st, Options{}); err != nil {
			t.Fatal(err)
		}
	}
	c := people[notesPerson].toCase(notesPerson, time.Now()) // for its file number
	id, err := st.FindCaseByPoliceFile(ctx, c.PoliceAgency, c.PoliceFileNumber)
	if err != nil {
		t.Fatal(err)
	}
	open, notes, err := st.PublicNotes(ctx, id)
	if err != nil || !open || len(notes) != 2 {
		t.Fatalf("showcase notes: open %v, %d approved, %v; want open with 2", open, len(notes), err)
	}
	if n, err := st.CountPendingNotes(ctx); err != nil || n != 1 {
		t.Fatalf("pending notes = %d, %v; want 1", n, err)
	}
	if people[notesPerson].status != store.StatusMissing {
		t.Fatal("the notes showcase must be a missing case")
	}
}
