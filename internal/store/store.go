package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// More sentinel errors (see models.go for the first ones).
var (
	// ErrSchemaAhead: the database was migrated by a newer binary; this one
	// refuses to run against it rather than misread columns it does not know.
	ErrSchemaAhead = errors.New("database schema is newer than this binary")
	// ErrPublishRequirements: pending → missing needs the police agency, the
	// police file number and the "verified with the police" tick.
	ErrPublishRequirements = errors.New("publish requirements not met")
	// ErrInvalid: a value the schema cannot hold (unknown status, text longer
	// than its column, invalid UTF-8, …). The web layer validates first; this
	// is the last line so both dialects fail the same, clean way.
	ErrInvalid = errors.New("invalid value")
	// ErrNoCipher: a sealed column was to be written but no FieldCipher is set.
	// The store never stores such values in plaintext.
	ErrNoCipher = errors.New("no field cipher configured")
)

// PoolOptions tunes the connection pool (and CAFile how MySQL connections
// are verified). Zero values mean the dialect
// default: MySQL 25 open / 10 idle, 5 min lifetime, 2 min idle time;
// SQLite max(4, CPUs) reader connections kept open. On SQLite the options
// apply to the read pool: writes always go through one dedicated connection.
type PoolOptions struct {
	MaxOpen         int
	MaxIdle         int
	ConnMaxLifetime time.Duration
	ConnMaxIdleTime time.Duration
	// CAFile (MySQL only) is a PEM bundle of the CAs the server's
	// certificate must chain to, e.g. the RDS CA bundle; "" = the system
	// pool when the URL says tls=true. See mysqlTLS.
	CAFile string
}

// FieldCipher seals sensitive field values (implemented by internal/secrets).
// SealRow seals values[i] for columns[i] of one row of table under one data
// key (one keeper call), empty values to nil. Associated data binds each
// value to (table, column, token) — or (table, column, rowID) when token is
// nil — so a sealed value copied to another row or column fails to open.
type FieldCipher interface {
	SealRow(ctx context.Context, table string, rowID int64, token []byte, columns []string, values [][]byte) ([][]byte, error)
}

// ReporterContact is the plaintext reporter contact of a case; the store seals
// each non-empty field before the write's transaction and writes it there.
type ReporterContact struct{ Name, Phone, Email, Relationship string }

// TipContact is the plaintext contact of a tipster, sealed like ReporterContact.
type TipContact struct{ Name, Phone, Email string }

// Store is the one entry point to the database for the rest of the program.
type Store struct {
	// db serves reads. wdb serves writes: for SQLite it is a separate pool of
	// exactly one connection, so concurrent writers queue in Go instead of
	// spinning on SQLITE_BUSY; for MySQL it is the same pool as db.
	db  *sql.DB
	wdb *sql.DB
	d   dialect
	// readLifetime is db's connection lifetime (0 = unlimited); a
	// RevisionReader keeps its connection no longer.
	readLifetime time.Duration
	// file is the SQLite database's path ("" on MySQL), for Ready.
	file string
	// writes counts write transactions failing in a row (ready.go).
	writes writeHealth
	// reads: the case page's queries, prepared once (prepared.go).
	reads preparedReads

	mu       sync.RWMutex
	cipher   FieldCipher
	observer QueryObserver

	// refGen draws report references (reports.go); nil = newReference.
	// Only tests set it, to force a collision.
	refGen func() (string, error)
}

// Open connects and configures the pool. dsn forms:
//
//	sqlite:/abs/or/rel/path/lostinnl.db
//	mysql://user:pass@tcp(host:3306)/dbname?opt=...
//
// It pings the database before returning. It does not migrate: call Migrate.
func Open(ctx context.Context, dsn string, opts PoolOptions) (*Store, error) {
	var (
		s   *Store
		err error
	)
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		s, err = openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"), opts)
	case strings.HasPrefix(dsn, "mysql://"):
		s, err = openMySQL(ctx, strings.TrimPrefix(dsn, "mysql://"), opts)
	default:
		return nil, fmt.Errorf("store: open: unsupported database URL (want sqlite:PATH or mysql://DSN)")
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", dsnKind(dsn), err)
	}
	s.reads.db = s.db
	if err := s.Ping(ctx); err != nil {
		_ = s.Close() // the ping error is the one worth reporting
		return nil, fmt.Errorf("store: open %s: %w", dsnKind(dsn), err)
	}
	return s, nil
}

