package auth

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// FailureStore is what the throttle needs from the database; *store.Store
// satisfies it. Failures are kept in the database so every instance behind
// the load balancer sees the same counts.
type FailureStore interface {
	RecordLoginFailure(ctx context.Context, key string, at time.Time) error
	CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	ClearLoginFailures(ctx context.Context, key string) error
}

// Throttle errors. Both wrap ErrThrottled: the login handler answers any of
// them with 429 and a Retry-After of the returned wait, without checking the
// password (so a throttled attempt costs no argon2 work and records nothing).
var (
	ErrThrottled = errors.New("auth: too many failed sign-in attempts")
	// ErrAccountDelayed: this email had too many recent failures. Failures
	// are recorded for unknown emails too, so this reveals nothing about
	// which accounts exist.
	ErrAccountDelayed = fmt.Errorf("%w for this account", ErrThrottled)
	// ErrIPBlocked: this address (IPv6: its /64) had too many recent failures.
	ErrIPBlocked = fmt.Errorf("%w from this address", ErrThrottled)
)

// ThrottleConfig configures a Throttle. Zero values take the defaults.
type ThrottleConfig struct {
	// Window over which failures are counted. Default 15 min. Failures older
	// than this are forgotten, so no lock is permanent.
	Window time.Duration
	// AccountFreeFailures per account within Window before delays start.
	// Default 5.
	AccountFreeFailures int
	// AccountBaseDelay is the delay after the first failure past the free
	// ones; each further failure doubles it. Default 30 s.
	AccountBaseDelay time.Duration
	// AccountMaxDelay caps the delay. Default 15 min.
	AccountMaxDelay time.Duration
	// IPMaxFailures per address within Window; at this count the address is
	// refused until older failures leave the window. Default 10.
	IPMaxFailures int
	// Now is the clock (injectable for tests). Default time.Now.
	Now func() time.Time
}

// Throttle slows down password guessing per account and per client address.
//
// Per account: after AccountFreeFailures failures within Window, each further
// attempt must wait AccountBaseDelay·2^(n−free) after the latest failure
// (30 s, 1 min, 2 min, … capped at 15 min). Attempts refused while waiting are
// not failures (the password is never checked), so hammering does not extend
// the wait, and once failures age out of the window the account is free: an
// attacker cannot lock a real user out for longer than they keep attacking,
// and then at most 15 minutes at a time. A success clears the account's count.
//
// Per address: IPMaxFailures failures within Window refuse the address
// (across all accounts, so spraying one password over many emails is slowed
// too). A success does not clear it: otherwise an attacker with one valid
// account of their own could reset their counter between guesses.
type Throttle struct {
	st  FailureStore
	cfg ThrottleConfig
}

// NewThrottle returns a Throttle keeping its counts in st.
func NewThrottle(st FailureStore, cfg ThrottleConfig) *Throttle {
	if cfg.Window <= 0 {
		cfg.Window = 15 * time.Minute
	}
	if cfg.AccountFreeFailures <= 0 {
		cfg.AccountFreeFailures = 5
	}
	if cfg.AccountBaseDelay <= 0 {
		cfg.AccountBaseDelay = 30 * time.Second
	}
	if cfg.AccountMaxDelay <= 0 {
		cfg.AccountMaxDelay = 15 * time.Minute
	}
	if cfg.IPMaxFailures <= 0 {
		cfg.IPMaxFailures = 10
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Throttle{st: st, cfg: cfg}
}

// NormalizeEmail is the canonical form of an email address for lookups and
// throttling: NFC, trimmed, lower-cased (users are stored lower-cased).
func NormalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(norm.NFC.String(email)))
}

// accountKey: the email is hashed so the throttle table holds no personal
// data and a 10 KB "email" still makes a short key.
func accountKey(email string) string {
	sum := sha256.Sum256([]byte(NormalizeEmail(email)))
	return "acct:" + b64url.EncodeToString(sum[:])
}

// ipKey groups IPv6 clients by /64: one subscriber usually gets a whole /64,
// so counting single addresses would let them rotate through 2^64 of them.
// Unparseable input shares one bucket (more restrictive, never looser).
func ipKey(ip string) string {
	ip = strings.TrimSpace(ip)
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		ap, err2 := netip.ParseAddrPort(ip)
		if err2 != nil {
			return "ip:unknown"
		}
		addr = ap.Addr()
	}
	addr = addr.Unmap().WithZone("")
	if addr.Is6() {
		p, err := addr.Prefix(64)
		if err != nil {
			return "ip:unknown"
		}
		return "ip:" + p.String()
	}
	return "ip:" + addr.String()
}

// accountDelay is the wait required after the latest failure when an account
// has n failures in the window (0 below the free allowance).
func (t *Throttle) accountDelay(n int) time.Duration {
	over := n - t.cfg.AccountFreeFailures
	if over < 0 {
		return 0
	}
	d := t.cfg.AccountBaseDelay
	for range over {
		if d >= t.cfg.AccountMaxDelay {
			break
		}
		d *= 2
	}
	return min(d, t.cfg.AccountMaxDelay)
}

// Check reports whether a sign-in attempt for email from ip may proceed.
// It returns (0, nil) when it may; (wait, ErrIPBlocked or ErrAccountDelayed)
// when it must be refused, wait being an upper bound on the time until it is
// allowed (for Retry-After); or (0, wrapped error) when the database failed.
func (t *Throttle) Check(ctx context.Context, email, ip string) (time.Duration, error) {
	now := t.cfg.Now()
	windowStart := now.Add(-t.cfg.Window)

	nIP, err := t.st.CountLoginFailures(ctx, ipKey(ip), windowStart)
	if err != nil {
		return 0, fmt.Errorf("auth: throttle check: %w", err)
	}
	if nIP >= t.cfg.IPMaxFailures {
		// The oldest counted failure leaves the window at the latest in
		// Window; the store does not tell us when exactly.
		return t.cfg.Window, ErrIPBlocked
	}

	key := accountKey(email)
	n, err := t.st.CountLoginFailures(ctx, key, windowStart)
	if err != nil {
		return 0, fmt.Errorf("auth: throttle check: %w", err)
	}
	delay := t.accountDelay(n)
	if delay == 0 {
		return 0, nil
	}
	// Blocked while the latest failure is less than delay old.
	recent, err := t.st.CountLoginFailures(ctx, key, now.Add(-delay))
	if err != nil {
		return 0, fmt.Errorf("auth: throttle check: %w", err)
	}
	if recent > 0 {
		return delay, ErrAccountDelayed
	}
	return 0, nil
}

// Fail records a failed attempt (wrong password, unknown email, wrong second
// factor) against both the account and the address.
func (t *Throttle) Fail(ctx context.Context, email, ip string) error {
	now := t.cfg.Now()
	if err := t.st.RecordLoginFailure(ctx, accountKey(email), now); err != nil {
		return fmt.Errorf("auth: throttle fail: %w", err)
	}
	if err := t.st.RecordLoginFailure(ctx, ipKey(ip), now); err != nil {
		return fmt.Errorf("auth: throttle fail: %w", err)
	}
	return nil
}

// Succeed clears the account's failures after a complete sign-in. The
// address's failures stay (see Throttle). ip is accepted for symmetry and
// future use.
func (t *Throttle) Succeed(ctx context.Context, email, ip string) error {
	if err := t.st.ClearLoginFailures(ctx, accountKey(email)); err != nil {
		return fmt.Errorf("auth: throttle succeed: %w", err)
	}
	return nil
}
