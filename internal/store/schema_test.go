package store

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
)

// schema is a dialect-neutral description of a database: what
// TestSchemaParity compares.
type schema struct {
	columns map[string]string // "table.column" → "class null|notnull"
	indexes map[string]string // "table.index" → "unique? col1,col2"
	fks     map[string]string // "table.column" → "ref_table.ref_column on delete"
}

// typeClass maps a declared type to the class both dialects must agree on.
func typeClass(t string) string {
	t = strings.ToLower(t)
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = t[:i]
	}
	switch strings.TrimSpace(t) {
	case "integer", "int", "bigint", "tinyint", "smallint":
		return "int"
	case "text", "varchar", "char", "mediumtext", "longtext":
		return "text"
	case "blob", "varbinary", "binary", "mediumblob", "longblob":
		return "blob"
	case "real", "double", "float":
		return "float"
	case "date":
		return "date"
	case "datetime", "timestamp":
		return "datetime"
	}
	return "?" + t
}

// searchOnly are the dialects' full-text structures, which legitimately
// differ: FTS5's virtual table and shadow tables and the index serving its
// join on SQLite (005_fts_join_index), the FULLTEXT index on MySQL.
func searchOnly(name string) bool {
	return strings.HasPrefix(name, "cases_fts") || name == "cases.ft_cases" || name == "cases.idx_cases_fts_join"
}

func readSchema(t *testing.T, s *Store) schema {
	t.Helper()
	sc := schema{columns: map[string]string{}, indexes: map[string]string{}, fks: map[string]string{}}
	rowsOf := func(q string, args ...any) [][]string {
		t.Helper()
		_, rows := queryStrings(t, s, q, args...)
		return rows
	}
	null := func(notnull bool) string {
		if notnull {
			return "notnull"
		}
		return "null"
	}
	switch s.Dialect() {
	case "sqlite":
		for _, tr := range rowsOf("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
			table := tr[0]
			if searchOnly(table) {
				continue
			}
			for _, c := range rowsOf("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)", table) {
				// A primary key column is NOT NULL in effect (SQLite's
				// INTEGER PRIMARY KEY is the rowid).
				sc.columns[table+"."+c[0]] = typeClass(c[1]) + " " + null(c[2] == "1" || c[3] != "0")
			}
			for _, ix := range rowsOf("SELECT name, \"unique\", origin FROM pragma_index_list(?)", table) {
				if ix[2] == "pk" || searchOnly(table+"."+ix[0]) {
					continue
				}
				var cols []string
				for _, c := range rowsOf("SELECT name FROM pragma_index_info(?) ORDER BY seqno", ix[0]) {
					cols = append(cols, c[0])
				}
				sc.indexes[table+"."+ix[0]] = map[string]string{"1": "unique ", "0": ""}[ix[1]] + strings.Join(cols, ",")
			}
			for _, fk := range rowsOf("SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list(?)", table) {
				sc.fks[table+"."+fk[0]] = fk[1] + "." + fk[2] + " " + strings.ToLower(fk[3])
			}
		}
	case "mysql":
		for _, c := range rowsOf(`SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = DATABASE()`) {
			sc.columns[c[0]+"."+c[1]] = typeClass(c[2]) + " " + null(c[3] == "NO")
		}
		idx := map[string][]string{}
		uniq := map[string]bool{}
		for _, r := range rowsOf(`SELECT table_name, index_name, non_unique, column_name FROM information_schema.statistics
			WHERE table_schema = DATABASE() AND index_name <> 'PRIMARY' ORDER BY table_name, index_name, seq_in_index`) {
			k := r[0] + "." + r[1]
			if searchOnly(k) {
				continue
			}
			idx[k] = append(idx[k], r[3])
			uniq[k] = r[2] == "0"
		}
		for k, cols := range idx {
			u := ""
			if uniq[k] {
				u = "unique "
			}
			sc.indexes[k] = u + strings.Join(cols, ",")
		}
		for _, r := range rowsOf(`SELECT k.table_name, k.column_name, k.referenced_table_name, k.referenced_column_name, r.delete_rule
			FROM information_schema.key_column_usage k JOIN information_schema.referential_constraints r
			ON r.constraint_schema = k.constraint_schema AND r.constraint_name = k.constraint_name
			WHERE k.table_schema = DATABASE() AND k.referenced_table_name IS NOT NULL`) {
			sc.fks[r[0]+"."+r[1]] = r[2] + "." + r[3] + " " + strings.ToLower(r[4])
		}
	}
	return sc
}

func diffMaps(t *testing.T, what string, a, b map[string]string) {
	t.Helper()
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	var sorted []string
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		if a[k] != b[k] {
			t.Errorf("%s %s: sqlite %q, mysql %q", what, k, a[k], b[k])
		}
	}
}

