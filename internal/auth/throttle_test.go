package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func newTestThrottle(t *testing.T) (*Throttle, *fakeClock) {
	t.Helper()
	clk := newFakeClock()
	return NewThrottle(newTestStore(t), ThrottleConfig{Now: clk.Now}), clk
}

func mustCheck(t *testing.T, th *Throttle, email, ip string) (time.Duration, error) {
	t.Helper()
	wait, err := th.Check(context.Background(), email, ip)
	if err != nil && !errors.Is(err, ErrThrottled) {
		t.Fatalf("Check: unexpected error %v", err)
	}
	return wait, err
}

// mustFail records one failed attempt against the account and the address
// whatever the limits say (the state a sequence of real failures leaves),
// so the tests can set up the throttle's history directly.
func mustFail(t *testing.T, th *Throttle, email, ip string) {
	t.Helper()
	now := th.cfg.Now()
	for _, key := range []string{accountKey(email), ipKey(ip)} {
		if err := th.st.RecordLoginFailure(context.Background(), key, now); err != nil {
			t.Fatalf("record failure: %v", err)
		}
	}
}

func TestThrottleAccountBackoffGrowsAndCaps(t *testing.T) {
	th, clk := newTestThrottle(t)
	const email = "moderator@example.ca"
	// Each failure from a different address, so only the account rule acts.
	ip := func(i int) string { return fmt.Sprintf("192.0.2.%d", 1+i%9) }

	for i := range 4 {
		mustFail(t, th, email, ip(i))
		if wait, err := mustCheck(t, th, email, ip(i)); err != nil || wait != 0 {
			t.Fatalf("after %d failures: wait %v, %v; want free", i+1, wait, err)
		}
	}
	// 5th failure: 30 s, then doubling with every further failure made as
	// soon as allowed, up to the 15 min cap.
	// (8 min would be next, but by then the first five failures have left the
	// 15-min window: an attacker who waits out every delay gets at most ~9
	// guesses per window per account.)
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute}
	for i, w := range want {
		mustFail(t, th, email, ip(i))
		wait, err := mustCheck(t, th, email, "198.51.100.7")
		if !errors.Is(err, ErrAccountDelayed) || wait != w {
			t.Fatalf("after %d failures: wait %v, %v; want %v, ErrAccountDelayed", 5+i, wait, err, w)
		}
		// Still refused just before the delay ends; allowed just after.
		clk.Advance(w - time.Second)
		if _, err := mustCheck(t, th, email, "198.51.100.7"); !errors.Is(err, ErrAccountDelayed) {
			t.Fatalf("1 s before the end of %v: %v; want still delayed", w, err)
		}
		clk.Advance(2 * time.Second)
		if wait, err := mustCheck(t, th, email, "198.51.100.7"); err != nil || wait != 0 {
			t.Fatalf("1 s after the end of %v: wait %v, %v; want free", w, wait, err)
		}
	}
	// Failures recorded without waiting (parallel requests that all passed
	// Check before any failed) push the delay to the cap, not beyond.
	for i := range 10 {
		mustFail(t, th, "racer@example.ca", ip(i))
	}
	if wait, err := mustCheck(t, th, "racer@example.ca", "198.51.100.8"); !errors.Is(err, ErrAccountDelayed) || wait != 15*time.Minute {
		t.Fatalf("10 quick failures: wait %v, %v; want 15m cap", wait, err)
	}
	for i := range 20 {
		mustFail(t, th, "racer@example.ca", fmt.Sprintf("198.18.0.%d", i))
	}
	if wait, err := mustCheck(t, th, "racer@example.ca", "198.51.100.8"); !errors.Is(err, ErrAccountDelayed) || wait != 15*time.Minute {
		t.Fatalf("30 quick failures: wait %v, %v; want 15m cap", wait, err)
	}
	if d := th.accountDelay(1000); d != 15*time.Minute {
		t.Errorf("accountDelay(1000) = %v; want 15m cap", d)
	}
	if d := th.accountDelay(5 + 5); d != 15*time.Minute {
		t.Errorf("accountDelay(10) = %v; want 15m (16m capped)", d)
	}
}

