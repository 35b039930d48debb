package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

type sqliteDialect struct{}

// sqlitePragmas are applied by the driver to EVERY new pooled connection (a
// PRAGMA run once with db.Exec would only reach one connection).
// _txlock=immediate makes every BEGIN take the write lock up front, so a
// transaction never fails half-way when it upgrades from read to write.
func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// No memory map and small page caches: the public listings, search
	// and home come from the read model (internal/readmodel), so SQLite
	// serves only the case page's lookups by primary key, the model's
	// occasional full read and the writes. A 256 MB map with 16 MB caches
	// kept the whole file resident and put the process over its 100 MB
	// budget under load (issue 15). The readers get 512 KiB each, enough
	// for the interior pages of a primary-key lookup (the leaves come from
	// the kernel's page cache either way, a full read gains nothing from a
	// cache): with 2 MB each, the four readers and the writer held 28 MB of
	// C heap under load and 12 MB with 512 KiB (10,000 cases, wrk on case
	// pages), which is what kept the server over 100 MB while it sent an
	// area alert (issue 16). The writer keeps 2 MB for the indexes it
	// updates.
	q.Add("_pragma", "mmap_size(0)")
	if readOnly {
		q.Add("_pragma", "cache_size(-512)")
	} else {
		q.Add("_pragma", "cache_size(-2000)")
	}
	if readOnly {
		// The read pool can never write by mistake (and so never competes
		// with the single writer for the lock).
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return path + "?" + q.Encode()
}

func openSQLite(ctx context.Context, path string, opts PoolOptions) (*Store, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, errors.New("sqlite path must be non-empty and contain no '?' or '#'")
	}
	wdb, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		return nil, err
	}
	// One writer connection: SQLite allows one writer at a time anyway, and
	// queueing in database/sql is fairer and cheaper than busy-waiting.
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	// Create the file and switch it to WAL before readers open it.
	if err := wdb.PingContext(ctx); err != nil {
		_ = wdb.Close()
		return nil, err
	}
	db, err := sql.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		_ = wdb.Close()
		return nil, err
	}
	n := max(4, runtime.NumCPU())
	eff := applyPool(db, opts, PoolOptions{MaxOpen: n, MaxIdle: n})
	return &Store{db: db, wdb: wdb, d: sqliteDialect{}, readLifetime: eff.ConnMaxLifetime, file: path}, nil
}

func (sqliteDialect) name() string { return "sqlite" }

// lockSkipping: SQLite has one writer (the claim runs in a write
// transaction on the one writer connection), so nothing to skip.
func (sqliteDialect) lockSkipping() string { return "" }
func (sqliteDialect) migrationDir() string { return "migrations/sqlite" }

// execScript runs the whole file at once: the driver executes every
// statement in it, and trigger bodies keep their inner semicolons.
func (sqliteDialect) execScript(ctx context.Context, q queryer, script string) error {
	_, err := q.ExecContext(ctx, script)
	return err
}

// lockMigrations: nothing to do. Each step runs in a BEGIN IMMEDIATE
// transaction that re-reads the version, which serialises processes.
func (sqliteDialect) lockMigrations(context.Context, *sql.Conn) (func(), error) {
	return func() {}, nil
}

func (sqliteDialect) versionTable() string {
	return "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at DATETIME NOT NULL)"
}

func (sqliteDialect) hasTable(ctx context.Context, q queryer, table string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&n)
	return n > 0, err
}

func (sqliteDialect) upsert(table string, cols, keys []string) string {
	var set []string
	for _, c := range cols {
		if !contains(keys, c) {
			set = append(set, c+" = excluded."+c)
		}
	}
	return fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s) ON CONFLICT (%s) DO UPDATE SET %s",
		table, strings.Join(cols, ", "), placeholders(len(cols)), strings.Join(keys, ", "), strings.Join(set, ", "))
}

// isRetryable: never. Writes are serialised by the single writer connection
// and BEGIN IMMEDIATE waits out other processes for the busy timeout.
func (sqliteDialect) isRetryable(error) bool { return false }

func (sqliteDialect) isUniqueViolation(err error) bool {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// textSearch uses the FTS5 table cases_fts (rowid = cases.id). Every term is
// a double-quoted FTS5 string, so operators typed by the user (AND, OR, NOT,
// NEAR, *, -, +, ^, :, parentheses) are plain text; the last term gets a
// prefix '*' for live search. Short terms are fine in FTS5.
func (sqliteDialect) textSearch(terms []string, ranked bool) searchClause {
	var b strings.Builder
	for i, t := range terms {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(`"` + strings.ReplaceAll(t, `"`, `""`) + `"`)
		if i == len(terms)-1 {
			b.WriteByte('*')
		}
	}
	match := b.String()
	if !ranked {
		return searchClause{join: "JOIN cases_fts ON cases_fts.rowid = c.id", where: "cases_fts MATCH ?", whereArgs: []any{match}}
	}
	// bm25 is computed inside a subquery: SQLite refuses FTS auxiliary
	// functions in the outer query once it also has a window function
	// (COUNT(*) OVER ()). bm25 is smaller for better matches; the weights
	// favour the name, then aliases, place, description. It costs time per
	// matching row, so it is only computed when the results are ranked.
	return searchClause{
		join:     "JOIN (SELECT rowid AS fts_id, bm25(cases_fts, 10.0, 5.0, 2.0, 1.0) AS fts_rank FROM cases_fts WHERE cases_fts MATCH ?) f ON f.fts_id = c.id",
		joinArgs: []any{match},
		rank:     "f.fts_rank ASC",
	}
}

func (sqliteDialect) backup(ctx context.Context, db *sql.DB, path string) error {
	_, err := db.ExecContext(ctx, "VACUUM INTO ?", path)
	return err
}

func (sqliteDialect) analyze(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, "ANALYZE")
	return err
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
