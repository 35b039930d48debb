package auth

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Password lifecycle helpers: the one-time set-password link of an
// administrator's reset, and the checks around changing a password.

// ResetLinkLifetime is how long a set-password link works after the reset.
const ResetLinkLifetime = 24 * time.Hour

// resetTokenBytes: 256 random bits, far beyond guessing even with the
// database's help (it holds only SHA-256 of the token).
const resetTokenBytes = 32

// NewResetToken returns a random token for a set-password link (URL-safe,
// 43 characters) and the SHA-256 hash (as for session ids) that is stored in its place. A plain
// hash is enough: the token is uniformly random, so there is nothing for a
// slow hash to protect against.
func NewResetToken() (token string, hash []byte, err error) {
	raw := make([]byte, resetTokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, fmt.Errorf("auth: reset token: %w", err)
	}
	token = b64url.EncodeToString(raw)
	return token, hashID([]byte(token)), nil
}

// ResetTokenHash returns the stored form of a token from a link, and false
// when the text cannot be a token we issued (wrong length or alphabet), so
// junk never reaches the database.
func ResetTokenHash(token string) ([]byte, bool) {
	if len(token) != b64url.EncodedLen(resetTokenBytes) {
		return nil, false
	}
	if raw, err := b64url.Strict().DecodeString(token); err != nil || len(raw) != resetTokenBytes {
		return nil, false
	}
	return hashID([]byte(token)), true
}

// UnusableHash returns a real argon2id hash of 256 random bits that are then
// forgotten. An administrator's reset stores it in place of the password:
// the old password stops working, while sign-in for the account behaves
// exactly as for any wrong password (same work, same answer, no error log
// about a malformed hash).
func (h *Hasher) UnusableHash(ctx context.Context) (string, error) {
	raw := make([]byte, resetTokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("auth: unusable hash: %w", err)
	}
	return h.Hash(ctx, b64url.EncodeToString(raw))
}

// SamePassword reports whether two passwords are the same password as the
// hasher sees it (after NFC), for refusing a "new" password that is the
// current one.
func SamePassword(a, b string) bool {
	if len(a) > maxVerifyBytes || len(b) > maxVerifyBytes {
		return a == b
	}
	return norm.NFC.String(a) == norm.NFC.String(b)
}
