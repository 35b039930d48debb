package store

import (
	"context"
	"fmt"
)

// sealField is one plaintext value bound for a sealed column.
type sealField struct {
	column string
	value  string
}

// needCipher refuses to go on when a value would have to be sealed and no
// cipher is set: plaintext never reaches a sealed column.
func needCipher(c FieldCipher, fields []sealField) error {
	if c != nil {
		return nil
	}
	for _, f := range fields {
		if f.value != "" {
			return fmt.Errorf("%w: cannot store %s", ErrNoCipher, f.column)
		}
	}
	return nil
}

// sealFields seals each non-empty value bound to (table, column, id); empty
// values stay nil (NULL in the database).
func sealFields(ctx context.Context, c FieldCipher, table string, id int64, fields []sealField) ([]Sealed, error) {
	out := make([]Sealed, len(fields))
	for i, f := range fields {
		if f.value == "" {
			continue
		}
		b, err := c.Seal(ctx, []byte(f.value), table, f.column, id)
		if err != nil {
			return nil, fmt.Errorf("seal %s.%s: %w", table, f.column, err)
		}
		if len(b) == 0 {
			return nil, fmt.Errorf("seal %s.%s: cipher returned nothing", table, f.column)
		}
		out[i] = b
	}
	return out, nil
}

// sealedColumns is the whitelist for ListSealed/ReplaceSealed: table and
// column names go into SQL text, so only these exact names are accepted.
var sealedColumns = map[string][]string{
	"cases": {"reporter_name", "reporter_phone", "reporter_email", "reporter_relationship"},
	"tips":  {"name", "phone", "email"},
	"users": {"totp_secret"},
}

func checkSealed(table, column string) error {
	for _, c := range sealedColumns[table] {
		if c == column {
			return nil
		}
	}
	return fmt.Errorf("%w: %s.%s is not a sealed column", ErrInvalid, table, column)
}

// SealedValue is one stored sealed value, for key rotation.
type SealedValue struct {
	ID    int64
	Value []byte
}

// ListSealed returns non-NULL values of a sealed column with id > afterID,
// ascending by id, at most limit (default 500).
func (s *Store) ListSealed(ctx context.Context, table, column string, afterID int64, limit int) ([]SealedValue, error) {
	if err := checkSealed(table, column); err != nil {
		return nil, fmt.Errorf("store: list sealed: %w", err)
	}
	if limit < 1 || limit > 10000 {
		limit = 500
	}
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf("SELECT id, %s FROM %s WHERE id > ? AND %s IS NOT NULL ORDER BY id LIMIT ?", column, table, column), afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: list sealed %s.%s: %w", table, column, err)
	}
	defer rows.Close()
	var out []SealedValue
	for rows.Next() {
		var v SealedValue
		if err := rows.Scan(&v.ID, &v.Value); err != nil {
			return nil, fmt.Errorf("store: list sealed %s.%s: %w", table, column, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list sealed %s.%s: %w", table, column, err)
	}
	return out, nil
}

// ReplaceSealed swaps old for new in one row (compare-and-swap): false when
// the row no longer holds old (changed meanwhile, or gone). An empty new
// stores NULL.
func (s *Store) ReplaceSealed(ctx context.Context, table, column string, id int64, old, new []byte) (bool, error) {
	if err := checkSealed(table, column); err != nil {
		return false, fmt.Errorf("store: replace sealed: %w", err)
	}
	if len(old) == 0 {
		return false, fmt.Errorf("store: replace sealed: %w: empty old value", ErrInvalid)
	}
	res, err := s.wdb.ExecContext(ctx, fmt.Sprintf("UPDATE %s SET %s = ? WHERE id = ? AND %s = ?", table, column, column), nullBytes(new), id, old)
	if err != nil {
		return false, fmt.Errorf("store: replace sealed %s.%s: %w", table, column, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: replace sealed %s.%s: %w", table, column, err)
	}
	return n == 1, nil
}
