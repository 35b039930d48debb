package auth

import (
	"context"
	"fmt"
)

// RecoveryStore is what RedeemRecoveryCode needs; *store.Store satisfies it.
type RecoveryStore interface {
	// ReplaceRecoveryCodes stores next only if the stored codes are still
	// old (compare-and-set) and reports whether it did.
	ReplaceRecoveryCodes(ctx context.Context, userID int64, old, next string) (bool, error)
	GetUserRecoveryCodes(ctx context.Context, userID int64) (string, error)
}

// RedeemRecoveryCode uses input as one of the user's recovery codes, whose
// stored value the caller read as stored. The code is removed by
// compare-and-set, so of requests racing with one code exactly one gets
// ok=true; a request that lost the race to a different code reads the codes
// again and tries once more. It returns how many codes are left.
func RedeemRecoveryCode(ctx context.Context, st RecoveryStore, userID int64, stored, input string) (left int, ok bool, err error) {
	// Each lost race means another code was used meanwhile; there are at
	// most RecoveryCodeCount of them, so this ends.
	for range RecoveryCodeCount + 1 {
		rest, match := ConsumeRecoveryCode(stored, input)
		if !match {
			return 0, false, nil
		}
		won, err := st.ReplaceRecoveryCodes(ctx, userID, stored, rest)
		if err != nil {
			return 0, false, fmt.Errorf("auth: redeem recovery code: %w", err)
		}
		if won {
			return RemainingRecoveryCodes(rest), true, nil
		}
		if stored, err = st.GetUserRecoveryCodes(ctx, userID); err != nil {
			return 0, false, fmt.Errorf("auth: redeem recovery code: %w", err)
		}
	}
	return 0, false, nil
}
