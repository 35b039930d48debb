package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Deleting what is kept no longer than its retention period (DESIGN.md
// privacy; internal/retention runs these under its lease). Every delete
// re-checks its condition in the statement itself, so two instances, or a
// moderator acting meanwhile, can never make it delete something that no
// longer qualifies.

// purgeable reports whether a case in this status may be deleted by
// retention: only reports that were never (or are no longer to be)
// published. A public or archived case is never deleted this way.
func purgeable(st Status) bool { return st == StatusPending || st == StatusRejected }

// ReportsDueForDeletion lists, oldest change first, the ids of cases in
// status (pending or rejected) not changed since changedBefore.
func (s *Store) ReportsDueForDeletion(ctx context.Context, status Status, changedBefore time.Time, limit int) ([]int64, error) {
	if !purgeable(status) {
		return nil, fmt.Errorf("store: reports due for deletion: %w: status %q is never deleted", ErrInvalid, status)
	}
	if limit < 1 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, "SELECT id FROM cases WHERE status = ? AND updated_at < ? ORDER BY updated_at, id LIMIT ?",
		string(status), dbTime(changedBefore), limit)
	if err != nil {
		return nil, fmt.Errorf("store: reports due for deletion: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: reports due for deletion: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: reports due for deletion: %w", err)
	}
	return ids, nil
}

// DeleteStaleReport deletes case id if it is still in status (pending or
// rejected) and unchanged since changedBefore, with its photo rows, updates
// and tips (the foreign keys cascade). It returns the deleted photos so the
// caller deletes their blobs after the commit (a failure then leaves an
// orphan blob, never a row pointing at nothing). A case that no longer
// qualifies (published, edited, already deleted) gives ErrNotFound.
func (s *Store) DeleteStaleReport(ctx context.Context, id int64, status Status, changedBefore time.Time) ([]Photo, error) {
	if !purgeable(status) {
		return nil, fmt.Errorf("store: delete report %d: %w: status %q is never deleted", id, ErrInvalid, status)
	}
	var photos []Photo
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		photos = nil
		// Lock the row while it still qualifies (a no-op UPDATE is the
		// portable locking read, as in CreateTip): a photo added or a
		// publication made meanwhile waits for this transaction, so the
		// photo list read next is complete.
		if err := mustAffect(tx.ExecContext(ctx, "UPDATE cases SET status = status WHERE id = ? AND status = ? AND updated_at < ?",
			id, string(status), dbTime(changedBefore))); err != nil {
			return err
		}
		var err error
		if photos, err = listPhotos(ctx, tx, id); err != nil {
			return err
		}
		return mustAffect(tx.ExecContext(ctx, "DELETE FROM cases WHERE id = ? AND status = ?", id, string(status)))
	})
	if err != nil {
		return nil, fmt.Errorf("store: delete report %d: %w", id, err)
	}
	return photos, nil
}

// DeleteTipsReceivedBefore deletes up to limit tips received before t
// (their sealed contacts with them) and returns how many it deleted.
func (s *Store) DeleteTipsReceivedBefore(ctx context.Context, t time.Time, limit int) (int, error) {
	n, err := s.deleteOlder(ctx, "tips", t, limit)
	if err != nil {
		return 0, fmt.Errorf("store: delete old tips: %w", err)
	}
	return n, nil
}

// DeleteMessagesReceivedBefore deletes up to limit contact messages
// received before t and returns how many it deleted.
func (s *Store) DeleteMessagesReceivedBefore(ctx context.Context, t time.Time, limit int) (int, error) {
	n, err := s.deleteOlder(ctx, "messages", t, limit)
	if err != nil {
		return 0, fmt.Errorf("store: delete old messages: %w", err)
	}
	return n, nil
}

// deleteOlder deletes up to limit rows of table created before t, oldest
// first. The ids are picked first because neither MySQL (LIMIT in an IN
// subquery) nor a stock SQLite (DELETE … LIMIT) takes the one-statement
// form; the DELETE repeats the age condition, so a row is only ever
// deleted when it is old enough. table is a literal from the callers above.
func (s *Store) deleteOlder(ctx context.Context, table string, t time.Time, limit int) (int, error) {
	if limit < 1 {
		limit = 500
	}
	var n int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		n = 0
		rows, err := tx.QueryContext(ctx, "SELECT id FROM "+table+" WHERE created_at < ? ORDER BY created_at, id LIMIT ?", dbTime(t), limit)
		if err != nil {
			return err
		}
		var ids []any
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE id IN ("+placeholders(len(ids))+") AND created_at < ?", append(ids, dbTime(t))...)
		if err != nil {
			return err
		}
		affected, err := res.RowsAffected()
		n = int(affected)
		return err
	})
	return n, err
}
