package store

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"
)

// notesCase creates a missing case and, when allowed, turns notes on.
func notesCase(t *testing.T, s *Store, name string, allowed bool) int64 {
	t.Helper()
	id := mustCreate(t, s, newCase(name), StatusMissing)
	if allowed {
		if changed, err := s.SetNotesAllowed(ctxT(t), id, true, &AuditEntry{Action: "case.notes"}); err != nil || !changed {
			t.Fatalf("SetNotesAllowed = %v, %v", changed, err)
		}
	}
	return id
}

func mustNote(t *testing.T, s *Store, caseID int64, kind NoteKind, text NoteText) int64 {
	t.Helper()
	id, err := s.CreateNote(ctxT(t), caseID, kind, text)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func revision(t *testing.T, s *Store) int64 {
	t.Helper()
	rev, err := s.ContentRevision(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

// TestNotesLifecycle: a note is sealed while pending and not public;
// approval publishes the text, clears the sealed columns, audits and moves
// the content revision; rejection and removal delete the row; a decided
// note cannot be decided again.
func TestNotesLifecycle(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		id := notesCase(t, s, "Noted Person", true)
		rev := revision(t, s)
		text := NoteText{Message: "Thinking of you all in Gander.", DisplayName: "Maisie"}
		nid := mustNote(t, s, id, NoteSupport, text)
		if revision(t, s) != rev {
			t.Error("a pending note moved the content revision")
		}
		n, err := s.GetNote(ctx, nid)
		if err != nil {
			t.Fatal(err)
		}
		if n.State != NotePending || n.Kind != NoteSupport || n.PublicMessage != "" || n.PublicName != "" {
			t.Fatalf("pending note = %+v", n)
		}
		// The text is sealed, bound to the row's token.
		if bytes.Contains(n.Message, []byte("Gander")) || bytes.Contains(n.DisplayName, []byte("Maisie")) {
			t.Fatal("pending note stored in plaintext")
		}
		c := s.fieldCipher().(*testCipher)
		if got, err := c.open(n.Message, "case_notes", "message", nid, n.SealToken); err != nil || got != text.Message {
			t.Fatalf("sealed message opens to %q, %v", got, err)
		}
		if got, err := c.open(n.DisplayName, "case_notes", "display_name", nid, n.SealToken); err != nil || got != text.DisplayName {
			t.Fatalf("sealed name opens to %q, %v", got, err)
		}
		if open, notes, err := s.PublicNotes(ctx, id); err != nil || !open || len(notes) != 0 {
			t.Fatalf("PublicNotes before approval = %v, %d, %v", open, len(notes), err)
		}
		if q, total, err := s.ListNotes(ctx, NotePending, 1, 10); err != nil || total != 1 || len(q) != 1 || q[0].CaseName != "Noted Person" || q[0].CaseStatus != StatusMissing {
			t.Fatalf("pending queue = %+v, %d, %v", q, total, err)
		}
		if n, err := s.CountPendingNotes(ctx); err != nil || n != 1 {
			t.Fatalf("CountPendingNotes = %d, %v", n, err)
		}
		if p, a, err := s.CountCaseNotes(ctx, id); err != nil || p != 1 || a != 0 {
			t.Fatalf("CountCaseNotes = %d, %d, %v; want 1 pending", p, a, err)
		}

		if err := s.ApproveNote(ctx, nid, text, &AuditEntry{Action: "note.approve", Summary: "approved"}); err != nil {
			t.Fatal(err)
		}
		if revision(t, s) == rev {
			t.Error("approval did not move the content revision")
		}
		n, err = s.GetNote(ctx, nid)
		if err != nil {
			t.Fatal(err)
		}
		if n.State != NoteApproved || n.PublicMessage != text.Message || n.PublicName != "Maisie" || n.Message != nil || n.DisplayName != nil || n.ApprovedAt == nil {
			t.Fatalf("approved note = %+v", n)
		}
		if open, notes, err := s.PublicNotes(ctx, id); err != nil || !open || len(notes) != 1 || notes[0].PublicMessage != text.Message {
			t.Fatalf("PublicNotes after approval = %v, %+v, %v", open, notes, err)
		}
		if p, a, err := s.CountCaseNotes(ctx, id); err != nil || p != 0 || a != 1 {
			t.Fatalf("CountCaseNotes = %d, %d, %v; want 1 approved", p, a, err)
		}
		wantErr(t, s.ApproveNote(ctx, nid, text, nil), ErrConflict)
		wantErr(t, s.RejectNote(ctx, nid, nil), ErrConflict)
		wantErr(t, s.ApproveNote(ctx, 999999, text, nil), ErrNotFound)
		audits, _, err := s.ListAudit(ctx, AuditFilter{Action: "note.approve"})
		if err != nil || len(audits) != 1 || audits[0].Record != caseRecord(id) {
			t.Fatalf("approve audit = %+v, %v", audits, err)
		}

		// Reject: the row is gone, the revision stays.
		other := mustNote(t, s, id, NoteSharing, NoteText{})
		rev = revision(t, s)
		if err := s.RejectNote(ctx, other, &AuditEntry{Action: "note.reject"}); err != nil {
			t.Fatal(err)
		}
		wantErr(t, func() error { _, err := s.GetNote(ctx, other); return err }(), ErrNotFound)
		if revision(t, s) != rev {
			t.Error("rejecting a pending note moved the content revision")
		}
		wantErr(t, s.RemoveNote(ctx, other, nil), ErrNotFound)

		// Remove the approved one: gone from the page, revision moves.
		if err := s.RemoveNote(ctx, nid, &AuditEntry{Action: "note.remove"}); err != nil {
			t.Fatal(err)
		}
		if revision(t, s) == rev {
			t.Error("removing an approved note did not move the content revision")
		}
		if _, notes, _ := s.PublicNotes(ctx, id); len(notes) != 0 {
			t.Fatalf("removed note still public: %+v", notes)
		}
		for _, a := range []string{"note.reject", "note.remove"} {
			if es, _, err := s.ListAudit(ctx, AuditFilter{Action: a}); err != nil || len(es) != 1 {
				t.Errorf("%s audit entries = %d, %v", a, len(es), err)
			}
		}
	})
}

// TestNotesRefused: only a missing case with notes on takes a note; the
// refusals say why, leave no row and never a content change; bad values
// are ErrInvalid.
func TestNotesRefused(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		off := notesCase(t, s, "Notes Off", false)
		_, err := s.CreateNote(ctx, off, NoteSupport, NoteText{Message: "hello"})
		wantErr(t, err, ErrNotesOff)
		if open, _, err := s.PublicNotes(ctx, off); err != nil || open {
			t.Fatalf("notes open on a case with notes off: %v %v", open, err)
		}
		// The case page reads the flag with the case.
		allowed := notesCase(t, s, "Notes Allowed", true)
		for id, want := range map[int64]bool{off: false, allowed: true} {
			if c, err := s.GetCaseForPublic(ctx, id); err != nil || c.NotesAllowed != want {
				t.Fatalf("case %d read with NotesAllowed %v (err %v), want %v", id, c != nil && c.NotesAllowed, err, want)
			}
		}
		for _, st := range []struct {
			status Status
			want   error
		}{{StatusLocated, ErrCaseClosed}, {StatusArchived, ErrCaseClosed}, {StatusPending, ErrNotFound}, {StatusRejected, ErrNotFound}} {
			id := mustCreate(t, s, newCase("Closed "+string(st.status)), st.status)
			if _, err := s.SetNotesAllowed(ctx, id, true, nil); err != nil {
				t.Fatal(err)
			}
			_, err := s.CreateNote(ctx, id, NoteSupport, NoteText{Message: "hello"})
			wantErr(t, err, st.want)
		}
		_, err = s.CreateNote(ctx, 987654, NoteSupport, NoteText{Message: "hello"})
		wantErr(t, err, ErrNotFound)

		on := notesCase(t, s, "Notes On", true)
		for _, bad := range []struct {
			kind NoteKind
			text NoteText
		}{
			{"gossip", NoteText{Message: "x"}},
			{NoteSupport, NoteText{}}, // support needs words
			{NoteSupport, NoteText{Message: strings.Repeat("a", MaxNoteMessage+1)}},
			{NoteSupport, NoteText{Message: "ok", DisplayName: strings.Repeat("n", MaxNoteName+1)}},
			{NoteSupport, NoteText{Message: "bad \xff utf-8"}},
		} {
			_, err := s.CreateNote(ctx, on, bad.kind, bad.text)
			wantErr(t, err, ErrInvalid)
		}
		// A sharing note may come without words.
		mustNote(t, s, on, NoteSharing, NoteText{})
		if n, _ := s.CountPendingNotes(ctx); n != 1 {
			t.Fatalf("pending notes = %d, want only the sharing note", n)
		}
		if _, _, err := s.ListNotes(ctx, "rejected", 1, 10); err == nil {
			t.Fatal("ListNotes accepted an unknown state")
		}
	})
}