func TestThrottleNoPermanentLockout(t *testing.T) {
	th, clk := newTestThrottle(t)
	const email = "admin@example.ca"
	for i := range 30 {
		mustFail(t, th, email, fmt.Sprintf("203.0.113.%d", i%10))
	}
	if _, err := mustCheck(t, th, email, "198.51.100.1"); !errors.Is(err, ErrAccountDelayed) {
		t.Fatalf("after 30 failures: %v; want delayed", err)
	}
	// Attempts refused while delayed are not recorded (Check does not write),
	// so hammering does not extend the lock: after the window, free.
	for range 100 {
		mustCheck(t, th, email, "198.51.100.1")
	}
	clk.Advance(15*time.Minute + time.Second)
	if wait, err := mustCheck(t, th, email, "198.51.100.1"); err != nil || wait != 0 {
		t.Fatalf("after the window: wait %v, %v; want free", wait, err)
	}
}

func TestThrottleSuccessResetsAccountNotIP(t *testing.T) {
	th, _ := newTestThrottle(t)
	ctx := context.Background()
	const email, ip = "Kathleen@Example.ca", "192.0.2.44"
	for range 6 {
		mustFail(t, th, email, ip)
	}
	if _, err := mustCheck(t, th, email, ip); !errors.Is(err, ErrAccountDelayed) {
		t.Fatalf("want delayed, got %v", err)
	}
	if err := th.Succeed(ctx, email, ip); err != nil {
		t.Fatal(err)
	}
	if wait, err := mustCheck(t, th, email, ip); err != nil || wait != 0 {
		t.Fatalf("after success: wait %v, %v; want free", wait, err)
	}
	// The address keeps its 6 failures: the rest of its budget (on any
	// account) blocks it.
	for range DefaultIPMaxFailures - 6 {
		mustFail(t, th, "someone-else@example.ca", ip)
	}
	if _, err := mustCheck(t, th, email, ip); !errors.Is(err, ErrIPBlocked) {
		t.Fatalf("after %d failures from the address: %v; want ErrIPBlocked", DefaultIPMaxFailures, err)
	}
}

func TestThrottleIPLimit(t *testing.T) {
	th, clk := newTestThrottle(t)
	// Password spraying: one failure on each of 25 different accounts.
	for i := range DefaultIPMaxFailures {
		email := fmt.Sprintf("user%d@example.ca", i)
		if wait, err := mustCheck(t, th, email, "203.0.113.9"); err != nil || wait != 0 {
			t.Fatalf("attempt %d refused early: %v", i+1, err)
		}
		mustFail(t, th, email, "203.0.113.9")
	}
	wait, err := mustCheck(t, th, "fresh@example.ca", "203.0.113.9")
	if !errors.Is(err, ErrIPBlocked) || !errors.Is(err, ErrThrottled) || wait <= 0 || wait > DefaultIPWindow {
		t.Fatalf("26th attempt: wait %v, %v; want ErrIPBlocked with 0 < wait ≤ 5m", wait, err)
	}
	// Another address is unaffected.
	if wait, err := mustCheck(t, th, "fresh@example.ca", "203.0.113.10"); err != nil || wait != 0 {
		t.Fatalf("other address: %v, %v", wait, err)
	}
	// After the window the address is free again.
	clk.Advance(DefaultIPWindow + time.Second)
	if wait, err := mustCheck(t, th, "fresh@example.ca", "203.0.113.9"); err != nil || wait != 0 {
		t.Fatalf("after the window: %v, %v", wait, err)
	}
}

func TestThrottleIPv6Slash64(t *testing.T) {
	th, _ := newTestThrottle(t)
	for i := range DefaultIPMaxFailures {
		// Different addresses in one /64 (and in different notations).
		ip := []string{"2001:db8:1:2::1", "2001:db8:1:2::2", "2001:DB8:1:2:ffff::9", "[2001:db8:1:2::3]:443", "2001:db8:1:2::4%eth0"}[i%5]
		mustFail(t, th, fmt.Sprintf("v6-%d@example.ca", i), ip)
	}
	if _, err := mustCheck(t, th, "x@example.ca", "2001:db8:1:2::abcd"); !errors.Is(err, ErrIPBlocked) {
		t.Fatalf("same /64: %v; want ErrIPBlocked", err)
	}
	if _, err := mustCheck(t, th, "x@example.ca", "2001:db8:1:3::1"); err != nil {
		t.Fatalf("next /64: %v; want free", err)
	}
	// IPv4-mapped IPv6 is the IPv4 address.
	if ipKey("::ffff:192.0.2.1") != ipKey("192.0.2.1") {
		t.Error("IPv4-mapped address keyed differently from IPv4")
	}
}

