package retention

import (
	"context"
	"errors"
	"testing"

	"lostinnl/internal/store"
)

// TestWithdrawalDeletesPublicNotes: public notes (issue 19 point 5) are
// about the person, so the job's withdrawal of a located case's personal
// details deletes them, approved and pending alike; another case's notes
// stay. (Sharing notes without words need no cipher, which this fixture
// has none of.)
func TestWithdrawalDeletesPublicNotes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	addNotes := func(id int64) (approved, pending int64) {
		t.Helper()
		if _, err := f.st.SetNotesAllowed(ctx, id, true, nil); err != nil {
			t.Fatal(err)
		}
		var err error
		if approved, err = f.st.CreateNote(ctx, id, store.NoteSharing, store.NoteText{}); err != nil {
			t.Fatal(err)
		}
		if err := f.st.ApproveNote(ctx, approved, store.NoteText{}, nil); err != nil {
			t.Fatal(err)
		}
		if pending, err = f.st.CreateNote(ctx, id, store.NoteSharing, store.NoteText{}); err != nil {
			t.Fatal(err)
		}
		return approved, pending
	}
	located, _ := f.addCase(t, "LOC", store.StatusMissing, 0)
	a, p := addNotes(located)
	missing, _ := f.addCase(t, "MIS", store.StatusMissing, 0)
	keepA, keepP := addNotes(missing)
	if err := f.st.TransitionCase(ctx, located, store.StatusLocated, "", nil); err != nil {
		t.Fatal(err)
	}

	j := &Job{Store: f.st, Blobs: f.bucket, Days: 30, Holder: "h", Now: later(31)}
	if res, err := j.RunOnce(ctx); err != nil || res.Withdrawn != 1 {
		t.Fatalf("pass: %+v %v", res, err)
	}
	for _, id := range []int64{a, p} {
		if _, err := f.st.GetNote(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("note %d of the withdrawn case: %v, want it deleted", id, err)
		}
	}
	for _, id := range []int64{keepA, keepP} {
		if _, err := f.st.GetNote(ctx, id); err != nil {
			t.Errorf("note %d of the open case: %v", id, err)
		}
	}
}