// TestNotesFlagAndClosing: approved notes show only while the case is
// missing and allows notes; turning the flag changes the revision and is
// audited once; withdrawal, archive and deletion take the notes along;
// a merge moves them.
func TestNotesFlagAndClosing(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		id := notesCase(t, s, "Flag Case", true)
		nid := mustNote(t, s, id, NoteSupport, NoteText{Message: "We are with you."})
		if err := s.ApproveNote(ctx, nid, NoteText{Message: "We are with you."}, nil); err != nil {
			t.Fatal(err)
		}
		rev := revision(t, s)
		if changed, err := s.SetNotesAllowed(ctx, id, true, &AuditEntry{Action: "case.notes"}); err != nil || changed {
			t.Fatalf("setting the same value = %v, %v; want no change", changed, err)
		}
		if revision(t, s) != rev {
			t.Error("an unchanged flag moved the revision")
		}
		if changed, err := s.SetNotesAllowed(ctx, id, false, &AuditEntry{Action: "case.notes"}); err != nil || !changed {
			t.Fatalf("turning off = %v, %v", changed, err)
		}
		if revision(t, s) == rev {
			t.Error("turning notes off did not move the revision")
		}
		if open, notes, _ := s.PublicNotes(ctx, id); open || len(notes) != 0 {
			t.Fatalf("notes off but PublicNotes = %v, %d", open, len(notes))
		}
		if es, _, _ := s.ListAudit(ctx, AuditFilter{Action: "case.notes", Record: caseRecord(id)}); len(es) != 2 {
			t.Errorf("flag audits = %d, want 2 (on, off; the no-op is not audited)", len(es))
		}
		if _, err := s.SetNotesAllowed(ctx, 424242, true, nil); err == nil {
			t.Error("SetNotesAllowed on an unknown case succeeded")
		}
		if _, err := s.SetNotesAllowed(ctx, id, true, nil); err != nil {
			t.Fatal(err)
		}
		if _, notes, _ := s.PublicNotes(ctx, id); len(notes) != 1 {
			t.Fatalf("notes back on: %d approved shown, want 1", len(notes))
		}

		// Located: hidden but kept (the case may re-open); withdrawal
		// deletes them.
		mustNote(t, s, id, NoteSharing, NoteText{DisplayName: "Ben"})
		if err := s.TransitionCase(ctx, id, StatusLocated, "", nil); err != nil {
			t.Fatal(err)
		}
		if open, notes, _ := s.PublicNotes(ctx, id); open || len(notes) != 0 {
			t.Fatal("a located case shows notes")
		}
		if _, err := s.WithdrawPersonal(ctx, id, nil); err != nil {
			t.Fatal(err)
		}
		countNotes := func(caseID int64) int {
			var n int
			if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM case_notes WHERE case_id = ?", caseID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := countNotes(id); n != 0 {
			t.Fatalf("%d notes left after withdrawal", n)
		}

		// Archived by a moderator straight from missing.
		arch := notesCase(t, s, "Archive Me", true)
		mustNote(t, s, arch, NoteSupport, NoteText{Message: "Hope"})
		if err := s.TransitionCase(ctx, arch, StatusArchived, "", nil); err != nil {
			t.Fatal(err)
		}
		if n := countNotes(arch); n != 0 {
			t.Fatalf("%d notes left after archive", n)
		}

		// A merge moves notes from the report to the case it joins. A
		// report (pending) cannot take notes, so the row is moved in by
		// hand from an open case first, as if it had been re-considered.
		into := notesCase(t, s, "Merge Target", true)
		src := notesCase(t, s, "Merge Source", true)
		moved := mustNote(t, s, src, NoteSupport, NoteText{Message: "Strength"})
		if err := s.TransitionCase(ctx, src, StatusLocated, "", nil); err != nil {
			t.Fatal(err)
		}
		from := mustCreate(t, s, newCase("Merge Report"), StatusPending)
		if _, err := s.wdb.ExecContext(ctx, "UPDATE case_notes SET case_id = ? WHERE id = ?", from, moved); err != nil {
			t.Fatal(err)
		}
		res, err := s.MergeCase(ctx, from, into, &AuditEntry{Action: "case.merge"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Notes != 1 || countNotes(into) != 1 || countNotes(from) != 0 {
			t.Fatalf("merge moved %d notes; target has %d, source %d", res.Notes, countNotes(into), countNotes(from))
		}
	})
}

