package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// pwdUser adds a user with two sessions and returns its id.
func pwdUser(t *testing.T, s *Store, email string) int64 {
	t.Helper()
	ctx := context.Background()
	u := &User{Email: email, DisplayName: "P", Role: RoleModerator, PasswordHash: "old-hash"}
	id, err := s.CreateUser(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []byte{1, 2} {
		h := sha256.Sum256([]byte{b, byte(id)})
		if err := s.CreateSession(ctx, &Session{IDHash: h[:], UserID: id, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func pwdSessions(t *testing.T, s *Store, userID int64) int {
	t.Helper()
	_, rows := queryStrings(t, s, "SELECT id_hash FROM sessions WHERE user_id = ?", userID)
	return len(rows)
}

func pwdHash(t *testing.T, s *Store, userID int64) string {
	t.Helper()
	u, err := s.GetUser(context.Background(), userID)
	if err != nil {
		t.Fatal(err)
	}
	return u.PasswordHash
}

func pwdTokenHash(b byte) []byte {
	h := sha256.Sum256([]byte{b})
	return h[:]
}

func TestSetPasswordEndsSessions(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		id := pwdUser(t, s, "a@example.org")
		other := pwdUser(t, s, "b@example.org")
		if err := s.SetPassword(ctx, id, "new-hash", &AuditEntry{UserEmail: "cli", Action: "user.password_set"}); err != nil {
			t.Fatal(err)
		}
		if got := pwdHash(t, s, id); got != "new-hash" {
			t.Errorf("hash %q", got)
		}
		if n := pwdSessions(t, s, id); n != 0 {
			t.Errorf("%d sessions left", n)
		}
		if n := pwdSessions(t, s, other); n != 2 {
			t.Errorf("another user's sessions ended: %d left", n)
		}
		es, _, err := s.ListAudit(ctx, AuditFilter{Action: "user.password_set"})
		if err != nil || len(es) != 1 || es[0].Record != fmt.Sprintf("user:%d", id) {
			t.Fatalf("audit %+v %v", es, err)
		}
		for _, bad := range []string{"", string(bytes.Repeat([]byte("x"), 501))} {
			if err := s.SetPassword(ctx, id, bad, nil); !errors.Is(err, ErrInvalid) {
				t.Errorf("hash of %d bytes: %v, want ErrInvalid", len(bad), err)
			}
		}
		if err := s.SetPassword(ctx, 999999, "h", nil); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown user: %v", err)
		}
	})
}

func TestPasswordResetLifecycle(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		id := pwdUser(t, s, "a@example.org")
		t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
		r := &PasswordReset{TokenHash: pwdTokenHash(1), UserID: id, CreatedAt: t0, ExpiresAt: t0.Add(24 * time.Hour)}
		if err := s.ResetPassword(ctx, r, "unusable", &AuditEntry{UserEmail: "admin@example.org", Action: "user.password_reset"}); err != nil {
			t.Fatal(err)
		}
		if pwdHash(t, s, id) != "unusable" || pwdSessions(t, s, id) != 0 {
			t.Fatal("reset kept the old password or a session")
		}
		got, err := s.GetPasswordReset(ctx, pwdTokenHash(1))
		if err != nil || got.UserID != id || !got.ExpiresAt.Equal(t0.Add(24*time.Hour)) || got.UsedAt != nil {
			t.Fatalf("stored link %+v %v", got, err)
		}
		if _, err := s.GetPasswordReset(ctx, pwdTokenHash(9)); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown token: %v", err)
		}

		// A second reset replaces the first link: only the newest works.
		r2 := &PasswordReset{TokenHash: pwdTokenHash(2), UserID: id, CreatedAt: t0.Add(time.Minute), ExpiresAt: t0.Add(24 * time.Hour)}
		if err := s.ResetPassword(ctx, r2, "unusable2", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UsePasswordReset(ctx, pwdTokenHash(1), "h1", t0.Add(2*time.Minute), nil); !errors.Is(err, ErrNotFound) {
			t.Errorf("replaced link: %v, want ErrNotFound", err)
		}
		// Expired: refused, nothing changed.
		if _, err := s.UsePasswordReset(ctx, pwdTokenHash(2), "late", t0.Add(24*time.Hour), nil); !errors.Is(err, ErrResetExpired) {
			t.Errorf("expired link: %v, want ErrResetExpired", err)
		}
		if pwdHash(t, s, id) != "unusable2" {
			t.Error("an expired link changed the password")
		}
		// A session started in between (impossible with the unusable hash,
		// but a stale one from elsewhere) ends when the link is used.
		h := sha256.Sum256([]byte("late session"))
		if err := s.CreateSession(ctx, &Session{IDHash: h[:], UserID: id, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		a := &AuditEntry{UserEmail: "a@example.org", Action: "user.password_set_by_link"}
		uid, err := s.UsePasswordReset(ctx, pwdTokenHash(2), "chosen", t0.Add(time.Hour), a)
		if err != nil || uid != id {
			t.Fatalf("use: %d %v", uid, err)
		}
		if pwdHash(t, s, id) != "chosen" || pwdSessions(t, s, id) != 0 {
			t.Error("using the link did not set the password and end sessions")
		}
		if a.UserID == nil || *a.UserID != id {
			t.Errorf("audit user id %v", a.UserID)
		}
		if _, err := s.UsePasswordReset(ctx, pwdTokenHash(2), "again", t0.Add(time.Hour), nil); !errors.Is(err, ErrResetUsed) {
			t.Errorf("second use: %v, want ErrResetUsed", err)
		}
		if got, err := s.GetPasswordReset(ctx, pwdTokenHash(2)); err != nil || got.UsedAt == nil {
			t.Errorf("used link: %+v %v", got, err)
		}

		// Changing the password drops an unused link.
		r3 := &PasswordReset{TokenHash: pwdTokenHash(3), UserID: id, CreatedAt: t0, ExpiresAt: t0.Add(24 * time.Hour)}
		if err := s.ResetPassword(ctx, r3, "unusable3", nil); err != nil {
			t.Fatal(err)
		}
		if err := s.SetPassword(ctx, id, "by-cli", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetPasswordReset(ctx, pwdTokenHash(3)); !errors.Is(err, ErrNotFound) {
			t.Errorf("link survived a password change: %v", err)
		}

		// Hostile values are refused cleanly.
		for _, bad := range [][]byte{nil, bytes.Repeat([]byte{1}, 65)} {
			if _, err := s.GetPasswordReset(ctx, bad); !errors.Is(err, ErrInvalid) {
				t.Errorf("token hash of %d bytes: %v", len(bad), err)
			}
			if _, err := s.UsePasswordReset(ctx, bad, "h", t0, nil); !errors.Is(err, ErrInvalid) {
				t.Errorf("use with token hash of %d bytes: %v", len(bad), err)
			}
		}
		if err := s.ResetPassword(ctx, &PasswordReset{TokenHash: pwdTokenHash(4), UserID: id, CreatedAt: t0, ExpiresAt: t0}, "u", nil); !errors.Is(err, ErrInvalid) {
			t.Errorf("link expiring at creation: %v", err)
		}
		if err := s.ResetPassword(ctx, &PasswordReset{TokenHash: pwdTokenHash(5), UserID: 999999, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}, "u", nil); !errors.Is(err, ErrNotFound) {
			t.Errorf("reset of an unknown user: %v", err)
		}
	})
}

// TestUsePasswordResetConcurrent: one token used by many requests at once
// gives exactly one success; the rest are told it was used.
func TestUsePasswordResetConcurrent(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		id := pwdUser(t, s, "a@example.org")
		now := time.Now().UTC()
		if err := s.ResetPassword(ctx, &PasswordReset{TokenHash: pwdTokenHash(7), UserID: id, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}, "unusable", nil); err != nil {
			t.Fatal(err)
		}
		const n = 8
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = s.UsePasswordReset(ctx, pwdTokenHash(7), fmt.Sprintf("hash-%d", i), now, nil)
			}()
		}
		close(start)
		wg.Wait()
		ok, used := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, ErrResetUsed):
				used++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 || used != n-1 {
			t.Fatalf("%d successes, %d told used; want 1 and %d", ok, used, n-1)
		}
	})
}
