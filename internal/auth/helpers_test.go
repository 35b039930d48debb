package auth

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"lostinnl/internal/store"
	"lostinnl/internal/testdb"
)

// Compile-time proof that the real store satisfies the interfaces; the
// session and throttle tests below run against it, never a fake.
var (
	_ SessionStore = (*store.Store)(nil)
	_ FailureStore = (*store.Store)(nil)
)

// mysqlEnv: when set (a go-sql-driver DSN naming no database, e.g.
// 'root@tcp(127.0.0.1:3306)/'), the store-backed tests run against a fresh
// MySQL/MariaDB database per test instead of SQLite — the same variable the
// store's own suite uses.
const mysqlEnv = "LOSTINNL_TEST_MYSQL_DSN"

// newTestStore opens a fresh, migrated database: SQLite in a temp dir, or
// MySQL when mysqlEnv is set.
func newTestStore(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "auth.db")
	if admin := os.Getenv(mysqlEnv); admin != "" {
		dsn = createMySQLDatabase(t, admin)
	}
	st, err := store.Open(ctx, dsn, store.PoolOptions{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return st
}

// createMySQLDatabase makes a database lostinnl_auth_<random> and drops it
// when the test ends; it returns the store DSN for it.
func createMySQLDatabase(t *testing.T, adminDSN string) string {
	return testdb.MySQL(t, adminDSN, "lostinnl_auth_")
}

func createUser(t *testing.T, st *store.Store, email string, role store.Role) *store.User {
	t.Helper()
	u := &store.User{
		Email:        email,
		DisplayName:  "Test " + string(role),
		PasswordHash: "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		Role:         role,
	}
	id, err := st.CreateUser(context.Background(), u, nil)
	if err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	u.ID = id
	return u
}

// fakeClock is an injectable clock; safe for concurrent use.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	// Store times keep microseconds; start on a whole second for readability.
	return &fakeClock{t: time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
