package auth

import (
	"context"
	"fmt"
	"time"
)

// TOTPStepStore is what the replay guard needs from the database;
// *store.Store satisfies it.
type TOTPStepStore interface {
	// ClaimTOTPStep records step as the user's newest redeemed step and
	// reports whether it was newer than every step redeemed before, in one
	// compare-and-set (users.totp_last_step).
	ClaimTOTPStep(ctx context.Context, userID, step int64) (bool, error)
}

// TOTPReplayGuard enforces "a code's time step can be redeemed once per user,
// and never a step older than one already redeemed" across all instances.
// The claim is one conditional UPDATE in the database, so of any number of
// requests racing with one code exactly one wins, on SQLite and MySQL alike.
type TOTPReplayGuard struct {
	st  TOTPStepStore
	now func() time.Time
}

// NewTOTPReplayGuard returns a guard keeping used steps in st; now is the
// clock (nil = time.Now).
func NewTOTPReplayGuard(st TOTPStepStore, now func() time.Time) *TOTPReplayGuard {
	if now == nil {
		now = time.Now
	}
	return &TOTPReplayGuard{st: st, now: now}
}

// Verify checks code for the user at the current time and, if it is valid
// and not a replay, records its step as used. It returns nil, ErrInvalidCode,
// ErrCodeReused, ErrBadTOTPSecret or a wrapped store error.
func (g *TOTPReplayGuard) Verify(ctx context.Context, userID int64, secret, code string) error {
	step, err := VerifyTOTP(secret, code, g.now(), -1)
	if err != nil {
		return err
	}
	won, err := g.st.ClaimTOTPStep(ctx, userID, step)
	if err != nil {
		return fmt.Errorf("auth: TOTP replay guard: %w", err)
	}
	if !won {
		return ErrCodeReused
	}
	return nil
}
