package demo

import (
	"context"
	"fmt"

	"lostinnl/internal/store"
)

// notesPerson is the showcase case (an index into people, missing) that
// shows public notes (issue 19 point 5): on, with two approved notes and
// one waiting for a moderator. The waiting one carries a made-up phone
// number so the queue's contact-detail highlight shows in the demo.
const notesPerson = 0

var demoNotes = []struct {
	kind     store.NoteKind
	text     store.NoteText
	approved bool
}{
	{store.NoteSupport, store.NoteText{Message: "Everyone at the Sunday kitchen party is thinking of you, Goldie. Come home soon.", DisplayName: "Winnie"}, true},
	{store.NoteSharing, store.NoteText{Message: "Put the poster up at the post office and the corner store.", DisplayName: ""}, true},
	{store.NoteSupport, store.NoteText{Message: "Praying for the family. Call me at 709-555-0142 if you need drivers.", DisplayName: "Alf"}, false},
}

// seedNotes turns notes on for case id and adds the demo notes. Seed calls
// it only for a case it has just created, so running Seed again never
// adds them twice.
func seedNotes(ctx context.Context, st *store.Store, id int64) error {
	audit := &store.AuditEntry{Action: "case.demo_seed", Summary: "fictional demo notes"}
	if _, err := st.SetNotesAllowed(ctx, id, true, audit); err != nil {
		return fmt.Errorf("demo: notes on case %d: %w", id, err)
	}
	for _, n := range demoNotes {
		nid, err := st.CreateNote(ctx, id, n.kind, n.text)
		if err != nil {
			return fmt.Errorf("demo: note on case %d: %w", id, err)
		}
		if n.approved {
			if err := st.ApproveNote(ctx, nid, n.text, nil); err != nil {
				return fmt.Errorf("demo: approve note %d: %w", nid, err)
			}
		}
	}
	return nil
}

// seedShowcaseNotes finds the just-created case c by its file number and
// seeds its notes.
func seedShowcaseNotes(ctx context.Context, st *store.Store, c *store.Case) error {
	id, err := st.FindCaseByPoliceFile(ctx, c.PoliceAgency, c.PoliceFileNumber)
	if err != nil {
		return fmt.Errorf("demo: look up %s: %w", c.PoliceFileNumber, err)
	}
	return seedNotes(ctx, st, id)
}
