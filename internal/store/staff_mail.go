package store

import (
	"context"
	"fmt"
)

// StaffRecipient is a moderator or admin who receives staff notifications.
type StaffRecipient struct {
	UserID int64
	Email  string
	Role   Role
	// Lang is the staff member's language (users.lang, issue 18): their
	// notices come in it. Read here, with the recipients, so a fan-out
	// costs no query per recipient.
	Lang string
}

// StaffRecipients lists enabled staff who have not turned notifications
// off, with id > afterID, by id, at most limit (for a fan-out).
func (s *Store) StaffRecipients(ctx context.Context, afterID int64, limit int) ([]StaffRecipient, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, email, role, lang FROM users WHERE disabled = 0 AND notify_mail = 1 AND id > ? ORDER BY id LIMIT ?", afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: staff recipients: %w", err)
	}
	defer rows.Close()
	var out []StaffRecipient
	for rows.Next() {
		var r StaffRecipient
		var role string
		if err := rows.Scan(&r.UserID, &r.Email, &role, &r.Lang); err != nil {
			return nil, fmt.Errorf("store: staff recipients: %w", err)
		}
		r.Role = Role(role)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: staff recipients: %w", err)
	}
	return out, nil
}

// StaffNotify reports whether a user receives staff notifications.
func (s *Store) StaffNotify(ctx context.Context, userID int64) (bool, error) {
	var on bool
	if err := s.db.QueryRowContext(ctx, "SELECT notify_mail FROM users WHERE id = ?", userID).Scan(&on); err != nil {
		return false, fmt.Errorf("store: staff notify of user %d: %w", userID, notFound(err))
	}
	return on, nil
}

// SetStaffNotify turns a user's staff notifications on or off (their
// account page).
func (s *Store) SetStaffNotify(ctx context.Context, userID int64, on bool) error {
	if err := mustAffect(s.wdb.ExecContext(ctx, "UPDATE users SET notify_mail = ? WHERE id = ?", on, userID)); err != nil {
		return fmt.Errorf("store: set staff notify of user %d: %w", userID, err)
	}
	return nil
}
