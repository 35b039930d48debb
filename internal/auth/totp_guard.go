package auth

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// TOTPReplayGuard enforces "a code's time step can be redeemed once per user,
// and never a step older than one already redeemed" across all instances.
//
// The store has no column for the last used step, so the guard keeps it in
// the login-failures log that every instance shares (FailureStore): one row
// per redeemed code under key "totp-used:<user id>", whose timestamp is one
// second after the start of the redeemed step. "Some step ≥ s was used" is
// then exactly CountLoginFailures(key, start of s) > 0 (the one-second offset
// makes this hold whether the store compares "since" with > or ≥). Rows matter for only ~90 s (older
// steps are refused by VerifyTOTP anyway), so pruning the log does no harm.
//
// Limitation: check-then-record is not atomic, so two requests racing with
// the same code within milliseconds could both pass. Closing that needs a
// compare-and-set on a users.totp_last_step column (see the report).
type TOTPReplayGuard struct {
	st  FailureStore
	now func() time.Time
}

// NewTOTPReplayGuard returns a guard keeping used steps in st; now is the
// clock (nil = time.Now).
func NewTOTPReplayGuard(st FailureStore, now func() time.Time) *TOTPReplayGuard {
	if now == nil {
		now = time.Now
	}
	return &TOTPReplayGuard{st: st, now: now}
}

func totpUsedKey(userID int64) string { return "totp-used:" + strconv.FormatInt(userID, 10) }

func stepStart(step int64) time.Time { return time.Unix(step*int64(TOTPPeriod/time.Second), 0).UTC() }

// Verify checks code for the user at the current time and, if it is valid
// and not a replay, records its step as used. It returns nil, ErrInvalidCode,
// ErrCodeReused, ErrBadTOTPSecret or a wrapped store error.
func (g *TOTPReplayGuard) Verify(ctx context.Context, userID int64, secret, code string) error {
	step, err := VerifyTOTP(secret, code, g.now(), -1)
	if err != nil {
		return err
	}
	key := totpUsedKey(userID)
	used, err := g.st.CountLoginFailures(ctx, key, stepStart(step))
	if err != nil {
		return fmt.Errorf("auth: TOTP replay check: %w", err)
	}
	if used > 0 {
		return ErrCodeReused
	}
	if err := g.st.RecordLoginFailure(ctx, key, stepStart(step).Add(time.Second)); err != nil {
		return fmt.Errorf("auth: TOTP replay record: %w", err)
	}
	return nil
}
