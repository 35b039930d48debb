package store

import (
	"context"
	"fmt"
	"time"
)

// AcquireLease takes or renews the named lease for holder for ttl. It
// returns true when holder now holds it: the lease was free, expired, or
// already holder's. Background jobs (retention, mail) run only while they
// hold their lease, so two instances never run the same job at once.
//
// Portable compare-and-set: a conditional UPDATE first (renew or take over
// an expired lease), then an INSERT for a lease never taken; a duplicate
// key on that INSERT means another holder got there first.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	var k checker
	k.require("name", name)
	k.text("name", name, maxShort)
	k.require("holder", holder)
	k.text("holder", holder, maxName)
	if ttl <= 0 {
		k.add("ttl: must be positive")
	}
	if err := k.err(); err != nil {
		return false, fmt.Errorf("store: acquire lease: %w", err)
	}
	t := now()
	until := dbTime(t.Add(ttl))
	res, err := s.wdb.ExecContext(ctx, "UPDATE leases SET holder = ?, expires_at = ? WHERE name = ? AND (holder = ? OR expires_at <= ?)",
		holder, until, name, holder, dbTime(t))
	if err != nil {
		return false, fmt.Errorf("store: acquire lease %q: %w", name, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, fmt.Errorf("store: acquire lease %q: %w", name, err)
	} else if n > 0 {
		return true, nil
	}
	if _, err := s.wdb.ExecContext(ctx, "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)", name, holder, until); err != nil {
		if s.d.isUniqueViolation(err) {
			return false, nil
		}
		return false, fmt.Errorf("store: acquire lease %q: %w", name, err)
	}
	return true, nil
}

// ReleaseLease gives up holder's lease early (no error if not held).
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	if _, err := s.wdb.ExecContext(ctx, "DELETE FROM leases WHERE name = ? AND holder = ?", name, holder); err != nil {
		return fmt.Errorf("store: release lease %q: %w", name, err)
	}
	return nil
}
