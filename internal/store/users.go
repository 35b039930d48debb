package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

const userColumns = "id, email, display_name, password_hash, role, totp_secret, recovery_codes, disabled, lang, created_at, updated_at"

func scanUser(r rowScanner) (*User, error) {
	var u User
	var role string
	if err := r.Scan(&u.ID, &u.Email, &u.DisplayName, &u.PasswordHash, &role, (*[]byte)(&u.TOTPSecret), &u.RecoveryCodes,
		&u.Disabled, &u.Lang, timeDest{&u.CreatedAt}, timeDest{&u.UpdatedAt}); err != nil {
		return nil, err
	}
	u.Role = Role(role)
	return &u, nil
}

// normEmail is how emails are stored and looked up: trimmed, lower-cased,
// so uniqueness is case-insensitive on both dialects.
func normEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

func checkUser(u *User) error {
	var k checker
	checkLang(&k, u.Lang)
	k.require("email", u.Email)
	k.text("email", u.Email, maxEmail)
	k.text("display_name", u.DisplayName, maxName)
	k.text("password_hash", u.PasswordHash, 500)
	k.long("recovery_codes", u.RecoveryCodes)
	if u.Role != RoleAdmin && u.Role != RoleModerator {
		k.add(fmt.Sprintf("role: unknown %q", u.Role))
	}
	return k.err()
}

// CreateUser adds a staff user (email lower-cased; ErrConflict when taken).
// TOTPSecret is not written here: use SetTOTP, which seals it.
func (s *Store) CreateUser(ctx context.Context, u *User, audit *AuditEntry) (int64, error) {
	u.Email = normEmail(u.Email)
	if u.Lang == "" {
		u.Lang = LangEnglish // the column's default, and the site's
	}
	if err := checkUser(u); err != nil {
		return 0, fmt.Errorf("store: create user: %w", err)
	}
	t := now()
	reset := auditReset(audit)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		reset()
		res, err := tx.ExecContext(ctx, `INSERT INTO users (email, display_name, password_hash, role, totp_secret, recovery_codes, disabled, lang, created_at, updated_at)
			VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)`, u.Email, u.DisplayName, u.PasswordHash, string(u.Role), u.RecoveryCodes, u.Disabled, u.Lang, dbTime(t), dbTime(t))
		if err != nil {
			if s.d.isUniqueViolation(err) {
				return fmt.Errorf("%w: email already in use", ErrConflict)
			}
			return err
		}
		if u.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		return insertAudit(ctx, tx, audit, fmt.Sprintf("user:%d", u.ID))
	})
	if err != nil {
		u.ID = 0
		return 0, fmt.Errorf("store: create user: %w", err)
	}
	u.TOTPSecret, u.CreatedAt, u.UpdatedAt = nil, t, t
	return u.ID, nil
}

// GetUser returns one user.
func (s *Store) GetUser(ctx context.Context, id int64) (*User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("store: get user %d: %w", id, notFound(err))
	}
	return u, nil
}

// GetUserByEmail finds a user by email, case-insensitively.
func (s *Store) GetUserByEmail(ctx context.Context, email string) (*User, error) {
	defer s.observe("get_user_by_email", time.Now())
	u, err := scanUser(s.db.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE email = ?", normEmail(email)))
	if err != nil {
		return nil, fmt.Errorf("store: get user by email: %w", notFound(err))
	}
	return u, nil
}

// ListUsers returns every user, by email.
func (s *Store) ListUsers(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+userColumns+" FROM users ORDER BY email, id")
	if err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list users: %w", err)
		}
		out = append(out, *u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	return out, nil
}

// UpdateUser writes display name, role and disabled. Disabling deletes the
// user's sessions in the same transaction, so a disabled account is signed
// out everywhere at once.
func (s *Store) UpdateUser(ctx context.Context, u *User, audit *AuditEntry) error {
	var k checker
	k.text("display_name", u.DisplayName, maxName)
	if u.Role != RoleAdmin && u.Role != RoleModerator {
		k.add(fmt.Sprintf("role: unknown %q", u.Role))
	}
	if err := k.err(); err != nil {
		return fmt.Errorf("store: update user %d: %w", u.ID, err)
	}
	t := now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustAffect(tx.ExecContext(ctx, "UPDATE users SET display_name = ?, role = ?, disabled = ?, updated_at = ? WHERE id = ?",
			u.DisplayName, string(u.Role), u.Disabled, dbTime(t), u.ID)); err != nil {
			return err
		}
		if u.Disabled {
			if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", u.ID); err != nil {
				return err
			}
		}
		return insertAudit(ctx, tx, audit, fmt.Sprintf("user:%d", u.ID))
	})
	if err != nil {
		return fmt.Errorf("store: update user %d: %w", u.ID, err)
	}
	u.UpdatedAt = t
	return nil
}

