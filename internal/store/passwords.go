package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Password lifecycle: changing a password, an administrator's reset with a
// one-time set-password link, and using that link. Every write here ends
// the user's sessions and records its audit entry in the same transaction,
// so a password is never replaced while an old session lives on, and never
// without its audit line.

// Errors of UsePasswordReset besides ErrNotFound (no such link).
var (
	// ErrResetExpired: the link is past its expiry and was never used.
	ErrResetExpired = errors.New("password reset link expired")
	// ErrResetUsed: the link was already used (possibly a moment ago by a
	// concurrent request with the same token).
	ErrResetUsed = errors.New("password reset link already used")
)

// PasswordReset is a stored set-password link. Only the hash of its token
// is stored; the token itself exists in the link alone.
type PasswordReset struct {
	TokenHash []byte
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

func checkTokenHash(h []byte) error {
	if len(h) == 0 || len(h) > 64 {
		return fmt.Errorf("%w: token hash must be 1..64 bytes", ErrInvalid)
	}
	return nil
}

func checkPasswordHash(hash string) error {
	var k checker
	k.require("password_hash", hash)
	k.text("password_hash", hash, 500)
	return k.err()
}

// SetPassword replaces a user's password hash (the user changed it, or an
// operator set it), ends all of the user's sessions and drops any unused
// set-password link, in one transaction with the audit entry. A caller who
// keeps the user signed in starts a new session afterwards.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string, audit *AuditEntry) error {
	if err := checkPasswordHash(hash); err != nil {
		return fmt.Errorf("store: set password of user %d: %w", userID, err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		return replacePassword(ctx, tx, userID, hash, audit)
	})
	if err != nil {
		return fmt.Errorf("store: set password of user %d: %w", userID, err)
	}
	return nil
}

// replacePassword is the shared part of every password write: new hash,
// no sessions, no other links, the audit line.
func replacePassword(ctx context.Context, tx *sql.Tx, userID int64, hash string, audit *AuditEntry) error {
	if err := mustAffect(tx.ExecContext(ctx, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", hash, dbTime(now()), userID)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM password_resets WHERE user_id = ? AND used_at IS NULL", userID); err != nil {
		return err
	}
	return insertAudit(ctx, tx, audit, fmt.Sprintf("user:%d", userID))
}

// ResetPassword is an administrator's reset: the user's password hash is
// replaced by unusableHash (a hash of a secret nobody knows, so the old
// password stops working while sign-in behaves exactly as for any wrong
// password), every session of the user ends, earlier links of the user and
// links expired anywhere are deleted, and the new link r is stored, in one
// transaction with the audit entry. Only the newest link of a user works.
func (s *Store) ResetPassword(ctx context.Context, r *PasswordReset, unusableHash string, audit *AuditEntry) error {
	if err := checkTokenHash(r.TokenHash); err != nil {
		return fmt.Errorf("store: reset password: %w", err)
	}
	if err := checkPasswordHash(unusableHash); err != nil {
		return fmt.Errorf("store: reset password: %w", err)
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = now()
	}
	if !r.ExpiresAt.After(r.CreatedAt) {
		return fmt.Errorf("store: reset password: %w: ExpiresAt must be after CreatedAt", ErrInvalid)
	}
	r.CreatedAt = r.CreatedAt.UTC().Truncate(time.Microsecond)
	r.ExpiresAt = r.ExpiresAt.UTC().Truncate(time.Microsecond)
	r.UsedAt = nil
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := replacePassword(ctx, tx, r.UserID, unusableHash, audit); err != nil {
			return err
		}
		// Housekeeping: links past their expiry are worthless; removing
		// them here keeps the table small without a job of its own.
		if _, err := tx.ExecContext(ctx, "DELETE FROM password_resets WHERE user_id = ? OR expires_at <= ?", r.UserID, dbTime(r.CreatedAt)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, NULL)",
			r.TokenHash, r.UserID, dbTime(r.CreatedAt), dbTime(r.ExpiresAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: reset password of user %d: %w", r.UserID, err)
	}
	return nil
}

// GetPasswordReset returns the link with this token hash, used or expired
// or not (the caller words the answer); ErrNotFound when there is none.
func (s *Store) GetPasswordReset(ctx context.Context, tokenHash []byte) (*PasswordReset, error) {
	if err := checkTokenHash(tokenHash); err != nil {
		return nil, fmt.Errorf("store: get password reset: %w", err)
	}
	var r PasswordReset
	err := s.db.QueryRowContext(ctx, "SELECT token_hash, user_id, created_at, expires_at, used_at FROM password_resets WHERE token_hash = ?", tokenHash).
		Scan(&r.TokenHash, &r.UserID, timeDest{&r.CreatedAt}, timeDest{&r.ExpiresAt}, nullTimeDest{&r.UsedAt})
	if err != nil {
		return nil, fmt.Errorf("store: get password reset: %w", notFound(err))
	}
	return &r, nil
}

// UsePasswordReset consumes the link and sets the user's new password in
// one transaction: a compare-and-set marks the link used only while it is
// unused and unexpired at `at`, so of any number of concurrent requests
// with one token exactly one succeeds; the others get ErrResetUsed. Then
// the hash is replaced and every session of the user ends (as SetPassword).
// It returns the user's id; ErrNotFound, ErrResetExpired or ErrResetUsed
// when the link cannot be used. audit.UserID is filled from the link when
// unset, so the entry names the account whoever used it.
func (s *Store) UsePasswordReset(ctx context.Context, tokenHash []byte, hash string, at time.Time, audit *AuditEntry) (int64, error) {
	if err := checkTokenHash(tokenHash); err != nil {
		return 0, fmt.Errorf("store: use password reset: %w", err)
	}
	if err := checkPasswordHash(hash); err != nil {
		return 0, fmt.Errorf("store: use password reset: %w", err)
	}
	t := dbTime(at.UTC().Truncate(time.Microsecond))
	reset := auditReset(audit)
	var userID int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		reset()
		res, err := tx.ExecContext(ctx, "UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?", t, tokenHash, t)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n != 1 {
			// Lost the compare-and-set: say why, from the row as it is now.
			var used *time.Time
			err := tx.QueryRowContext(ctx, "SELECT used_at FROM password_resets WHERE token_hash = ?", tokenHash).Scan(nullTimeDest{&used})
			switch {
			case errors.Is(err, sql.ErrNoRows):
				return ErrNotFound
			case err != nil:
				return err
			case used != nil:
				return ErrResetUsed
			}
			return ErrResetExpired
		}
		if err := tx.QueryRowContext(ctx, "SELECT user_id FROM password_resets WHERE token_hash = ?", tokenHash).Scan(&userID); err != nil {
			return err
		}
		if audit != nil && audit.UserID == nil {
			id := userID
			audit.UserID = &id
		}
		return replacePassword(ctx, tx, userID, hash, audit)
	})
	if err != nil {
		return 0, fmt.Errorf("store: use password reset: %w", err)
	}
	return userID, nil
}
