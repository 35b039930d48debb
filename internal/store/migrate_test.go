package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestMigrateFromEmptyAndRerun(t *testing.T) {
	eachDialectRaw(t, func(t *testing.T, s *Store) {
		v, err := s.SchemaVersion(ctxT(t))
		if err != nil || v != 0 {
			t.Fatalf("fresh SchemaVersion = %d, %v; want 0", v, err)
		}
		n, err := s.Migrate(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		if n != s.LatestSchemaVersion() || n < 3 {
			t.Fatalf("applied %d, want %d", n, s.LatestSchemaVersion())
		}
		if v, _ := s.SchemaVersion(ctxT(t)); v != n {
			t.Fatalf("SchemaVersion = %d, want %d", v, n)
		}
		n, err = s.Migrate(ctxT(t))
		if err != nil || n != 0 {
			t.Fatalf("re-run applied %d, %v; want 0, nil", n, err)
		}
		// The seed migrations (5 + 5 resources) ran exactly once.
		rs, err := s.ListResources(ctxT(t))
		if err != nil || len(rs) != 10 {
			t.Fatalf("resources after re-run: %d, %v; want 10", len(rs), err)
		}
	})
}

func TestMigrateRefusesSchemaAhead(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		if _, err := s.wdb.ExecContext(ctxT(t), "INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'future', ?)",
			s.LatestSchemaVersion()+1, dbTime(now())); err != nil {
			t.Fatal(err)
		}
		_, err := s.Migrate(ctxT(t))
		wantErr(t, err, ErrSchemaAhead)
	})
}

func TestDefaultResourcesSeeded(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		rs, err := s.ListResources(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{"911": false, "1-800-222-8477": false, "811": false, "1-800-668-6868": false,
			// police non-emergency lines, crisis line, missing children (migration 011)
			"709-729-8000": false, "1-800-709-7267": false, "1-888-737-4668": false, "1-866-543-8477": false}
		sar := false
		canada := false
		for i, r := range rs {
			if r.Position != i {
				t.Errorf("resource %q at position %d, want %d", r.Title, r.Position, i)
			}
			if _, ok := want[r.Phone]; ok {
				want[r.Phone] = true
			}
			if r.URL == "https://www.canadasmissing.ca" {
				canada = true
			}
			if r.Category == CategorySearchRescue {
				sar = true
			}
			if !contains(ResourceCategories, r.Category) {
				t.Errorf("resource %q: unknown category %q", r.Title, r.Category)
			}
		}
		for phone, ok := range want {
			if !ok {
				t.Errorf("default resource with phone %s missing", phone)
			}
		}
		if !canada {
			t.Error("Canada's Missing not seeded")
		}
		if !sar {
			t.Error("no search and rescue resource seeded")
		}
	})
}

// TestMySQLStepsRerunnable: MySQL cannot roll back DDL, so a step that died
// half-way is run again from its start. Every DDL step must survive that.
func TestMySQLStepsRerunnable(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		if s.Dialect() != "mysql" {
			t.Skip("SQLite runs each step in one transaction")
		}
		ms, err := loadMigrations(s.d)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if strings.Contains(m.script, "INSERT INTO") {
				continue // data steps run in a transaction with their version row
			}
			if err := s.d.execScript(ctxT(t), s.wdb, m.script); err != nil {
				t.Errorf("step %03d_%s is not re-runnable: %v", m.version, m.name, err)
			}
		}
	})
}

// TestMigrateConcurrently: two instances starting at once against the same
// database must together apply each step exactly once, without error.
func TestMigrateConcurrently(t *testing.T) {
	run := func(t *testing.T, dsn string) {
		var stores [2]*Store
		for i := range stores {
			s, err := Open(ctxT(t), dsn, PoolOptions{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s.Close() })
			stores[i] = s
		}
		var wg sync.WaitGroup
		applied := make([]int, len(stores))
		errs := make([]error, len(stores))
		for i, s := range stores {
			wg.Add(1)
			go func() {
				defer wg.Done()
				applied[i], errs[i] = s.Migrate(context.Background())
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if applied[0]+applied[1] != stores[0].LatestSchemaVersion() {
			t.Fatalf("applied %v, want %d in total", applied, stores[0].LatestSchemaVersion())
		}
		// 5 default resources (migration 003) and 5 more (the one adding
		// the police non-emergency lines), each seeded exactly once.
		if rs, _ := stores[1].ListResources(ctxT(t)); len(rs) != 10 {
			t.Fatalf("%d resources after two concurrent migrations, want 10 (each seeded once)", len(rs))
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, "sqlite:"+filepath.Join(t.TempDir(), "m.db")) })
	t.Run("mysql", func(t *testing.T) {
		admin := os.Getenv(mysqlEnv)
		if admin == "" {
			t.Skip(mysqlEnv + " not set")
		}
		dsn, drop := createMySQLDatabase(t, admin, "lostinnl_t_")
		t.Cleanup(drop)
		run(t, dsn)
	})
}
