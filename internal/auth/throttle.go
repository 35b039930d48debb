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

	"lostinnl/internal/store"
)

// FailureStore is what the throttle needs from the database; *store.Store
// satisfies it. Failures are kept in the database so every instance behind
// the load balancer sees the same counts.
type FailureStore interface {
	RecordLoginFailure(ctx context.Context, key string, at time.Time) error
	CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	ClearLoginFailures(ctx context.Context, key string) error
	// ReserveLoginFailures checks (allow) and records one failure per key
	// as one step for every instance; see store.ReserveLoginFailures.
	ReserveLoginFailures(ctx context.Context, keys []string, at time.Time, allow func(c store.LoginFailureCounter) error) ([]int64, error)
	DeleteLoginFailures(ctx context.Context, ids []int64) error
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
	// IPMaxFailures per address within IPWindow; at this count the address
	// is refused until older failures leave the window (LOSTINNL_LOGIN_IP_
	// MAX_FAILURES). Default 25, as Mastodon: an office or a proxy shares one
	// address, so this is a budget against spraying, not a lock.
	IPMaxFailures int
	// IPWindow over which an address's failures are counted
	// (LOSTINNL_LOGIN_IP_WINDOW). Default 5 min.
	IPWindow time.Duration
	// Now is the clock (injectable for tests). Default time.Now.
	Now func() time.Time
}

// Defaults of the per-address budget.
const (
	DefaultIPMaxFailures = 25
	DefaultIPWindow      = 5 * time.Minute
)

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
// Per address: IPMaxFailures failures within IPWindow refuse the address
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
		cfg.IPMaxFailures = DefaultIPMaxFailures
	}
	if cfg.IPWindow <= 0 {
		cfg.IPWindow = DefaultIPWindow
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
//
// Check only reads: between it and Fail, parallel attempts all pass. Sign-in
// uses Reserve, which checks and counts in one step.
func (t *Throttle) Check(ctx context.Context, email, ip string) (time.Duration, error) {
	return t.check(ctx, t.st, t.cfg.Now(), email, ip, true)
}

func (t *Throttle) check(ctx context.Context, c store.LoginFailureCounter, now time.Time, email, ip string, checkIP bool) (time.Duration, error) {
	if checkIP {
		nIP, err := c.CountLoginFailures(ctx, ipKey(ip), now.Add(-t.cfg.IPWindow))
		if err != nil {
			return 0, fmt.Errorf("auth: throttle check: %w", err)
		}
		if nIP >= t.cfg.IPMaxFailures {
			// The oldest counted failure leaves the window at the latest in
			// IPWindow; the store does not tell us when exactly.
			return t.cfg.IPWindow, ErrIPBlocked
		}
	}

	key := accountKey(email)
	n, err := c.CountLoginFailures(ctx, key, now.Add(-t.cfg.Window))
	if err != nil {
		return 0, fmt.Errorf("auth: throttle check: %w", err)
	}
	delay := t.accountDelay(n)
	if delay == 0 {
		return 0, nil
	}
	// Blocked while the latest failure is less than delay old.
	recent, err := c.CountLoginFailures(ctx, key, now.Add(-delay))
	if err != nil {
		return 0, fmt.Errorf("auth: throttle check: %w", err)
	}
	if recent > 0 {
		return delay, ErrAccountDelayed
	}
	return 0, nil
}

// refusal carries Check's answer out of the store's transaction.
type refusal struct {
	wait time.Duration
	err  error
}

func (r *refusal) Error() string { return r.err.Error() }
func (r *refusal) Unwrap() error { return r.err }

// Reservation is an attempt already counted as a failure before its
// password or code was checked. Release gives it back when it was right.
type Reservation struct{ ids []int64 }

// Reserve checks the limits for an attempt on email from ip and, if it may
// proceed, counts it as a failure against the account and the address — in
// one step, for every instance sharing the database — before the caller
// checks the password or code. So n parallel attempts are n counted ones:
// at most the allowance is ever checked, the rest are refused like Check
// refuses (same errors and waits), and a refused attempt records nothing.
//
// checkIP false skips the address limit (the attempt is still counted on
// the address): for a browser that proved an earlier sign-in to this very
// account, and for the second-factor step, whose pending sign-in already
// proves the password. The account limit always applies.
func (t *Throttle) Reserve(ctx context.Context, email, ip string, checkIP bool) (*Reservation, time.Duration, error) {
	now := t.cfg.Now()
	ids, err := t.st.ReserveLoginFailures(ctx, []string{accountKey(email), ipKey(ip)}, now, func(c store.LoginFailureCounter) error {
		wait, err := t.check(ctx, c, now, email, ip, checkIP)
		if errors.Is(err, ErrThrottled) {
			return &refusal{wait: wait, err: err}
		}
		return err
	})
	if r, ok := errors.AsType[*refusal](err); ok {
		return nil, r.wait, r.err
	}
	if err != nil {
		return nil, 0, fmt.Errorf("auth: throttle reserve: %w", err)
	}
	return &Reservation{ids: ids}, 0, nil
}

// Release un-counts a reservation whose attempt was right (a nil one is a
// no-op), so a correct password never costs the account or the address.
func (t *Throttle) Release(ctx context.Context, r *Reservation) error {
	if r == nil || len(r.ids) == 0 {
		return nil
	}
	if err := t.st.DeleteLoginFailures(ctx, r.ids); err != nil {
		return fmt.Errorf("auth: throttle release: %w", err)
	}
	r.ids = nil
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
