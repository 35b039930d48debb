package store

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// The store suite runs every test against SQLite (a fresh file per test)
// and, when LOSTINNL_TEST_MYSQL_DSN is set, against MySQL/MariaDB too.
//
// LOSTINNL_TEST_MYSQL_DSN is a go-sql-driver DSN naming NO database, for a
// user allowed to create and drop databases, e.g.
//
//	LOSTINNL_TEST_MYSQL_DSN='root@tcp(127.0.0.1:3306)/'
//
// Each test creates its own database lostinnl_t_<random> and drops it when
// the test ends.
const mysqlEnv = "LOSTINNL_TEST_MYSQL_DSN"

// eachDialect runs fn as a subtest per available dialect, each with a fresh,
// migrated store.
func eachDialect(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, newSQLiteStore(t, true)) })
	t.Run("mysql", func(t *testing.T) {
		dsn := os.Getenv(mysqlEnv)
		if dsn == "" {
			t.Skip(mysqlEnv + " not set")
		}
		fn(t, newMySQLStore(t, dsn, true))
	})
}

// eachDialectRaw is eachDialect without migrating.
func eachDialectRaw(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, newSQLiteStore(t, false)) })
	t.Run("mysql", func(t *testing.T) {
		dsn := os.Getenv(mysqlEnv)
		if dsn == "" {
			t.Skip(mysqlEnv + " not set")
		}
		fn(t, newMySQLStore(t, dsn, false))
	})
}

func newSQLiteStore(t testing.TB, migrate bool) *Store {
	t.Helper()
	s, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "test.db"), PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if migrate {
		if _, err := s.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	s.SetCipher(newTestCipher(t))
	return s
}

// createMySQLDatabase creates a fresh database and returns the store DSN
// for it and a function that drops it.
func createMySQLDatabase(t testing.TB, adminDSN, prefix string) (string, func()) {
	t.Helper()
	dsn, drop, err := makeMySQLDatabase(adminDSN, prefix)
	if err != nil {
		t.Fatal(err)
	}
	return dsn, func() {
		if err := drop(); err != nil {
			t.Errorf("%v", err)
		}
	}
}

// makeMySQLDatabase is createMySQLDatabase without a testing.TB (the
// benchmark cache drops its database from TestMain).
func makeMySQLDatabase(adminDSN, prefix string) (string, func() error, error) {
	cfg, err := mysql.ParseDSN(adminDSN)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", mysqlEnv, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := prefix + hex.EncodeToString(b)
	cfg.DBName = ""
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return "", nil, err
	}
	if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		_ = admin.Close()
		return "", nil, err
	}
	cfg.DBName = name
	drop := func() error {
		defer admin.Close()
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name); err != nil {
			return fmt.Errorf("drop %s: %w", name, err)
		}
		return nil
	}
	return "mysql://" + cfg.FormatDSN(), drop, nil
}

func newMySQLStore(t testing.TB, adminDSN string, migrate bool) *Store {
	t.Helper()
	dsn, drop := createMySQLDatabase(t, adminDSN, "lostinnl_t_")
	t.Cleanup(drop)
	s, err := Open(context.Background(), dsn, PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() }) // runs before drop (LIFO)
	if migrate {
		if _, err := s.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	s.SetCipher(newTestCipher(t))
	return s
}

// testCipher really encrypts (AES-256-GCM, associated data = table, column,
// row id), so tests can prove no plaintext reaches the database. The real
// cipher is internal/secrets.
type testCipher struct{ aead cipher.AEAD }

func newTestCipher(t testing.TB) *testCipher {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	return &testCipher{aead: aead}
}

// testAD binds a value to its row's token, or to its id when it has none.
func testAD(table, column string, id int64, token []byte) []byte {
	if len(token) > 0 {
		return []byte(table + "\x00" + column + "\x00token:" + string(token))
	}
	return []byte(table + "\x00" + column + "\x00" + strconv.FormatInt(id, 10))
}

func (c *testCipher) SealRow(_ context.Context, table string, id int64, token []byte, columns []string, values [][]byte) ([][]byte, error) {
	if len(token) == 0 && id <= 0 {
		return nil, errors.New("test cipher: neither a token nor a row id")
	}
	out := make([][]byte, len(values))
	for i, v := range values {
		if len(v) == 0 {
			continue
		}
		nonce := make([]byte, c.aead.NonceSize())
		if _, err := rand.Read(nonce); err != nil {
			return nil, err
		}
		out[i] = c.aead.Seal(nonce, nonce, v, testAD(table, columns[i], id, token))
	}
	return out, nil
}

