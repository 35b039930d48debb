package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Public notes (issue 19 point 5): short messages from the public on an
// open case whose staff allowed them, shown only after a moderator
// approves each one. Migration 019 explains the storage: a pending note's
// text is sealed, an approved note's text is public content, a refused
// note is deleted.

// NoteKind is what a public note says.
type NoteKind string

const (
	NoteSupport NoteKind = "support" // a message of support
	NoteSharing NoteKind = "sharing" // "I'm sharing this in my community"
)

// Valid reports whether k is a known kind.
func (k NoteKind) Valid() bool { return k == NoteSupport || k == NoteSharing }

// NoteState is a note's place in moderation.
type NoteState string

const (
	NotePending  NoteState = "pending"
	NoteApproved NoteState = "approved"
)

// Note limits, in characters: a note is a line or two, not a story (tips
// are for information), and a display name is a first name or a nickname.
const (
	MaxNoteMessage = 500
	MaxNoteName    = 60
)

// Note is one public note. While pending, Message and DisplayName hold the
// sealed text (bound to SealToken) and the public fields are empty; once
// approved it is the other way round.
type Note struct {
	ID            int64
	CaseID        int64
	Kind          NoteKind
	State         NoteState
	Message       Sealed
	DisplayName   Sealed
	SealToken     []byte
	PublicMessage string
	PublicName    string
	CreatedAt     time.Time
	ApprovedAt    *time.Time
}

// NoteText is a note's plaintext: what the visitor typed, or what a
// moderator opened to approve.
type NoteText struct{ Message, DisplayName string }

// QueuedNote is a note in the moderators' list, with its case's name and
// status (a note can wait while its case closes).
type QueuedNote struct {
	Note
	CaseName   string
	CaseStatus Status
}

// ErrNotesOff: the case is open but its staff have not allowed public
// notes (or turned them off).
var ErrNotesOff = errors.New("case does not take public notes")

const noteColumns = "n.id, n.case_id, n.kind, n.state, n.message, n.display_name, n.seal_token, n.public_message, n.public_name, n.created_at, n.approved_at"

func scanNote(r rowScanner, extra ...any) (*Note, error) {
	var n Note
	var kind, state string
	dest := []any{&n.ID, &n.CaseID, &kind, &state, (*[]byte)(&n.Message), (*[]byte)(&n.DisplayName), &n.SealToken,
		&n.PublicMessage, &n.PublicName, timeDest{&n.CreatedAt}, nullTimeDest{&n.ApprovedAt}}
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	n.Kind, n.State = NoteKind(kind), NoteState(state)
	return &n, nil
}

func checkNoteText(kind NoteKind, text NoteText) error {
	var k checker
	if !kind.Valid() {
		k.add(fmt.Sprintf("kind: unknown %q", kind))
	}
	if kind == NoteSupport {
		k.require("message", text.Message)
	}
	k.text("message", text.Message, MaxNoteMessage)
	k.text("display_name", text.DisplayName, MaxNoteName)
	return k.err()
}

