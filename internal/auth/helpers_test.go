package auth

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// Compile-time proof that the real store satisfies the interfaces; the
// session and throttle tests below run against it, never a fake.
var (
	_ SessionStore = (*store.Store)(nil)
	_ FailureStore = (*store.Store)(nil)
)

// newTestStore opens a fresh, migrated SQLite database in a temp dir.
func newTestStore(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "auth.db"), store.PoolOptions{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return st
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
