package store

import (
	"context"
	"database/sql"
	"fmt"
)

// The second factor is redeemed with compare-and-set in the database, so a
// code cannot open two sessions however many requests race with it, on any
// number of instances (issue 12).

// ClaimTOTPStep records that the user redeemed the TOTP code of time step
// step. It reports false when that step or a newer one was already redeemed:
// only one of any number of concurrent claims of one step wins.
func (s *Store) ClaimTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	res, err := s.wdb.ExecContext(ctx,
		"UPDATE users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)", step, userID, step)
	if err != nil {
		return false, fmt.Errorf("store: claim totp step of user %d: %w", userID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: claim totp step of user %d: %w", userID, err)
	}
	return n == 1, nil
}

// ReplaceRecoveryCodes stores next as the user's recovery codes only if they
// are still old (the value the caller read and removed one code from). It
// reports false when another request changed them first: that request used
// a code (perhaps the same one), and the caller must read them again.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, userID int64, old, next string) (bool, error) {
	var k checker
	k.long("recovery_codes", next)
	if err := k.err(); err != nil {
		return false, fmt.Errorf("store: replace recovery codes of user %d: %w", userID, err)
	}
	res, err := s.wdb.ExecContext(ctx, "UPDATE users SET recovery_codes = ?, updated_at = ? WHERE id = ? AND recovery_codes = ?",
		next, dbTime(now()), userID, old)
	if err != nil {
		return false, fmt.Errorf("store: replace recovery codes of user %d: %w", userID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: replace recovery codes of user %d: %w", userID, err)
	}
	return n == 1, nil
}

// TakeSecondFactorTry takes one of max code checks on a pending sign-in's
// session. It returns the number of the try taken (1..max), or 0 when all
// are used; ErrNotFound when the session is gone. The increment and the
// read of its result are one transaction holding the row, so concurrent
// requests get distinct numbers and never more than max between them.
func (s *Store) TakeSecondFactorTry(ctx context.Context, idHash []byte, max int) (int, error) {
	if err := checkIDHash(idHash); err != nil {
		return 0, fmt.Errorf("store: take second-factor try: %w", err)
	}
	var n int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE sessions SET second_factor_tries = second_factor_tries + 1 WHERE id_hash = ? AND second_factor_tries < ?", idHash, max)
		if err != nil {
			return err
		}
		affected, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "SELECT second_factor_tries FROM sessions WHERE id_hash = ?", idHash).Scan(&n); err != nil {
			return notFound(err)
		}
		if affected == 0 {
			n = 0
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: take second-factor try: %w", err)
	}
	return n, nil
}

// GetUserRecoveryCodes reads the user's stored recovery codes afresh (after
// ReplaceRecoveryCodes lost a race).
func (s *Store) GetUserRecoveryCodes(ctx context.Context, userID int64) (string, error) {
	var codes string
	if err := s.wdb.QueryRowContext(ctx, "SELECT recovery_codes FROM users WHERE id = ?", userID).Scan(&codes); err != nil {
		return "", fmt.Errorf("store: get recovery codes of user %d: %w", userID, notFound(err))
	}
	return codes, nil
}
