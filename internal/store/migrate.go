package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// migration is one embedded NNN_name.sql file.
type migration struct {
	version int
	name    string
	script  string
}

// loadMigrations reads the dialect's embedded files and checks they are
// numbered 1..n without gaps or duplicates (a gap would mean a lost file).
func loadMigrations(d dialect) ([]migration, error) {
	dir := d.migrationDir()
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("migration %s: name must be NNN_name.sql", e.Name())
		}
		b, err := fs.ReadFile(migrationFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, script: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration versions must run 1..n without gaps: found %d at position %d", m.version, i+1)
		}
	}
	return ms, nil
}

// LatestSchemaVersion is the schema version this binary migrates to.
func (s *Store) LatestSchemaVersion() int {
	ms, err := loadMigrations(s.d)
	if err != nil {
		return 0
	}
	return len(ms)
}

// Migrate applies the pending migrations and returns how many it applied.
// Each step and its version row are written in one transaction (on MySQL,
// DDL commits implicitly, so those steps are written to be re-runnable and
// the version is recorded right after). Running it again is a no-op. It
// refuses a database whose version is ahead of this binary (ErrSchemaAhead).
func (s *Store) Migrate(ctx context.Context) (applied int, err error) {
	ms, err := loadMigrations(s.d)
	if err != nil {
		return 0, fmt.Errorf("store: migrate: %w", err)
	}
	conn, err := s.wdb.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: migrate: %w", err)
	}
	defer conn.Close()
	unlock, err := s.d.lockMigrations(ctx, conn)
	if err != nil {
		return 0, fmt.Errorf("store: migrate: lock: %w", err)
	}
	defer unlock()
	if _, err := conn.ExecContext(ctx, s.d.versionTable()); err != nil {
		return 0, fmt.Errorf("store: migrate: create version table: %w", err)
	}
	cur, err := currentVersion(ctx, conn)
	if err != nil {
		return 0, fmt.Errorf("store: migrate: %w", err)
	}
	if cur > len(ms) {
		return 0, fmt.Errorf("store: migrate: database at version %d, binary knows %d: %w", cur, len(ms), ErrSchemaAhead)
	}
	for _, m := range ms[cur:] {
		done, err := s.applyMigration(ctx, conn, m)
		if err != nil {
			return applied, fmt.Errorf("store: migrate: step %03d_%s: %w", m.version, m.name, err)
		}
		if done {
			applied++
		}
	}
	return applied, nil
}

// applyMigration runs one step in a transaction that first re-reads the
// version, so a second process that raced past the check does nothing.
func (s *Store) applyMigration(ctx context.Context, conn *sql.Conn, m migration) (bool, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer func() { _ = tx.Rollback() }() // no-op after Commit
	cur, err := currentVersion(ctx, tx)
	if err != nil {
		return false, err
	}
	if cur >= m.version {
		return false, nil
	}
	if err := s.d.execScript(ctx, tx, m.script); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)", m.version, m.name, dbTime(now())); err != nil {
		return false, fmt.Errorf("record version: %w", err)
	}
	return true, tx.Commit()
}

func currentVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int, error) {
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return int(v.Int64), nil
}

// SchemaVersion is the version the database is at (0 when never migrated).
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	ok, err := s.d.hasTable(ctx, s.db, "schema_version")
	if err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	if !ok {
		return 0, nil
	}
	v, err := currentVersion(ctx, s.db)
	if err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return v, nil
}
