package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Fan-out kinds: the events that cause mail. The store writes a fan-out
// row in the event's own transaction (so an event never commits without
// its mail, nor mail without its event); internal/mail expands each into
// outbox messages in the background (so a moderator publishing a case in
// a region with thousands of subscribers does not wait for them). A
// fan-out row holds no personal data: only the event and the case.
const (
	FanoutReportSubmitted = "report_submitted" // reporter's confirmation with the reference; staff: a report awaits review
	FanoutCasePublished   = "case_published"   // area alerts; reporter: the report is published
	FanoutCaseRejected    = "case_rejected"    // reporter: the report cannot be published
	FanoutCaseUpdate      = "case_update"      // followers: a new public update
	FanoutCaseClosed      = "case_closed"      // followers and reporter: a short closing notice; then the followers are deleted
	FanoutTipReceived     = "tip_received"     // staff: a tip arrived on a case
)

// Fanout is one event waiting to be turned into messages.
type Fanout struct {
	ID       int64
	Kind     string
	CaseID   int64
	UpdateID int64 // case_update only
	// AfterID is how far the expansion got: the last subscription (or
	// staff user) already handled, so a crash resumes after it.
	AfterID   int64
	CreatedAt time.Time
}

// insertFanout records an event that causes mail, inside its transaction.
func insertFanout(ctx context.Context, tx *sql.Tx, kind string, caseID, updateID int64, at time.Time) error {
	var upd any
	if updateID != 0 {
		upd = updateID
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO outbox_fanouts (kind, case_id, update_id, after_id, state, created_at) VALUES (?, ?, ?, 0, 'pending', ?)",
		kind, caseID, upd, dbTime(at)); err != nil {
		return fmt.Errorf("queue %s mail: %w", kind, err)
	}
	return nil
}

// transitionFanout is the mail a status change causes ("" for none).
// A report the reporter withdrew themselves is not answered with "your
// report cannot be published".
func transitionFanout(from, to Status, reason string) string {
	switch {
	case from == StatusPending && to == StatusMissing:
		return FanoutCasePublished
	case from == StatusPending && to == StatusRejected && reason != WithdrawnByReporter:
		return FanoutCaseRejected
	case from == StatusMissing && (to == StatusLocated || to == StatusArchived):
		return FanoutCaseClosed
	}
	return ""
}

// ClaimFanout leases the oldest pending fan-out to owner (ErrNotFound when
// there is none). One at a time: a fan-out is expanded in batches, each
// renewing the lease (AdvanceFanout), so a crashed worker's fan-out is
// taken over after lease.
func (s *Store) ClaimFanout(ctx context.Context, owner string, lease time.Duration) (*Fanout, error) {
	if owner == "" || lease <= 0 {
		return nil, fmt.Errorf("store: claim fan-out: %w: owner and lease required", ErrInvalid)
	}
	var f *Fanout
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		t := now()
		ts := dbTime(t)
		var id int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM outbox_fanouts WHERE state = 'pending' AND (lease_until IS NULL OR lease_until <= ?) ORDER BY id LIMIT 1"+s.d.lockSkipping(), ts).Scan(&id)
		if err != nil {
			return notFound(err)
		}
		if err := mustAffect(tx.ExecContext(ctx, "UPDATE outbox_fanouts SET lease_owner = ?, lease_until = ? WHERE id = ? AND state = 'pending' AND (lease_until IS NULL OR lease_until <= ?)",
			owner, dbTime(t.Add(lease)), id, ts)); err != nil {
			return err
		}
		var x Fanout
		var upd sql.NullInt64
		if err := tx.QueryRowContext(ctx, "SELECT id, kind, case_id, update_id, after_id, created_at FROM outbox_fanouts WHERE id = ?", id).
			Scan(&x.ID, &x.Kind, &x.CaseID, &upd, &x.AfterID, timeDest{&x.CreatedAt}); err != nil {
			return err
		}
		x.UpdateID = upd.Int64
		f = &x
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim fan-out: %w", err)
	}
	return f, nil
}

// FanoutStep is one batch of a fan-out's expansion.
type FanoutStep struct {
	Mail    []PreparedMail
	AfterID int64         // the cursor after this batch
	Done    bool          // the last batch: the fan-out is finished
	Lease   time.Duration // renewed lease when not done
	// DeleteFollowers (with Done, for case_closed): the case's followers
	// have had their last message and their subscriptions end now.
	DeleteFollowers bool
}

// AdvanceFanout queues one batch of a fan-out's messages and moves its
// cursor, in one transaction, if owner still holds the fan-out (ErrNotFound
// otherwise: another worker took over, and nothing is written). A crash
// before the commit repeats the batch; a crash after it resumes after it.
func (s *Store) AdvanceFanout(ctx context.Context, f *Fanout, owner string, step FanoutStep) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		t := now()
		q, args := "UPDATE outbox_fanouts SET after_id = ?, lease_until = ? WHERE id = ? AND lease_owner = ? AND state = 'pending'", []any{step.AfterID, dbTime(t.Add(step.Lease)), f.ID, owner}
		if step.Done {
			q, args = "UPDATE outbox_fanouts SET after_id = ?, state = 'done', done_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ? AND state = 'pending'", []any{step.AfterID, dbTime(t), f.ID, owner}
		}
		if err := mustAffect(tx.ExecContext(ctx, q, args...)); err != nil {
			return err
		}
		if _, err := enqueueTx(ctx, tx, s.d, t, step.Mail); err != nil {
			return err
		}
		if step.Done && step.DeleteFollowers {
			if _, err := tx.ExecContext(ctx, "DELETE FROM subscriptions WHERE case_id = ?", f.CaseID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: advance fan-out %d: %w", f.ID, err)
	}
	f.AfterID = step.AfterID
	return nil
}

// CountPendingFanouts counts events not yet turned into messages.
func (s *Store) CountPendingFanouts(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM outbox_fanouts WHERE state = 'pending'").Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count fan-outs: %w", err)
	}
	return n, nil
}

// DeleteDoneFanouts deletes finished fan-outs older than cutoff.
func (s *Store) DeleteDoneFanouts(ctx context.Context, cutoff time.Time) error {
	if _, err := s.wdb.ExecContext(ctx, "DELETE FROM outbox_fanouts WHERE state = 'done' AND done_at < ?", dbTime(cutoff)); err != nil {
		return fmt.Errorf("store: delete done fan-outs: %w", err)
	}
	return nil
}