// CreateNote stores a pending note on a case that is missing and allows
// notes. A located or archived case gives ErrCaseClosed, an open one with
// notes off ErrNotesOff, any other (or no) case ErrNotFound. As in
// CreateTip, the text is sealed before the transaction, and the check and
// the insert share one transaction that first takes the case row's write
// lock, so a note racing a moderator turning notes off (or closing the
// case) is either in before the change or refused after it. A pending note
// is not public: the content revision stays.
func (s *Store) CreateNote(ctx context.Context, caseID int64, kind NoteKind, text NoteText) (int64, error) {
	defer s.observe("create_note", time.Now())
	if err := checkNoteText(kind, text); err != nil {
		return 0, fmt.Errorf("store: create note: %w", err)
	}
	token, err := newSealToken()
	if err != nil {
		return 0, fmt.Errorf("store: create note: %w", err)
	}
	vals, err := sealRow(ctx, s.fieldCipher(), "case_notes", 0, token, []sealField{{"message", text.Message}, {"display_name", text.DisplayName}})
	if err != nil {
		return 0, fmt.Errorf("store: create note: %w", err)
	}
	var id int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		err := mustAffect(tx.ExecContext(ctx, "UPDATE cases SET status = status WHERE id = ? AND status = 'missing' AND notes_allowed = 1", caseID))
		if errors.Is(err, ErrNotFound) {
			return notesRefused(ctx, tx, caseID)
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO case_notes (case_id, kind, state, message, display_name, seal_token, public_message, public_name, created_at)
			VALUES (?, ?, 'pending', ?, ?, ?, '', '', ?)`, caseID, string(kind), nullBytes(vals[0]), nullBytes(vals[1]), token, dbTime(now()))
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: create note for case %d: %w", caseID, err)
	}
	return id, nil
}

// notesRefused explains why a case takes no note: ErrNotesOff for an open
// case with notes off, else what closedOrMissing says for tips.
func notesRefused(ctx context.Context, q queryer, id int64) error {
	var st string
	var allowed bool
	if err := q.QueryRowContext(ctx, "SELECT status, notes_allowed FROM cases WHERE id = ?", id).Scan(&st, &allowed); err != nil {
		return notFound(err)
	}
	if Status(st) == StatusMissing && !allowed {
		return ErrNotesOff
	}
	return closedOrMissing(ctx, q, id)
}

// NotesAllowed reports whether staff allowed public notes on case id (in
// any status; the public page shows them only while it is missing).
func (s *Store) NotesAllowed(ctx context.Context, id int64) (bool, error) {
	var allowed bool
	if err := s.db.QueryRowContext(ctx, "SELECT notes_allowed FROM cases WHERE id = ?", id).Scan(&allowed); err != nil {
		return false, fmt.Errorf("store: notes allowed %d: %w", id, notFound(err))
	}
	return allowed, nil
}

// MaxPublicNotes bounds the notes one case page shows (the newest).
const MaxPublicNotes = 100

// PublicNotes returns what the public case page shows of notes: whether
// the form is open (the case is missing and allows notes) and, if so, its
// approved notes, newest first (at most MaxPublicNotes). A closed case or
// one with notes off shows none, even approved ones. The case page itself
// reads the flag with the case (Case.NotesAllowed) and calls ApprovedNotes.
func (s *Store) PublicNotes(ctx context.Context, caseID int64) (bool, []Note, error) {
	var open bool
	err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM cases WHERE id = ? AND status = 'missing' AND notes_allowed = 1", caseID).Scan(&open)
	if err != nil || !open {
		if err != nil {
			err = fmt.Errorf("store: public notes %d: %w", caseID, err)
		}
		return false, nil, err
	}
	notes, err := s.ApprovedNotes(ctx, caseID)
	return err == nil, notes, err
}

// ApprovedNotes returns up to MaxPublicNotes approved notes of a case,
// newest first, without asking whether notes are on: for a page that read
// the case (Case.NotesAllowed) in the same request.
func (s *Store) ApprovedNotes(ctx context.Context, caseID int64) ([]Note, error) {
	defer s.observe("public_notes", time.Now())
	notes, err := queryNotes(ctx, &s.reads, "SELECT "+noteColumns+" FROM case_notes n WHERE n.case_id = ? AND n.state = 'approved' ORDER BY n.created_at DESC, n.id DESC LIMIT ?",
		caseID, MaxPublicNotes)
	if err != nil {
		return nil, fmt.Errorf("store: public notes %d: %w", caseID, err)
	}
	return notes, nil
}

func queryNotes(ctx context.Context, db queryer, q string, args ...any) ([]Note, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		n, err := scanNote(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *n)
	}
	return out, rows.Err()
}

// GetNote returns one note.
func (s *Store) GetNote(ctx context.Context, id int64) (*Note, error) {
	n, err := scanNote(s.db.QueryRowContext(ctx, "SELECT "+noteColumns+" FROM case_notes n WHERE n.id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("store: get note %d: %w", id, notFound(err))
	}
	return n, nil
}

// ListNotes returns one page of notes in state for the moderators, oldest
// first for pending ones (first come, first read) and newest first for
// approved ones, with the total count.
func (s *Store) ListNotes(ctx context.Context, state NoteState, pageNo, perPage int) ([]QueuedNote, int, error) {
	defer s.observe("list_notes", time.Now())
	if state != NotePending && state != NoteApproved {
		return nil, 0, fmt.Errorf("store: list notes: %w: unknown state %q", ErrInvalid, state)
	}
	_, per, off := page(pageNo, perPage, 50, 200)
	var total int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM case_notes WHERE state = ?", string(state)).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: list notes: %w", err)
	}
	order := "n.created_at, n.id"
	if state == NoteApproved {
		order = "n.created_at DESC, n.id DESC"
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+noteColumns+", c.full_name, c.status FROM case_notes n JOIN cases c ON c.id = n.case_id WHERE n.state = ? ORDER BY "+order+" LIMIT ? OFFSET ?",
		string(state), per, off)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list notes: %w", err)
	}
	defer rows.Close()
	var out []QueuedNote
	for rows.Next() {
		var q QueuedNote
		var st string
		n, err := scanNote(rows, &q.CaseName, &st)
		if err != nil {
			return nil, 0, fmt.Errorf("store: list notes: %w", err)
		}
		q.Note, q.CaseStatus = *n, Status(st)
		out = append(out, q)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: list notes: %w", err)
	}
	return out, total, nil
}

// CountPendingNotes counts the notes waiting for a moderator.
func (s *Store) CountPendingNotes(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM case_notes WHERE state = 'pending'").Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count pending notes: %w", err)
	}
	return n, nil
}

// CountCaseNotes counts one case's notes waiting and approved, for its
// admin page.
func (s *Store) CountCaseNotes(ctx context.Context, caseID int64) (pending, approved int, err error) {
	rows, err := s.db.QueryContext(ctx, "SELECT state, COUNT(*) FROM case_notes WHERE case_id = ? GROUP BY state", caseID)
	if err != nil {
		return 0, 0, fmt.Errorf("store: count notes of case %d: %w", caseID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return 0, 0, fmt.Errorf("store: count notes of case %d: %w", caseID, err)
		}
		switch NoteState(st) {
		case NotePending:
			pending = n
		case NoteApproved:
			approved = n
		}
	}
	if err := rows.Err(); err != nil {
		return 0, 0, fmt.Errorf("store: count notes of case %d: %w", caseID, err)
	}
	return pending, approved, nil
}

// ApproveNote publishes a pending note with text, the plaintext the
// moderator read (the web layer opens the sealed values; the store only
// seals). The sealed columns are cleared in the same statement: the text
// is public from now on. A note no longer pending (approved or refused
// meanwhile by someone else) gives ErrConflict, an unknown one
// ErrNotFound. The audit entry (record: the note's case) and the content
// revision commit with it, so cached case pages are rebuilt.
func (s *Store) ApproveNote(ctx context.Context, id int64, text NoteText, audit *AuditEntry) error {
	defer s.observe("approve_note", time.Now())
	var k checker
	k.text("message", text.Message, MaxNoteMessage)
	k.text("display_name", text.DisplayName, MaxNoteName)
	if err := k.err(); err != nil {
		return fmt.Errorf("store: approve note %d: %w", id, err)
	}
	reset := auditReset(audit)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		reset()
		caseID, err := decideNote(ctx, tx, id, NotePending)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE case_notes SET state = 'approved', public_message = ?, public_name = ?,
			message = NULL, display_name = NULL, approved_at = ? WHERE id = ? AND state = 'pending'`,
			text.Message, text.DisplayName, dbTime(now()), id); err != nil {
			return err
		}
		if err := insertAudit(ctx, tx, audit, caseRecord(caseID)); err != nil {
			return err
		}
		return bumpContent(ctx, tx, caseID)
	})
	if err != nil {
		return fmt.Errorf("store: approve note %d: %w", id, err)
	}
	return nil
}

