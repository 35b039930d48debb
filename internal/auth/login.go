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

// Attempt is one sign-in's password step.
type Attempt struct {
	Email, Password, IP string
	// DeviceUserID is the user a valid known-browser cookie names (0 for
	// none). When it is the account being signed in to, the address limit
	// does not apply: see Throttle.Reserve and docs/security.md.
	DeviceUserID int64
}

// PasswordResult is what the password step learned.
type PasswordResult struct {
	User *store.User   // set only when the password was right
	Wait time.Duration // with a throttle error: for Retry-After
	// Known: the typed email is a staff account's (disabled ones too). The
	// caller may log such an email as typed; any other text only as a keyed
	// hash, since it may be a mistyped address, a member of the public's, or
	// a password typed into the wrong field.
	Known bool
}

// PasswordStep checks email and password for a sign-in from ip; it is
// Password without a known-browser cookie.
func (a *Authenticator) PasswordStep(ctx context.Context, email, password, ip string) (*store.User, time.Duration, error) {
	res, err := a.Password(ctx, Attempt{Email: email, Password: password, IP: ip})
	return res.User, res.Wait, err
}

// Password checks an attempt's email and password:
//
//   - throttled: ErrAccountDelayed or ErrIPBlocked with Wait — the password
//     was not checked and nothing was recorded;
//   - wrong email, wrong password or disabled account: ErrInvalidCredentials,
//     after the same argon2id work in every case; the attempt stays counted
//     against the account and the address;
//   - right: User set. The hash is upgraded if the parameters changed.
//     The caller then asks for the second factor if the user has one, and
//     calls Throttle.Succeed only when the whole sign-in succeeded.
//
// The attempt is counted (Throttle.Reserve) before argon2 runs and given
// back when the password was right, so parallel guesses cannot get past the
// limits. Any other error is a real failure (database down) for a 500.
func (a *Authenticator) Password(ctx context.Context, at Attempt) (PasswordResult, error) {
	var res PasswordResult
	norm := NormalizeEmail(at.Email)
	var u *store.User
	if norm != "" && len(norm) <= maxEmailBytes {
		found, err := a.Users.GetUserByEmail(ctx, norm)
		switch {
		case err == nil:
			u = found
			res.Known = true
		case !errors.Is(err, store.ErrNotFound):
			return res, fmt.Errorf("auth: password step: %w", err)
		}
	}
	knownBrowser := u != nil && at.DeviceUserID > 0 && at.DeviceUserID == u.ID
	rsv, wait, err := a.Throttle.Reserve(ctx, at.Email, at.IP, !knownBrowser)
	if err != nil {
		res.Wait = wait
		return res, err
	}
	ok := false
	if u == nil || u.Disabled {
		if err := a.Hasher.DummyVerify(ctx, at.Password); err != nil {
			return res, fmt.Errorf("auth: password step: %w", err)
		}
	} else {
		match, err := a.Hasher.Verify(ctx, u.PasswordHash, at.Password)
		if err != nil && !errors.Is(err, ErrMalformedHash) {
			return res, fmt.Errorf("auth: password step: %w", err)
		}
		if err != nil {
			// A corrupt stored hash locks that account (it cannot be
			// verified) but is logged so an operator can reset it.
			a.logger().ErrorContext(ctx, "stored password hash is malformed", slog.Int64("user_id", u.ID))
		}
		ok = match
	}
	if !ok {
		return res, ErrInvalidCredentials
	}
	if err := a.Throttle.Release(ctx, rsv); err != nil {
		return res, fmt.Errorf("auth: password step: %w", err)
	}
	if a.Hasher.NeedsRehash(u.PasswordHash) {
		// Failure here must not block a correct sign-in: the old hash still
		// works and the upgrade is retried at the next sign-in.
		if h, err := a.Hasher.Hash(ctx, at.Password); err != nil {
			a.logger().WarnContext(ctx, "password hash upgrade failed", slog.Int64("user_id", u.ID), slog.Any("error", err))
		} else if err := a.Users.SetPasswordHash(ctx, u.ID, h); err != nil {
			a.logger().WarnContext(ctx, "password hash upgrade failed", slog.Int64("user_id", u.ID), slog.Any("error", err))
		} else {
			u.PasswordHash = h
		}
	}
	res.User = u
	return res, nil
}

func (a *Authenticator) logger() *slog.Logger {
	if a.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return a.Logger
}