// dsnKind names the dialect of a DSN without echoing it (it may hold a password).
func dsnKind(dsn string) string {
	if i := strings.Index(dsn, ":"); i > 0 {
		return dsn[:i]
	}
	return "database"
}

func applyPool(db *sql.DB, o, def PoolOptions) PoolOptions {
	if o.MaxOpen == 0 {
		o.MaxOpen = def.MaxOpen
	}
	if o.MaxIdle == 0 {
		o.MaxIdle = def.MaxIdle
	}
	if o.ConnMaxLifetime == 0 {
		o.ConnMaxLifetime = def.ConnMaxLifetime
	}
	if o.ConnMaxIdleTime == 0 {
		o.ConnMaxIdleTime = def.ConnMaxIdleTime
	}
	db.SetMaxOpenConns(o.MaxOpen)
	db.SetMaxIdleConns(o.MaxIdle)
	db.SetConnMaxLifetime(o.ConnMaxLifetime)
	db.SetConnMaxIdleTime(o.ConnMaxIdleTime)
	return o
}

// Close closes every pool.
func (s *Store) Close() error {
	err := errors.Join(s.reads.close(), s.db.Close())
	if s.wdb != s.db {
		err = errors.Join(err, s.wdb.Close())
	}
	if err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Ping checks that the database answers (used by /readyz).
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	if s.wdb != s.db {
		if err := s.wdb.PingContext(ctx); err != nil {
			return fmt.Errorf("store: ping writer: %w", err)
		}
	}
	return nil
}

// Dialect is "sqlite" or "mysql".
func (s *Store) Dialect() string { return s.d.name() }

// Stats sums the statistics of the store's pools (for metrics).
func (s *Store) Stats() sql.DBStats {
	st := s.db.Stats()
	if s.wdb == s.db {
		return st
	}
	w := s.wdb.Stats()
	st.MaxOpenConnections += w.MaxOpenConnections
	st.OpenConnections += w.OpenConnections
	st.InUse += w.InUse
	st.Idle += w.Idle
	st.WaitCount += w.WaitCount
	st.WaitDuration += w.WaitDuration
	st.MaxIdleClosed += w.MaxIdleClosed
	st.MaxIdleTimeClosed += w.MaxIdleTimeClosed
	st.MaxLifetimeClosed += w.MaxLifetimeClosed
	return st
}

// Backup writes a consistent copy of the database to path (SQLite only).
func (s *Store) Backup(ctx context.Context, path string) error {
	if err := s.d.backup(ctx, s.wdb, path); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

// SetCipher sets the field cipher. Call once at wiring time, before serving.
func (s *Store) SetCipher(c FieldCipher) {
	s.mu.Lock()
	s.cipher = c
	s.mu.Unlock()
}

func (s *Store) fieldCipher() FieldCipher {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cipher
}

// inTx runs fn in one write transaction: commit when fn returns nil,
// rollback otherwise (including on panic). A transaction the server chose
// as a deadlock victim (MySQL) is run again, up to three times in all: the
// other transaction has finished by then, and every fn here is safe to
// repeat because nothing it did survived the rollback.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	const attempts = 3
	for i := 1; ; i++ {
		err := s.tryTx(ctx, fn)
		if err == nil || i == attempts || !s.d.isRetryable(err) {
			s.noteWrite(err)
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(i*10) * time.Millisecond):
		}
	}
}

func (s *Store) tryTx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback() // the original error matters more than a rollback error
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// queryer is what *sql.DB and *sql.Tx share, so helpers run in or out of a tx.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// mustAffect turns "0 rows affected" into ErrNotFound. MySQL is opened with
// clientFoundRows so that an UPDATE writing identical values still counts.
func mustAffect(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// notFound maps sql.ErrNoRows to ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// page normalises 1-based pagination: page < 1 → 1, perPage in [1, max]
// with def when < 1. It returns the SQL offset too.
func page(p, perPage, def, max int) (int, int, int) {
	if p < 1 {
		p = 1
	}
	if perPage < 1 {
		perPage = def
	}
	if perPage > max {
		perPage = max
	}
	// Guard the multiplication against absurd page numbers from a URL.
	const maxPage = 1 << 20
	if p > maxPage {
		p = maxPage
	}
	return p, perPage, (p - 1) * perPage
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// Analyze refreshes the query planner's statistics (after bulk loads, or
// from a periodic maintenance job).
func (s *Store) Analyze(ctx context.Context) error {
	if err := s.d.analyze(ctx, s.wdb); err != nil {
		return fmt.Errorf("store: analyze: %w", err)
	}
	return nil
}