func TestThrottleEmailNormalised(t *testing.T) {
	th, _ := newTestThrottle(t)
	variants := []string{"Admin@Example.CA", " admin@example.ca ", "ADMIN@EXAMPLE.CA", "admin@example.ca", "admin@example.ca\t"}
	for i, e := range variants {
		mustFail(t, th, e, fmt.Sprintf("192.0.2.%d", 1+i))
	}
	if _, err := mustCheck(t, th, "admin@example.ca", "198.51.100.3"); !errors.Is(err, ErrAccountDelayed) {
		t.Fatalf("5 failures under case/space variants: %v; want one account delayed", err)
	}
	if accountKey("a@example.ca") == accountKey("b@example.ca") {
		t.Fatal("different emails share a key")
	}
	if k := accountKey("admin@example.ca"); strings.Contains(k, "admin") || strings.Contains(k, "example") {
		t.Errorf("account key %q contains the email", k)
	}
}

func TestThrottleHostileInput(t *testing.T) {
	th, _ := newTestThrottle(t)
	for name, in := range map[string][2]string{
		"empty":         {"", ""},
		"10KB email":    {strings.Repeat("a", 10*1024) + "@example.ca", "192.0.2.1"},
		"invalid UTF-8": {"\xff\xfe@example.ca", "\xff\xfe"},
		"NUL":           {"admin@example.ca\x00", "192.0.2.1\x00"},
		"garbage ip":    {"x@example.ca", "not an ip; DROP TABLE"},
		"10KB ip":       {"x@example.ca", strings.Repeat("9", 10*1024)},
	} {
		t.Run(name, func(t *testing.T) {
			mustFail(t, th, in[0], in[1])
			if _, err := th.Check(context.Background(), in[0], in[1]); err != nil && !errors.Is(err, ErrThrottled) {
				t.Fatalf("Check: %v", err)
			}
			if err := th.Succeed(context.Background(), in[0], in[1]); err != nil {
				t.Fatalf("Succeed: %v", err)
			}
		})
	}
	if k := ipKey(strings.Repeat("9", 10*1024)); k != "ip:unknown" {
		t.Errorf("garbage ip key = %.40q", k)
	}
}

func TestTOTPReplayGuard(t *testing.T) {
	st := newTestStore(t)
	clk := newFakeClock()
	g := NewTOTPReplayGuard(st, clk.Now)
	ctx := context.Background()
	u7 := createUser(t, st, "seven@example.ca", "moderator").ID
	u8 := createUser(t, st, "eight@example.ca", "moderator").ID
	secret, err := GenerateTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	code, err := TOTPCode(secret, clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Verify(ctx, u7, secret, code); err != nil {
		t.Fatalf("first use: %v", err)
	}
	if err := g.Verify(ctx, u7, secret, code); !errors.Is(err, ErrCodeReused) {
		t.Fatalf("replay: %v; want ErrCodeReused", err)
	}
	// Another user with the same secret (never happens, but proves the key
	// is per user) may use the code.
	if err := g.Verify(ctx, u8, secret, code); err != nil {
		t.Fatalf("other user: %v", err)
	}
	// The previous step's code is refused after a newer step was used.
	prev, _ := TOTPCode(secret, clk.Now().Add(-TOTPPeriod))
	if err := g.Verify(ctx, u7, secret, prev); !errors.Is(err, ErrCodeReused) {
		t.Fatalf("older step after newer: %v; want ErrCodeReused", err)
	}
	// The next step's code is fine, once.
	clk.Advance(TOTPPeriod)
	next, _ := TOTPCode(secret, clk.Now())
	if err := g.Verify(ctx, u7, secret, next); err != nil {
		t.Fatalf("next step: %v", err)
	}
	if err := g.Verify(ctx, u7, secret, next); !errors.Is(err, ErrCodeReused) {
		t.Fatalf("next step replay: %v", err)
	}
	if err := g.Verify(ctx, u7, secret, "000000x"); !errors.Is(err, ErrInvalidCode) {
		t.Fatalf("junk: %v", err)
	}
}