// open opens a value of row id whose seal token is token (nil for none).
func (c *testCipher) open(b []byte, table, column string, id int64, token []byte) (string, error) {
	n := c.aead.NonceSize()
	if len(b) < n {
		return "", errors.New("short ciphertext")
	}
	p, err := c.aead.Open(nil, b[:n], b[n:], testAD(table, column, id, token))
	return string(p), err
}

func ctxT(t *testing.T) context.Context { return t.Context() }

func ptr[T any](v T) *T { return &v }

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// newCase is a valid, publishable (but pending) fictional case.
func newCase(name string) *Case {
	return &Case{
		FullName:         name,
		Age:              ptr(34),
		Sex:              "female",
		HeightCM:         ptr(165),
		WeightKG:         ptr(60),
		HairColour:       "brown",
		EyeColour:        "green",
		Features:         "small scar above the left eyebrow",
		Clothing:         "red rain jacket, black boots",
		LastSeenDate:     date("2026-03-14"),
		LastSeenPlace:    "Water Street",
		Community:        "Harbour Grace",
		Region:           "Avalon",
		Circumstances:    "left home on foot in the evening",
		PoliceAgency:     "RNC",
		PoliceFileNumber: "2026-0001",
		PolicePhone:      "709-555-0100",
		PoliceVerified:   true,
	}
}

// mustCreate creates c with the given status, going through the lifecycle.
func mustCreate(t *testing.T, s *Store, c *Case, status Status) int64 {
	t.Helper()
	id, err := s.CreateCase(ctxT(t), c, ReporterContact{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := map[Status][]Status{
		StatusPending:  nil,
		StatusMissing:  {StatusMissing},
		StatusLocated:  {StatusMissing, StatusLocated},
		StatusArchived: {StatusMissing, StatusArchived},
		StatusRejected: {StatusRejected},
	}[status]
	for _, st := range path {
		if err := s.TransitionCase(ctxT(t), id, st, "test", nil); err != nil {
			t.Fatalf("transition to %s: %v", st, err)
		}
	}
	c.Status = status
	return id
}

func auditCount(t *testing.T, s *Store, record string) int {
	t.Helper()
	_, n, err := s.ListAudit(ctxT(t), AuditFilter{Record: record})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

func TestOpenRejectsUnknownDSN(t *testing.T) {
	for _, dsn := range []string{"", "postgres://x", "sqlite:", "sqlite:/tmp/a?b.db"} {
		if s, err := Open(ctxT(t), dsn, PoolOptions{}); err == nil {
			_ = s.Close()
			t.Errorf("Open(%q) succeeded", dsn)
		}
	}
}

func TestOpenDoesNotLeakPassword(t *testing.T) {
	_, err := Open(ctxT(t), "mysql://user:s3cretpw@tcp(127.0.0.1:1)/x?timeout=200ms", PoolOptions{})
	if err == nil {
		t.Fatal("expected an error")
	}
	if strings.Contains(err.Error(), "s3cretpw") {
		t.Fatalf("error leaks the password: %v", err)
	}
}

func TestTxRetriesDeadlockVictim(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		calls := 0
		deadlock := &mysql.MySQLError{Number: 1213, Message: "Deadlock found when trying to get lock"}
		err := s.inTx(ctxT(t), func(tx *sql.Tx) error {
			calls++
			if _, err := tx.ExecContext(ctxT(t), "INSERT INTO settings (setting_key, value, updated_at) VALUES (?, ?, ?)",
				fmt.Sprintf("k%d", calls), "v", dbTime(now())); err != nil {
				return err
			}
			if calls == 1 {
				return fmt.Errorf("insert: %w", deadlock)
			}
			return nil
		})
		if s.Dialect() == "sqlite" {
			// Not a SQLite error: returned as is, not retried.
			if !errors.Is(err, deadlock) || calls != 1 {
				t.Fatalf("sqlite: err=%v calls=%d", err, calls)
			}
			return
		}
		if err != nil || calls != 2 {
			t.Fatalf("err=%v calls=%d, want nil after 2 calls", err, calls)
		}
		// The first attempt was rolled back, the second committed.
		if _, err := s.GetSetting(ctxT(t), "k1"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("first attempt survived: %v", err)
		}
		if v, err := s.GetSetting(ctxT(t), "k2"); err != nil || v != "v" {
			t.Fatalf("second attempt: %q, %v", v, err)
		}
		// A persistent deadlock gives up after three attempts.
		calls = 0
		err = s.inTx(ctxT(t), func(*sql.Tx) error { calls++; return deadlock })
		if !errors.Is(err, deadlock) || calls != 3 {
			t.Fatalf("persistent: err=%v calls=%d", err, calls)
		}
	})
}