// TestNotesConcurrentDecisions: moderators approving and rejecting one
// note at once decide it exactly once; the others get ErrConflict (or
// ErrNotFound once a rejection deleted it), never another error.
func TestNotesConcurrentDecisions(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		id := notesCase(t, s, "Busy Case", true)
		nid := mustNote(t, s, id, NoteSupport, NoteText{Message: "Come home"})
		const n = 8
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for i := range n {
			wg.Go(func() {
				var err error
				if i%2 == 0 {
					err = s.ApproveNote(ctxT(t), nid, NoteText{Message: "Come home"}, &AuditEntry{Action: "note.approve"})
				} else {
					err = s.RejectNote(ctxT(t), nid, &AuditEntry{Action: "note.reject"})
				}
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case isAny(err, ErrConflict, ErrNotFound):
				default:
					t.Errorf("unexpected error: %v", err)
				}
			})
		}
		wg.Wait()
		if ok != 1 {
			t.Fatalf("%d decisions succeeded, want exactly 1", ok)
		}
		a, _, _ := s.ListAudit(ctxT(t), AuditFilter{Action: "note.approve"})
		r, _, _ := s.ListAudit(ctxT(t), AuditFilter{Action: "note.reject"})
		if len(a)+len(r) != 1 {
			t.Fatalf("%d audit entries, want 1", len(a)+len(r))
		}
	})
}

func isAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}
