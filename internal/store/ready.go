package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"

	"github.com/go-sql-driver/mysql"
)

// Ready is the database's readiness check (GET /readyz). Unlike Ping it
// reads a real table, content_revision, on the read pool and on the writer:
// a "SELECT 1" or a driver ping never touches the SQLite file, so a
// database file that was deleted, replaced by an empty one or unmounted
// would still look ready. On SQLite it also checks the file is still at its
// path: an open connection keeps reading a deleted file, but every new one
// would create an empty database there.
func (s *Store) Ready(ctx context.Context) error {
	if s.file != "" {
		fi, err := os.Stat(s.file)
		if err != nil {
			return fmt.Errorf("store: ready: database file: %w", err)
		}
		if !fi.Mode().IsRegular() {
			return errors.New("store: ready: database file is not a regular file")
		}
	}
	const q = "SELECT rev FROM content_revision WHERE id = 1"
	var rev int64
	if err := s.db.QueryRowContext(ctx, q).Scan(&rev); err != nil {
		return fmt.Errorf("store: ready: read: %w", notFound(err))
	}
	if s.wdb != s.db {
		if err := s.wdb.QueryRowContext(ctx, q).Scan(&rev); err != nil {
			return fmt.Errorf("store: ready: writer: %w", notFound(err))
		}
	}
	return nil
}

// writeHealth counts the write transactions that failed in a row because
// the database could not take them (disk full, I/O error, connection lost,
// read-only after a fail-over), so /readyz can say "writes are failing"
// while reads still work. A request's own fault (invalid value, not found,
// duplicate) is neither a failure nor a success: it says nothing about the
// database.
type writeHealth struct {
	failed atomic.Int64
}

// noteWrite records the outcome of one write transaction.
func (s *Store) noteWrite(err error) {
	switch {
	case err == nil:
		s.writes.failed.Store(0)
	case errors.Is(err, context.Canceled):
		// The client went away; the database did nothing wrong.
	case IsUnavailable(err) || isReadOnly(err):
		s.writes.failed.Add(1)
	}
}

// isReadOnly reports MySQL's "the server is read-only" errors (1290 with
// --read-only, 1792 in a read-only transaction, 1836 in read-only mode): an
// old writer after an RDS or Aurora fail-over answers every write this way.
func isReadOnly(err error) bool {
	var my *mysql.MySQLError
	if errors.As(err, &my) {
		switch my.Number {
		case 1290, 1792, 1836:
			return true
		}
	}
	return false
}

// FailedWrites is the number of write transactions that have failed in a
// row for reasons of the database's (0 after any success).
func (s *Store) FailedWrites() int64 { return s.writes.failed.Load() }

// probeKey is the settings row ProbeWrite writes and removes again. No
// code reads it; a copy left by a failed delete is harmless and replaced by
// the next probe.
const probeKey = "readyz-probe"

// probeValue is big enough that the probe needs fresh space the way a real
// write does: on a full disk, a one-row update of a few bytes still fits in
// the room SQLite's write-ahead log already has, and would report the
// database writable while every report fails. A report's case row, search
// index and audit entry are of this order. Under MySQL's TEXT limit.
var probeValue = strings.Repeat("probe ", 8<<10) // 48 KB

// ProbeWrite runs one real write transaction (a 48 KB settings row, then
// deleted again; no page cache notices, the content revision is untouched)
// and records its outcome like any other write. /readyz uses it once writes
// have been failing: a load balancer then sends no more traffic, so without
// a probe nothing would ever find out that writes work again.
func (s *Store) ProbeWrite(ctx context.Context) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		q := s.d.upsert("settings", []string{"setting_key", "value", "updated_at"}, []string{"setting_key"})
		_, err := tx.ExecContext(ctx, q, probeKey, probeValue, dbTime(now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: probe write: %w", err)
	}
	// Best effort: the write above is what the probe measures.
	_, _ = s.wdb.ExecContext(ctx, "DELETE FROM settings WHERE setting_key = ?", probeKey)
	return nil
}
