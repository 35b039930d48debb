package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"lostinnl/internal/store"
)

// UserStore is what the password step needs from the database; *store.Store
// satisfies it.
type UserStore interface {
	GetUserByEmail(ctx context.Context, email string) (*store.User, error)
	SetPasswordHash(ctx context.Context, id int64, hash string) error
}

// ErrInvalidCredentials is the one answer for an unknown email, a wrong
// password and a disabled account, so the login form reveals nothing about
// which accounts exist or are active.
var ErrInvalidCredentials = errors.New("auth: email or password is wrong")

// maxEmailBytes: RFC 5321 caps a path at 256 octets; longer input cannot be
// an account and is not sent to the database.
const maxEmailBytes = 254

// Authenticator runs the password step of a sign-in with the throttle, the
// constant-ish timing and the hash upgrade wired together, so the handler
// cannot forget one of them. The second factor and the session are the
// caller's next steps (VerifyTOTP / ConsumeRecoveryCode, Manager.Start).
type Authenticator struct {
	Users    UserStore
	Hasher   *Hasher
	Throttle *Throttle
	// Logger receives the one non-fatal problem of this step: a failed hash
	// upgrade. Nil discards it.
	Logger *slog.Logger
}

// PasswordStep checks email and password for a sign-in from ip.
//
//   - throttled: (nil, wait, ErrAccountDelayed or ErrIPBlocked) — the password
//     was not checked and nothing was recorded;
//   - wrong email, wrong password or disabled account: (nil, 0,
//     ErrInvalidCredentials), after the same argon2id work in every case, and
//     the failure is recorded against the account and the address;
//   - right: (user, 0, nil). The hash is upgraded if the parameters changed.
//     The caller then asks for the second factor if the user has one (and
//     calls Throttle.Fail on a wrong code), and calls Throttle.Succeed only
//     when the whole sign-in succeeded.
//
// Any other error is a real failure (database down) for a 500.
func (a *Authenticator) PasswordStep(ctx context.Context, email, password, ip string) (*store.User, time.Duration, error) {
	if wait, err := a.Throttle.Check(ctx, email, ip); err != nil {
		return nil, wait, err
	}
	norm := NormalizeEmail(email)
	var u *store.User
	if norm != "" && len(norm) <= maxEmailBytes {
		found, err := a.Users.GetUserByEmail(ctx, norm)
		switch {
		case err == nil:
			u = found
		case !errors.Is(err, store.ErrNotFound):
			return nil, 0, fmt.Errorf("auth: password step: %w", err)
		}
	}
	ok := false
	if u == nil || u.Disabled {
		if err := a.Hasher.DummyVerify(ctx, password); err != nil {
			return nil, 0, fmt.Errorf("auth: password step: %w", err)
		}
	} else {
		match, err := a.Hasher.Verify(ctx, u.PasswordHash, password)
		if err != nil && !errors.Is(err, ErrMalformedHash) {
			return nil, 0, fmt.Errorf("auth: password step: %w", err)
		}
		if err != nil {
			// A corrupt stored hash locks that account (it cannot be
			// verified) but is logged so an operator can reset it.
			a.logger().ErrorContext(ctx, "stored password hash is malformed", slog.Int64("user_id", u.ID))
		}
		ok = match
	}
	if !ok {
		if err := a.Throttle.Fail(ctx, email, ip); err != nil {
			return nil, 0, fmt.Errorf("auth: password step: %w", err)
		}
		return nil, 0, ErrInvalidCredentials
	}
	if a.Hasher.NeedsRehash(u.PasswordHash) {
		// Failure here must not block a correct sign-in: the old hash still
		// works and the upgrade is retried at the next sign-in.
		if h, err := a.Hasher.Hash(ctx, password); err != nil {
			a.logger().WarnContext(ctx, "password hash upgrade failed", slog.Int64("user_id", u.ID), slog.Any("error", err))
		} else if err := a.Users.SetPasswordHash(ctx, u.ID, h); err != nil {
			a.logger().WarnContext(ctx, "password hash upgrade failed", slog.Int64("user_id", u.ID), slog.Any("error", err))
		} else {
			u.PasswordHash = h
		}
	}
	return u, 0, nil
}

func (a *Authenticator) logger() *slog.Logger {
	if a.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return a.Logger
}
