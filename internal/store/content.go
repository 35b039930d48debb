package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ContentRevision returns the public content revision: a value that
// changes, in the same transaction as the write, whenever anything the
// public pages show changes (a case published, edited or unpublished, its
// photos or updates, the resources). The web layer's page cache polls it
// and drops every cached page when it differs from the value the cache was
// filled under, which is how several instances sharing one database see
// each other's writes. Compare with != and never <: restoring a backup can
// move it back.
//
// It is one primary-key read on the read pool, cheap enough to run every
// second per instance.
func (s *Store) ContentRevision(ctx context.Context) (int64, error) {
	defer s.observe("content_revision", time.Now())
	var rev int64
	if err := s.db.QueryRowContext(ctx, "SELECT rev FROM content_revision WHERE id = 1").Scan(&rev); err != nil {
		return 0, fmt.Errorf("store: content revision: %w", notFound(err))
	}
	return rev, nil
}

// bumpContent advances the content revision inside q, the transaction of
// the write that changed public content, so the new revision becomes
// visible exactly when the content does (and not at all if it rolls back).
// Callers run it as the last statement of the transaction body, after
// insertAudit: every write then locks the revision row last, so writes to
// different rows never wait on each other in opposite orders (MySQL), and
// the row is held only for the commit.
//
// A missing row (which only tampering can cause) fails the write: silently
// skipping the bump would leave every instance serving stale pages. The
// error is deliberately not ErrNotFound, which callers read as "the case
// (or resource) you named does not exist".
func bumpContent(ctx context.Context, q queryer) error {
	res, err := q.ExecContext(ctx, "UPDATE content_revision SET rev = rev + 1 WHERE id = 1")
	if err != nil {
		return fmt.Errorf("content revision: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("content revision: %w", err)
	}
	if n != 1 {
		return errors.New("content revision: the content_revision row is missing")
	}
	return nil
}
