package store

import (
	"context"
	"database/sql"
	"fmt"
)

// GetSetting returns a setting's value, or ErrNotFound.
func (s *Store) GetSetting(ctx context.Context, key string) (string, error) {
	var v string
	if err := s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE setting_key = ?", key).Scan(&v); err != nil {
		return "", fmt.Errorf("store: get setting %q: %w", key, notFound(err))
	}
	return v, nil
}

// SetSetting creates or replaces a setting. It does not bump the content
// revision: the settings (today only the admin require-2FA flag) are not
// shown on public pages. A setting that ever is must bump (bumpContent).
func (s *Store) SetSetting(ctx context.Context, key, value string, audit *AuditEntry) error {
	var k checker
	k.require("key", key)
	k.text("key", key, maxShort)
	k.long("value", value)
	if err := k.err(); err != nil {
		return fmt.Errorf("store: set setting: %w", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		q := s.d.upsert("settings", []string{"setting_key", "value", "updated_at"}, []string{"setting_key"})
		if _, err := tx.ExecContext(ctx, q, key, value, dbTime(now())); err != nil {
			return err
		}
		return insertAudit(ctx, tx, audit, "setting:"+key)
	})
	if err != nil {
		return fmt.Errorf("store: set setting %q: %w", key, err)
	}
	return nil
}
