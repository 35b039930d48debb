package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
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

// RevisionReader reads the content revision like ContentRevision, but over
// one connection it keeps out of the pool. Page builds can take every
// pooled connection while the database is slow; a read waiting behind them
// would let the page cache lapse (it is used only while recently
// confirmed) and send every visitor to the database exactly when it can
// least take them. A failed read drops the connection; the next one takes
// a fresh one (after a database restart, say), and so does a read after
// the pool's connection lifetime (LOSTINNL_DB_CONN_MAX_LIFETIME), so the
// reader notices what a new connection would meet (an unmounted SQLite
// volume keeps answering on an open one). Not for concurrent use: one
// poller owns it.
type RevisionReader struct {
	s     *Store
	conn  *sql.Conn
	taken time.Time
}

// NewRevisionReader returns a reader; it takes its connection on the first
// Read. Close gives it back.
func (s *Store) NewRevisionReader() *RevisionReader { return &RevisionReader{s: s} }

func (r *RevisionReader) Read(ctx context.Context) (int64, error) {
	defer r.s.observe("content_revision", time.Now())
	if r.conn != nil && r.s.readLifetime > 0 && time.Since(r.taken) >= r.s.readLifetime {
		_ = r.Close()
	}
	if r.conn == nil {
		c, err := r.s.db.Conn(ctx)
		if err != nil {
			return 0, fmt.Errorf("store: content revision: %w", err)
		}
		r.conn, r.taken = c, time.Now()
	}
	var rev int64
	if err := r.conn.QueryRowContext(ctx, "SELECT rev FROM content_revision WHERE id = 1").Scan(&rev); err != nil {
		_ = r.conn.Close() // possibly broken: take another next time
		r.conn = nil
		return 0, fmt.Errorf("store: content revision: %w", notFound(err))
	}
	return rev, nil
}

// Close returns the reader's connection to the pool.
func (r *RevisionReader) Close() error {
	if r.conn == nil {
		return nil
	}
	err := r.conn.Close()
	r.conn = nil
	return err
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
//
// cases are the cases the write changed (none: it changed no case, such
// as a resource). They are logged in content_changes under the new
// revision, so a read model re-reads only them (PublicChanges). A write
// that changes public data of a case must name it: a missing id leaves
// that case stale in every read model until its periodic full reload.
func bumpContent(ctx context.Context, q queryer, cases ...int64) error {
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
	// The row is locked by this transaction now (MySQL) or the database
	// is (SQLite): the revision read is this write's own.
	var rev int64
	if err := q.QueryRowContext(ctx, "SELECT rev FROM content_revision WHERE id = 1").Scan(&rev); err != nil {
		return fmt.Errorf("content revision: %w", err)
	}
	if len(cases) == 0 {
		cases = []int64{0}
	}
	var b strings.Builder
	args := make([]any, 0, 2*len(cases))
	b.WriteString("INSERT INTO content_changes (rev, case_id) VALUES ")
	seen := make(map[int64]bool, len(cases))
	for _, id := range cases {
		if seen[id] {
			continue
		}
		seen[id] = true
		if len(args) > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?)")
		args = append(args, rev, id)
	}
	if _, err := q.ExecContext(ctx, b.String(), args...); err != nil {
		return fmt.Errorf("content changes: %w", err)
	}
	// The log is read only from a model's revision onwards, and a model
	// more than changesKept revisions behind reads everything anyway:
	// older rows go, a few hundred at a time, so no write pays for many.
	if rev%changesPruneEvery == 0 {
		if _, err := q.ExecContext(ctx, "DELETE FROM content_changes WHERE rev <= ?", rev-changesKept); err != nil {
			return fmt.Errorf("content changes: prune: %w", err)
		}
	}
	return nil
}

// changesKept is how many revisions of content_changes are kept; pruned
// every changesPruneEvery revisions. Variables for the tests.
var (
	changesKept       int64 = 10_000
	changesPruneEvery int64 = 256
)
