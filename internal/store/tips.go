package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// TipFilter selects tips; zero values mean "any".
type TipFilter struct {
	CaseID  int64
	State   TipState
	Page    int
	PerPage int // default 20, max 100
}

func validTipState(s TipState) bool { return s == TipNew || s == TipReviewed || s == TipForwarded }

const tipColumns = "id, case_id, message, seen_at, seen_location, name, phone, email, seal_token, state, notes, created_at"

func scanTip(r rowScanner) (*Tip, error) {
	var t Tip
	var st string
	if err := r.Scan(&t.ID, &t.CaseID, &t.Message, &t.SeenAt, &t.SeenLocation, (*[]byte)(&t.Name), (*[]byte)(&t.Phone), (*[]byte)(&t.Email), &t.SealToken,
		&st, &t.Notes, timeDest{&t.CreatedAt}); err != nil {
		return nil, err
	}
	t.State = TipState(st)
	return &t, nil
}

// ErrCaseClosed: the case no longer takes tips. Only a case still missing
// does: once located (or archived) its appeal is over, and a tip the team
// would never read is personal data kept for nothing.
var ErrCaseClosed = errors.New("case no longer takes tips")

// CreateTip stores a tip about a case that is still missing. A located or
// archived case gives ErrCaseClosed, any other (or no) case ErrNotFound.
// The check and the insert are in one transaction that first takes the
// case row's write lock, so a tip racing a moderator's status change either
// commits before the change or is refused after it, whatever the isolation
// level. The contact is sealed before the transaction (one keeper call for
// the three fields, bound to the tip's new seal token) and inserted with the
// row: one statement, no keeper call while the transaction is open.
func (s *Store) CreateTip(ctx context.Context, t *Tip, contact TipContact) (int64, error) {
	defer s.observe("create_tip", time.Now())
	var k checker
	k.require("message", t.Message)
	k.long("message", t.Message)
	k.text("seen_at", t.SeenAt, maxName)
	k.text("seen_location", t.SeenLocation, maxName)
	if err := k.err(); err != nil {
		return 0, fmt.Errorf("store: create tip: %w", err)
	}
	// Sealed here, before the transaction: the keeper may be KMS, a
	// network round trip, and the transaction must not wait on it.
	token, err := newSealToken()
	if err != nil {
		return 0, fmt.Errorf("store: create tip: %w", err)
	}
	vals, err := sealRow(ctx, s.fieldCipher(), "tips", 0, token, []sealField{{"name", contact.Name}, {"phone", contact.Phone}, {"email", contact.Email}})
	if err != nil {
		return 0, fmt.Errorf("store: create tip: %w", err)
	}
	ts := now()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		// A no-op UPDATE is the portable locking read: it reads the latest
		// committed status and holds the row until commit (MySQL; SQLite
		// has one writer at a time anyway). A plain INSERT … SELECT would
		// not lock the case under READ COMMITTED, so a tip could commit
		// just after the case was marked located.
		err := mustAffect(tx.ExecContext(ctx, "UPDATE cases SET status = status WHERE id = ? AND status = 'missing'", t.CaseID))
		if errors.Is(err, ErrNotFound) {
			return closedOrMissing(ctx, tx, t.CaseID)
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO tips (case_id, message, seen_at, seen_location, name, phone, email, seal_token, state, notes, created_at)
			SELECT id, ?, ?, ?, ?, ?, ?, ?, 'new', '', ? FROM cases WHERE id = ? AND status = 'missing'`,
			t.Message, t.SeenAt, t.SeenLocation, nullBytes(vals[0]), nullBytes(vals[1]), nullBytes(vals[2]), token, dbTime(ts), t.CaseID)
		if err := mustAffect(res, err); err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		t.ID = id
		return insertFanout(ctx, tx, FanoutTipReceived, t.CaseID, 0, ts)
	})
	if err != nil {
		t.ID = 0
		return 0, fmt.Errorf("store: create tip for case %d: %w", t.CaseID, err)
	}
	t.Name, t.Phone, t.Email, t.SealToken = vals[0], vals[1], vals[2], token
	t.State, t.Notes, t.CreatedAt = TipNew, "", ts
	return t.ID, nil
}

// closedOrMissing explains why a case takes no tip: ErrCaseClosed when it
// was published and its appeal has ended, ErrNotFound otherwise (no such
// case, or one never published, which the public must not learn exists).
func closedOrMissing(ctx context.Context, q queryer, id int64) error {
	var st string
	if err := q.QueryRowContext(ctx, "SELECT status FROM cases WHERE id = ?", id).Scan(&st); err != nil {
		return notFound(err)
	}
	switch Status(st) {
	case StatusLocated, StatusArchived:
		return ErrCaseClosed
	}
	return ErrNotFound
}

// GetTip returns one tip.
func (s *Store) GetTip(ctx context.Context, id int64) (*Tip, error) {
	t, err := scanTip(s.db.QueryRowContext(ctx, "SELECT "+tipColumns+" FROM tips WHERE id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("store: get tip %d: %w", id, notFound(err))
	}
	return t, nil
}

// ListTips returns one page of tips, newest first, and the total count.
func (s *Store) ListTips(ctx context.Context, f TipFilter) ([]Tip, int, error) {
	defer s.observe("list_tips", time.Now())
	var where []string
	var args []any
	if f.CaseID != 0 {
		where = append(where, "case_id = ?")
		args = append(args, f.CaseID)
	}
	if f.State != "" {
		where = append(where, "state = ?")
		args = append(args, string(f.State))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	_, per, off := page(f.Page, f.PerPage, 20, 100)
	var total int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM tips"+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: list tips: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+tipColumns+" FROM tips"+cond+" ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", append(args, per, off)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list tips: %w", err)
	}
	defer rows.Close()
	var out []Tip
	for rows.Next() {
		t, err := scanTip(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("store: list tips: %w", err)
		}
		out = append(out, *t)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: list tips: %w", err)
	}
	return out, total, nil
}

// SetTipState moves a tip in the team's inbox and stores the team's notes.
func (s *Store) SetTipState(ctx context.Context, id int64, state TipState, notes string, audit *AuditEntry) error {
	if !validTipState(state) {
		return fmt.Errorf("store: set tip %d state: %w: unknown state %q", id, ErrInvalid, state)
	}
	var k checker
	k.long("notes", notes)
	if err := k.err(); err != nil {
		return fmt.Errorf("store: set tip %d state: %w", id, err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustAffect(tx.ExecContext(ctx, "UPDATE tips SET state = ?, notes = ? WHERE id = ?", string(state), notes, id)); err != nil {
			return err
		}
		return insertAudit(ctx, tx, audit, fmt.Sprintf("tip:%d", id))
	})
	if err != nil {
		return fmt.Errorf("store: set tip %d state: %w", id, err)
	}
	return nil
}

// CountTipsByState counts tips per state (every state is present).
func (s *Store) CountTipsByState(ctx context.Context) (map[TipState]int, error) {
	out := map[TipState]int{TipNew: 0, TipReviewed: 0, TipForwarded: 0}
	rows, err := s.db.QueryContext(ctx, "SELECT state, COUNT(*) FROM tips GROUP BY state")
	if err != nil {
		return nil, fmt.Errorf("store: count tips: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("store: count tips: %w", err)
		}
		out[TipState(st)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: count tips: %w", err)
	}
	return out, nil
}