// RejectNote deletes a pending note: nothing refused is kept. It was never
// public, so the content revision stays. Errors as ApproveNote.
func (s *Store) RejectNote(ctx context.Context, id int64, audit *AuditEntry) error {
	return s.deleteNote(ctx, id, NotePending, audit)
}

// RemoveNote deletes an approved note, which leaves the public page (the
// content revision moves). Errors as ApproveNote.
func (s *Store) RemoveNote(ctx context.Context, id int64, audit *AuditEntry) error {
	return s.deleteNote(ctx, id, NoteApproved, audit)
}

func (s *Store) deleteNote(ctx context.Context, id int64, state NoteState, audit *AuditEntry) error {
	defer s.observe("delete_note", time.Now())
	reset := auditReset(audit)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		reset()
		caseID, err := decideNote(ctx, tx, id, state)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM case_notes WHERE id = ? AND state = ?", id, string(state)); err != nil {
			return err
		}
		if err := insertAudit(ctx, tx, audit, caseRecord(caseID)); err != nil {
			return err
		}
		if state == NoteApproved {
			return bumpContent(ctx, tx, caseID)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: delete %s note %d: %w", state, id, err)
	}
	return nil
}

// decideNote locks note id if it is in state and returns its case;
// ErrConflict when it exists in another state, ErrNotFound when it does
// not exist. The lock is a no-op UPDATE (the portable locking read, as in
// CreateTip), so of two moderators deciding one note, the second waits and
// then finds it decided.
func decideNote(ctx context.Context, tx *sql.Tx, id int64, state NoteState) (int64, error) {
	err := mustAffect(tx.ExecContext(ctx, "UPDATE case_notes SET state = state WHERE id = ? AND state = ?", id, string(state)))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return 0, err
	}
	var caseID int64
	var cur string
	if qerr := tx.QueryRowContext(ctx, "SELECT case_id, state FROM case_notes WHERE id = ?", id).Scan(&caseID, &cur); qerr != nil {
		return 0, notFound(qerr)
	}
	if err != nil || NoteState(cur) != state {
		return 0, fmt.Errorf("%w: note %d is %s, not %s", ErrConflict, id, cur, state)
	}
	return caseID, nil
}

