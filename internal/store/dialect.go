package store

import (
	"context"
	"database/sql"
	"embed"
	"strings"
)

//go:embed migrations
var migrationFS embed.FS

// dialect holds every piece of SQL that differs between SQLite and MySQL.
// The rest of the package writes portable SQL with ? placeholders; when it
// needs something dialect-specific it asks one of these named helpers.
type dialect interface {
	name() string
	// migrationDir is the embedded directory holding NNN_name.sql files.
	migrationDir() string
	// execScript runs one migration file.
	execScript(ctx context.Context, q queryer, script string) error
	// versionTable is the CREATE TABLE IF NOT EXISTS of schema_version.
	versionTable() string
	// hasTable reports whether a table exists.
	hasTable(ctx context.Context, q queryer, table string) (bool, error)
	// lockMigrations serialises migrations across instances; unlock must be called.
	lockMigrations(ctx context.Context, conn *sql.Conn) (unlock func(), err error)
	// upsert returns an INSERT that updates the non-key columns when a row
	// with the same keys exists.
	upsert(table string, cols, keys []string) string
	// isRetryable reports an error after which the whole transaction may
	// simply be run again (a deadlock victim).
	isRetryable(err error) bool
	// isUniqueViolation reports a duplicate-key error.
	isUniqueViolation(err error) bool
	// textSearch builds the full-text part of the case search (see
	// case_search.go); ranked asks for a relevance ORDER BY term.
	textSearch(terms []string, ranked bool) searchClause
	backup(ctx context.Context, db *sql.DB, path string) error
	// lockSkipping is the clause that makes a SELECT in a claim pass over
	// rows other transactions have locked ("" where there is none).
	lockSkipping() string
	// analyze refreshes planner statistics.
	analyze(ctx context.Context, db *sql.DB) error
}

// searchClause is the full-text part of a case query: a JOIN, a WHERE
// condition and an ORDER BY expression ranking best matches first, each with
// its own arguments (the SQL places them in that order).
type searchClause struct {
	join      string
	joinArgs  []any
	where     string
	whereArgs []any
	rank      string // ORDER BY term with direction; "" when the query cannot be ranked
	rankArgs  []any
}

// likeEscape escapes LIKE wildcards with '!' (ESCAPE '!'). '!' rather than
// backslash because MySQL string literals treat backslash specially.
func likeEscape(s string) string {
	r := strings.NewReplacer("!", "!!", "%", "!%", "_", "!_")
	return r.Replace(s)
}