// SetPasswordHash replaces a user's password hash.
func (s *Store) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	var k checker
	k.require("password_hash", hash)
	k.text("password_hash", hash, 500)
	if err := k.err(); err != nil {
		return fmt.Errorf("store: set password of user %d: %w", id, err)
	}
	if err := mustAffect(s.wdb.ExecContext(ctx, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", hash, dbTime(now()), id)); err != nil {
		return fmt.Errorf("store: set password of user %d: %w", id, err)
	}
	return nil
}

// SetTOTP enrols (or, with a nil secret, removes) the second factor. The
// secret is sealed as users.totp_secret before the transaction and written
// in it.
func (s *Store) SetTOTP(ctx context.Context, id int64, secret []byte, recoveryCodes string, audit *AuditEntry) error {
	var k checker
	k.long("recovery_codes", recoveryCodes)
	if err := k.err(); err != nil {
		return fmt.Errorf("store: set totp of user %d: %w", id, err)
	}
	// Sealed before the transaction (see sealRow); users rows have no seal
	// token, and the row's id is known.
	vals, err := sealRow(ctx, s.fieldCipher(), "users", id, nil, []sealField{{"totp_secret", string(secret)}})
	if err != nil {
		return fmt.Errorf("store: set totp of user %d: %w", id, err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustAffect(tx.ExecContext(ctx, "UPDATE users SET totp_secret = ?, recovery_codes = ?, updated_at = ? WHERE id = ?",
			nullBytes(vals[0]), recoveryCodes, dbTime(now()), id)); err != nil {
			return err
		}
		return insertAudit(ctx, tx, audit, fmt.Sprintf("user:%d", id))
	})
	if err != nil {
		return fmt.Errorf("store: set totp of user %d: %w", id, err)
	}
	return nil
}

// SetRecoveryCodes replaces the hashed recovery codes (e.g. one was used).
func (s *Store) SetRecoveryCodes(ctx context.Context, id int64, recoveryCodes string) error {
	var k checker
	k.long("recovery_codes", recoveryCodes)
	if err := k.err(); err != nil {
		return fmt.Errorf("store: set recovery codes of user %d: %w", id, err)
	}
	if err := mustAffect(s.wdb.ExecContext(ctx, "UPDATE users SET recovery_codes = ?, updated_at = ? WHERE id = ?", recoveryCodes, dbTime(now()), id)); err != nil {
		return fmt.Errorf("store: set recovery codes of user %d: %w", id, err)
	}
	return nil
}

// The staff's languages (users.lang, issue 18), as BCP 47 tags: the
// values of i18n.English and i18n.French, kept here as plain strings so
// the store does not depend on the i18n package.
const (
	LangEnglish = "en-CA"
	LangFrench  = "fr-CA"
)

// checkLang refuses a language the site does not have: users.lang is read
// back as a preference, so only the two known tags may be stored.
func checkLang(k *checker, lang string) {
	if lang != LangEnglish && lang != LangFrench {
		k.add(fmt.Sprintf("lang: unknown %q", lang))
	}
}

// SetUserLang records a staff member's language for the admin area (their
// account page), with its audit entry in the same transaction.
func (s *Store) SetUserLang(ctx context.Context, id int64, lang string, audit *AuditEntry) error {
	var k checker
	checkLang(&k, lang)
	if err := k.err(); err != nil {
		return fmt.Errorf("store: set language of user %d: %w", id, err)
	}
	reset := auditReset(audit)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		reset()
		if err := mustAffect(tx.ExecContext(ctx, "UPDATE users SET lang = ?, updated_at = ? WHERE id = ?", lang, dbTime(now()), id)); err != nil {
			return err
		}
		return insertAudit(ctx, tx, audit, fmt.Sprintf("user:%d", id))
	})
	if err != nil {
		return fmt.Errorf("store: set language of user %d: %w", id, err)
	}
	return nil
}

// CountUsers counts staff users (0 means the first-run set-up is due).
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count users: %w", err)
	}
	return n, nil
}
