package store

import (
	"context"
	"fmt"
)

// AddSetting creates a setting only if it does not exist yet and reports
// whether it did. Instances starting together use it to agree on one value
// made once (the first writer wins; the others read that value back).
func (s *Store) AddSetting(ctx context.Context, key, value string) (bool, error) {
	var k checker
	k.require("key", key)
	k.text("key", key, maxShort)
	k.long("value", value)
	if err := k.err(); err != nil {
		return false, fmt.Errorf("store: add setting: %w", err)
	}
	_, err := s.wdb.ExecContext(ctx, "INSERT INTO settings (setting_key, value, updated_at) VALUES (?, ?, ?)", key, value, dbTime(now()))
	if s.d.isUniqueViolation(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: add setting %q: %w", key, err)
	}
	return true, nil
}