// SetNotesAllowed turns public notes on or off for a case and reports
// whether that changed anything. A change is audited and moves the content
// revision (the case page gains or loses the form and the approved notes);
// the notes themselves are kept, so turning notes back on shows the
// approved ones again.
func (s *Store) SetNotesAllowed(ctx context.Context, caseID int64, allowed bool, audit *AuditEntry) (bool, error) {
	defer s.observe("set_notes_allowed", time.Now())
	reset := auditReset(audit)
	changed := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		reset()
		changed = false
		res, err := tx.ExecContext(ctx, "UPDATE cases SET notes_allowed = ? WHERE id = ? AND notes_allowed <> ?", allowed, caseID, allowed)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			// Unchanged, or no such case: tell them apart.
			var one int
			return notFound(tx.QueryRowContext(ctx, "SELECT 1 FROM cases WHERE id = ?", caseID).Scan(&one))
		}
		changed = true
		if err := insertAudit(ctx, tx, audit, caseRecord(caseID)); err != nil {
			return err
		}
		return bumpContent(ctx, tx, caseID)
	})
	if err != nil {
		return false, fmt.Errorf("store: set notes allowed on case %d: %w", caseID, err)
	}
	return changed, nil
}

// deleteCaseNotes deletes a case's notes inside tx (withdrawal of personal
// details, archive): they are about the person and end with the appeal.
func deleteCaseNotes(ctx context.Context, tx *sql.Tx, caseID int64) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM case_notes WHERE case_id = ?", caseID); err != nil {
		return fmt.Errorf("notes: %w", err)
	}
	return nil
}
