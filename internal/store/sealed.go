package store

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
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

// sealTokenSize is the size of a row's seal token: random, so unguessable
// and (with a unique index) never shared by two rows.
const sealTokenSize = 16

// newSealToken draws a seal token for a new row.
func newSealToken() ([]byte, error) {
	b := make([]byte, sealTokenSize)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("seal token: %w", err)
	}
	return b, nil
}

// sealRow seals a row's values with one keeper call, bound to token when
// the row has one and to id otherwise (rows older than seal tokens). It is
// called BEFORE the write transaction, never inside one: with AWS KMS each
// keeper call is a network round trip, and on SQLite the transaction would
// hold the only writer connection meanwhile. Empty values stay nil (NULL)
// and cost nothing; a row with nothing to seal calls no keeper.
func sealRow(ctx context.Context, c FieldCipher, table string, id int64, token []byte, fields []sealField) ([]Sealed, error) {
	cols := make([]string, len(fields))
	vals := make([][]byte, len(fields))
	some := false
	for i, f := range fields {
		cols[i] = f.column
		if f.value != "" {
			vals[i], some = []byte(f.value), true
		}
	}
	out := make([]Sealed, len(fields))
	if !some {
		return out, nil
	}
	if err := needCipher(c, fields); err != nil {
		return nil, err
	}
	sealed, err := c.SealRow(ctx, table, id, token, cols, vals)
	if err != nil {
		return nil, fmt.Errorf("seal %s: %w", table, err)
	}
	if len(sealed) != len(fields) {
		return nil, fmt.Errorf("seal %s: cipher returned %d values for %d fields", table, len(sealed), len(fields))
	}
	for i, f := range fields {
		if f.value != "" && len(sealed[i]) == 0 {
			return nil, fmt.Errorf("seal %s.%s: cipher returned nothing", table, f.column)
		}
		out[i] = sealed[i]
	}
	return out, nil
}

// SealedColumn names one sealed column. It is an alias of an unnamed struct
// type, identical to secrets.Column, so that *Store satisfies
// secrets.SealedStore without either package importing the other.
type SealedColumn = struct{ Table, Column string }

// sealedColumns is THE list of sealed columns: the store seals exactly
// these, ListSealed/ReplaceSealed accept only these (table and column names
// go into SQL text), and key rotation visits these (SealedColumns).
var sealedColumns = []SealedColumn{
	{"cases", "reporter_name"},
	{"cases", "reporter_phone"},
	{"cases", "reporter_email"},
	{"cases", "reporter_relationship"},
	{"tips", "name"},
	{"tips", "phone"},
	{"tips", "email"},
	{"users", "totp_secret"},
	{"outbox", "recipient"},
	{"subscriptions", "email"},
	{"case_notes", "message"},
	{"case_notes", "display_name"},
}

// tokenTables are the tables whose rows carry a seal token (migration 013,
// the mail tables of 014 and 015, and the public notes of 019).
// users has none: its one sealed column is only ever written on an
// existing row, whose id is known before the transaction.
var tokenTables = map[string]bool{"cases": true, "tips": true, "outbox": true, "subscriptions": true, "case_notes": true}

// SealedColumns lists every sealed column, in the order `lostinnl secret
// rotate` visits them.
func SealedColumns() []SealedColumn { return slices.Clone(sealedColumns) }

// SealedColumns is the package function, as a method so that *Store
// satisfies secrets.SealedStore.
func (s *Store) SealedColumns() []SealedColumn { return SealedColumns() }

func checkSealed(table, column string) error {
	if slices.Contains(sealedColumns, SealedColumn{table, column}) {
		return nil
	}
	return fmt.Errorf("%w: %s.%s is not a sealed column", ErrInvalid, table, column)
}

// SealedValue is one stored sealed value and its row's seal token (nil
// for a row without one), for key rotation.
type SealedValue struct {
	ID    int64
	Token []byte
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
	token := "NULL"
	if tokenTables[table] {
		token = "seal_token"
	}
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf("SELECT id, %s, %s FROM %s WHERE id > ? AND %s IS NOT NULL ORDER BY id LIMIT ?", token, column, table, column), afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: list sealed %s.%s: %w", table, column, err)
	}
	defer rows.Close()
	var out []SealedValue
	for rows.Next() {
		var v SealedValue
		if err := rows.Scan(&v.ID, &v.Token, &v.Value); err != nil {
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
