package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Login throttling lives in the database so every instance sees the same
// failures. key is chosen by internal/auth (e.g. "ip:192.0.2.1" or
// "email:x@example.org").

func checkFailKey(key string) error {
	var k checker
	k.require("key", key)
	k.text("key", key, 255)
	return k.err()
}

// RecordLoginFailure notes one failed login for key.
func (s *Store) RecordLoginFailure(ctx context.Context, key string, at time.Time) error {
	if err := checkFailKey(key); err != nil {
		return fmt.Errorf("store: record login failure: %w", err)
	}
	if _, err := s.wdb.ExecContext(ctx, "INSERT INTO login_failures (fail_key, failed_at) VALUES (?, ?)", key, dbTime(at)); err != nil {
		return fmt.Errorf("store: record login failure: %w", err)
	}
	return nil
}

// CountLoginFailures counts failures for key at or after since.
func (s *Store) CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM login_failures WHERE fail_key = ? AND failed_at >= ?", key, dbTime(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count login failures: %w", err)
	}
	return n, nil
}

// ClearLoginFailures forgets the failures for key (after a good login).
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	if _, err := s.wdb.ExecContext(ctx, "DELETE FROM login_failures WHERE fail_key = ?", key); err != nil {
		return fmt.Errorf("store: clear login failures: %w", err)
	}
	return nil
}

// PruneLoginFailures deletes failures older than before (housekeeping, so
// the table does not grow without bound); it returns how many. Lock rows
// unused since before go too (ReserveLoginFailures re-creates them).
func (s *Store) PruneLoginFailures(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.wdb.ExecContext(ctx, "DELETE FROM login_failures WHERE failed_at < ?", dbTime(before))
	if err != nil {
		return 0, fmt.Errorf("store: prune login failures: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: prune login failures: %w", err)
	}
	if _, err := s.wdb.ExecContext(ctx, "DELETE FROM login_locks WHERE locked_at < ?", dbTime(before)); err != nil {
		return n, fmt.Errorf("store: prune login locks: %w", err)
	}
	return n, nil
}

// LoginFailureCounter counts failures for a key at or after since; the
// callback of ReserveLoginFailures gets one bound to its transaction.
type LoginFailureCounter interface {
	CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error)
}

type txFailureCounter struct{ tx *sql.Tx }

func (c txFailureCounter) CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	if err := c.tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM login_failures WHERE fail_key = ? AND failed_at >= ?", key, dbTime(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count login failures: %w", err)
	}
	return n, nil
}

// errLockRowMissing: a key's row in login_locks does not exist (first use,
// or pruned); ReserveLoginFailures creates it and tries again.
var errLockRowMissing = errors.New("login lock row missing")

// ReserveLoginFailures makes "check the counts, then record an attempt" one
// step across every instance sharing the database. In one transaction it
// locks the rows of keys in login_locks (an UPDATE of an existing row by
// primary key: an exclusive row lock on MySQL, the database write lock on
// SQLite), so every other reservation for any of these keys waits; then it
// calls allow with a counter that sees every failure committed before. When
// allow returns nil, one failure is recorded at at for each key and their
// ids are returned (DeleteLoginFailures gives them back when the attempt
// turns out to be good). When allow returns an error, nothing is recorded
// and that error is returned as it is, so the caller's sentinel survives.
//
// Keys are locked in sorted order, so two reservations never wait for each
// other in a cycle. The InnoDB snapshot of the counts is taken at the first
// plain read, which comes after the locks are held.
func (s *Store) ReserveLoginFailures(ctx context.Context, keys []string, at time.Time, allow func(c LoginFailureCounter) error) ([]int64, error) {
	keys = slices.Clone(keys)
	slices.Sort(keys)
	keys = slices.Compact(keys)
	for _, k := range keys {
		if err := checkFailKey(k); err != nil {
			return nil, fmt.Errorf("store: reserve login attempt: %w", err)
		}
	}
	for try := 0; ; try++ {
		var ids []int64
		var refused error
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			ids, refused = ids[:0], nil
			for _, k := range keys {
				res, err := tx.ExecContext(ctx, "UPDATE login_locks SET uses = uses + 1, locked_at = ? WHERE lock_key = ?", dbTime(at), k)
				if err != nil {
					return err
				}
				if n, err := res.RowsAffected(); err != nil {
					return err
				} else if n == 0 {
					return errLockRowMissing
				}
			}
			if err := allow(txFailureCounter{tx}); err != nil {
				refused = err
				return err
			}
			for _, k := range keys {
				res, err := tx.ExecContext(ctx, "INSERT INTO login_failures (fail_key, failed_at) VALUES (?, ?)", k, dbTime(at))
				if err != nil {
					return err
				}
				id, err := res.LastInsertId()
				if err != nil {
					return err
				}
				ids = append(ids, id)
			}
			return nil
		})
		switch {
		case refused != nil:
			return nil, refused
		case errors.Is(err, errLockRowMissing) && try < 3:
			if err := s.createLoginLocks(ctx, keys, at); err != nil {
				return nil, fmt.Errorf("store: reserve login attempt: %w", err)
			}
			continue
		case err != nil:
			return nil, fmt.Errorf("store: reserve login attempt: %w", err)
		}
		return ids, nil
	}
}

// createLoginLocks inserts the lock rows that do not exist yet; a row made
// by a concurrent request in the meantime is just as good.
func (s *Store) createLoginLocks(ctx context.Context, keys []string, at time.Time) error {
	for _, k := range keys {
		_, err := s.wdb.ExecContext(ctx, "INSERT INTO login_locks (lock_key, uses, locked_at) VALUES (?, 0, ?)", k, dbTime(at))
		if err != nil && !s.d.isUniqueViolation(err) {
			return err
		}
	}
	return nil
}

// DeleteLoginFailures removes the failures with these ids (a reservation
// released because the attempt was good).
func (s *Store) DeleteLoginFailures(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	if _, err := s.wdb.ExecContext(ctx, "DELETE FROM login_failures WHERE id IN ("+placeholders(len(ids))+")", args...); err != nil {
		return fmt.Errorf("store: delete login failures: %w", err)
	}
	return nil
}
