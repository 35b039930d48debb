package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/store"
)

type loginEnv struct {
	st  *store.Store
	a   *Authenticator
	clk *fakeClock
}

func newLoginEnv(t *testing.T) *loginEnv {
	t.Helper()
	st := newTestStore(t)
	clk := newFakeClock()
	return &loginEnv{st: st, clk: clk, a: &Authenticator{
		Users:    st,
		Hasher:   NewHasher(testParams, 2),
		Throttle: NewThrottle(st, ThrottleConfig{Now: clk.Now}),
	}}
}

func (e *loginEnv) user(t *testing.T, email, password string, disabled bool) *store.User {
	t.Helper()
	ctx := context.Background()
	h, err := e.a.Hasher.Hash(ctx, password)
	if err != nil {
		t.Fatal(err)
	}
	u := &store.User{Email: email, DisplayName: "T", PasswordHash: h, Role: store.RoleModerator}
	if u.ID, err = e.st.CreateUser(ctx, u, nil); err != nil {
		t.Fatal(err)
	}
	if disabled {
		u.Disabled = true
		if err := e.st.UpdateUser(ctx, u, nil); err != nil {
			t.Fatal(err)
		}
	}
	return u
}

func TestPasswordStep(t *testing.T) {
	e := newLoginEnv(t)
	ctx := context.Background()
	const pw = "harbour lights at dusk"
	active := e.user(t, "active@example.ca", pw, false)
	e.user(t, "gone@example.ca", pw, true)

	tests := []struct {
		name, email, password string
		wantID                int64
		wantErr               error
	}{
		{"right", "active@example.ca", pw, active.ID, nil},
		{"email case and spaces", "  Active@Example.CA ", pw, active.ID, nil},
		{"wrong password", "active@example.ca", pw + "!", 0, ErrInvalidCredentials},
		{"unknown email", "nobody@example.ca", pw, 0, ErrInvalidCredentials},
		{"disabled, right password", "gone@example.ca", pw, 0, ErrInvalidCredentials},
		{"empty", "", "", 0, ErrInvalidCredentials},
		{"10KB email", strings.Repeat("a", 10*1024) + "@example.ca", pw, 0, ErrInvalidCredentials},
		{"10KB password", "active@example.ca", strings.Repeat("p", 10*1024), 0, ErrInvalidCredentials},
		{"invalid UTF-8", "\xff@example.ca", "\xfe\xff", 0, ErrInvalidCredentials},
		{"NUL", "active@example.ca\x00", pw + "\x00", 0, ErrInvalidCredentials},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A different address per case so the per-IP limit stays out of it.
			ip := fmt.Sprintf("192.0.2.%d", 10+i)
			u, wait, err := e.a.PasswordStep(ctx, tt.email, tt.password, ip)
			if !errors.Is(err, tt.wantErr) || wait != 0 {
				t.Fatalf("err = %v, wait %v; want %v", err, wait, tt.wantErr)
			}
			if tt.wantErr == nil && (u == nil || u.ID != tt.wantID) {
				t.Fatalf("user = %+v; want id %d", u, tt.wantID)
			}
			if tt.wantErr != nil && u != nil {
				t.Fatal("user returned with an error")
			}
		})
	}
}

func TestPasswordStepThrottles(t *testing.T) {
	e := newLoginEnv(t)
	ctx := context.Background()
	const pw = "icebergs off twillingate"
	e.user(t, "target@example.ca", pw, false)

	for i := range 5 {
		if _, _, err := e.a.PasswordStep(ctx, "target@example.ca", "guess number "+string(rune('a'+i)), "203.0.113.5"); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	// Now even the right password is refused without being checked.
	u, wait, err := e.a.PasswordStep(ctx, "target@example.ca", pw, "198.51.100.20")
	if !errors.Is(err, ErrAccountDelayed) || u != nil || wait <= 0 {
		t.Fatalf("after 5 failures: %v, wait %v; want ErrAccountDelayed", err, wait)
	}
	e.clk.Advance(wait + time.Second)
	if u, _, err := e.a.PasswordStep(ctx, "target@example.ca", pw, "198.51.100.20"); err != nil || u == nil {
		t.Fatalf("after the wait: %v", err)
	}

	// Unknown emails are throttled the same way (no account enumeration).
	for i := range 5 {
		if _, _, err := e.a.PasswordStep(ctx, "ghost@example.ca", "x", fmt.Sprintf("192.0.2.%d", i)); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("ghost attempt %d: %v", i, err)
		}
	}
	if _, _, err := e.a.PasswordStep(ctx, "ghost@example.ca", "x", "192.0.2.99"); !errors.Is(err, ErrAccountDelayed) {
		t.Fatalf("unknown email after 5 failures: %v; want ErrAccountDelayed", err)
	}
}

func TestPasswordStepUpgradesHash(t *testing.T) {
	e := newLoginEnv(t)
	ctx := context.Background()
	const pw = "signal hill in the fog"
	u := e.user(t, "upgrade@example.ca", pw, false) // hashed with testParams (m=64)

	stronger := Params{Memory: 128, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
	e.a.Hasher = NewHasher(stronger, 1)
	if !e.a.Hasher.NeedsRehash(u.PasswordHash) {
		t.Fatal("precondition: old hash should need rehash")
	}
	got, _, err := e.a.PasswordStep(ctx, "upgrade@example.ca", pw, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	stored, err := e.st.GetUser(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored.PasswordHash, "$argon2id$v=19$m=128,t=2,p=1$") || stored.PasswordHash != got.PasswordHash {
		t.Fatalf("hash not upgraded: %s", stored.PasswordHash)
	}
	// And the upgraded hash still accepts the password.
	if _, _, err := e.a.PasswordStep(ctx, "upgrade@example.ca", pw, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
}

func TestPasswordStepMalformedStoredHash(t *testing.T) {
	e := newLoginEnv(t)
	ctx := context.Background()
	u := e.user(t, "corrupt@example.ca", "whatever it was before", false)
	if err := e.st.SetPasswordHash(ctx, u.ID, "$argon2id$v=19$m=99999999999,t=1,p=1$AAAA$AAAA"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.a.PasswordStep(ctx, "corrupt@example.ca", "whatever it was before", "192.0.2.1"); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatalf("corrupt hash: %v; want ErrInvalidCredentials", err)
	}
}