// TestSchemaParity proves both dialects' migrations end with the same
// tables, columns (name, type class, nullability), indexes (name, columns,
// uniqueness) and foreign keys. It needs MySQL.
func TestSchemaParity(t *testing.T) {
	dsn := os.Getenv(mysqlEnv)
	if dsn == "" {
		t.Skip(mysqlEnv + " not set")
	}
	lite := readSchema(t, newSQLiteStore(t, true))
	my := readSchema(t, newMySQLStore(t, dsn, true))
	if len(lite.columns) < 50 || len(lite.indexes) < 20 {
		t.Fatalf("schema read looks empty: %d columns, %d indexes", len(lite.columns), len(lite.indexes))
	}
	t.Logf("sqlite: %d columns, %d indexes, %d foreign keys; mysql: %d, %d, %d",
		len(lite.columns), len(lite.indexes), len(lite.fks), len(my.columns), len(my.indexes), len(my.fks))
	diffMaps(t, "column", lite.columns, my.columns)
	diffMaps(t, "index", lite.indexes, my.indexes)
	diffMaps(t, "foreign key", lite.fks, my.fks)
	for k, v := range lite.columns {
		if strings.HasPrefix(v, "?") {
			t.Errorf("column %s: unclassified type %s", k, v)
		}
	}
}

// TestMySQLStopwordsMatchServer keeps innodbStopwords in step with the
// server's default list (a required stopword makes BOOLEAN MODE match
// nothing, so the list must be right).
func TestMySQLStopwordsMatchServer(t *testing.T) {
	dsn := os.Getenv(mysqlEnv)
	if dsn == "" {
		t.Skip(mysqlEnv + " not set")
	}
	s := newMySQLStore(t, dsn, false)
	rows, err := s.db.QueryContext(ctxT(t), "SELECT value FROM information_schema.INNODB_FT_DEFAULT_STOPWORD")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	server := map[string]bool{}
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			t.Fatal(err)
		}
		server[w] = true
		if !innodbStopwords[w] {
			t.Errorf("server stopword %q missing from innodbStopwords", w)
		}
	}
	for w := range innodbStopwords {
		if !server[w] {
			t.Errorf("innodbStopwords has %q, the server does not", w)
		}
	}
}

// TestConcurrentWrites: many goroutines writing at once must all succeed.
// On SQLite this is what the single writer connection and the busy timeout
// are for (no SQLITE_BUSY); on MySQL it exercises the pool.
func TestConcurrentWrites(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		const workers, each = 8, 15
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make(chan error, workers*each*4)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					c := newCase(fmt.Sprintf("Worker%d Case%d", w, i))
					c.Status = StatusMissing
					id, err := s.CreateCase(ctx, c, ReporterContact{Name: "R"}, []Photo{{Key: fmt.Sprintf("w%d-%d", w, i)}}, &AuditEntry{Action: "case.create"})
					if err != nil {
						errs <- err
						continue
					}
					if _, err := s.AddUpdate(ctx, id, "update", &AuditEntry{Action: "case.update_add"}); err != nil {
						errs <- err
					}
					if _, err := s.CreateTip(ctx, &Tip{CaseID: id, Message: "seen"}, TipContact{Phone: "709"}); err != nil {
						errs <- err
					}
					if _, err := s.SearchCases(ctx, CaseQuery{Q: fmt.Sprintf("worker%d", w)}); err != nil {
						errs <- err
					}
					if _, err := s.AcquireLease(ctx, "job", fmt.Sprintf("w%d", w), 1); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		l := search(t, s, CaseQuery{PerPage: 1})
		if l.Total != workers*each {
			t.Fatalf("cases = %d, want %d", l.Total, workers*each)
		}
		_, n, _ := s.ListAudit(ctxT(t), AuditFilter{})
		if n != 2*workers*each {
			t.Fatalf("audit entries = %d, want %d", n, 2*workers*each)
		}
	})
}

// TestSQLiteEveryConnectionConfigured checks the pragmas reach every pooled
// connection, not just the first.
func TestSQLiteEveryConnectionConfigured(t *testing.T) {
	s := newSQLiteStore(t, true)
	ctx := ctxT(t)
	var conns []interface{ Close() error }
	for range 3 {
		c, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var fk, busy int
		var mode string
		if err := c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if fk != 1 || busy != 5000 || mode != "wal" {
			t.Fatalf("connection: foreign_keys=%d busy_timeout=%d journal_mode=%s", fk, busy, mode)
		}
		// The memory budget (issue 16): small page caches, no map.
		var cache, mmap int
		if err := c.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA mmap_size").Scan(&mmap); err != nil {
			t.Fatal(err)
		}
		if cache != -512 || mmap != 0 {
			t.Fatalf("reader: cache_size=%d mmap_size=%d, want -512 and 0", cache, mmap)
		}
		// The read pool cannot write.
		if _, err := c.ExecContext(ctx, "DELETE FROM settings"); err == nil {
			t.Fatal("read pool connection accepted a write")
		}
	}
	for _, c := range conns {
		_ = c.Close()
	}
	if st := s.Stats(); st.MaxOpenConnections < 2 {
		t.Fatalf("Stats = %+v", st)
	}
}

func TestBackup(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		id := mustCreate(t, s, newCase("Backed Up"), StatusMissing)
		path := t.TempDir() + "/backup.db"
		err := s.Backup(ctxT(t), path)
		if s.Dialect() == "mysql" {
			if err == nil {
				t.Fatal("MySQL backup should be refused")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := Open(ctxT(t), "sqlite:"+path, PoolOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		if n, err := b.Migrate(ctxT(t)); err != nil || n != 0 {
			t.Fatalf("backup not at the latest version: %d, %v", n, err)
		}
		if c, err := b.GetCase(ctxT(t), id); err != nil || c.FullName != "Backed Up" {
			t.Fatalf("backup content: %v, %v", c, err)
		}
	})
}
