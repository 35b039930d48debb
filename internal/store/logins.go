package store

import (
	"context"
	"fmt"
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
// the table does not grow without bound); it returns how many.
func (s *Store) PruneLoginFailures(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.wdb.ExecContext(ctx, "DELETE FROM login_failures WHERE failed_at < ?", dbTime(before))
	if err != nil {
		return 0, fmt.Errorf("store: prune login failures: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: prune login failures: %w", err)
	}
	return n, nil
}
