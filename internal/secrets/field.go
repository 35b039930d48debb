package secrets

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"sync"
)

// Unreadable is what views show for a sealed value that cannot be opened.
const Unreadable = "[unreadable]"

// maxReported bounds the memory used to log each unreadable field once; past
// it the set starts again (a field may then be logged a second time, which is
// better than growing without limit).
const maxReported = 10000

// FieldCipher seals and opens personal-data fields with envelope encryption
// (format in the package comment). It satisfies store.FieldCipher and is safe
// for concurrent use.
type FieldCipher struct {
	keeper *Keeper
	logger *slog.Logger

	mu       sync.Mutex
	reported map[fieldRef]struct{}
}

type fieldRef struct {
	table, column string
	row           int64
}

// NewFieldCipher returns a FieldCipher over k. logger receives one line per
// unreadable field (never its value); nil discards.
func NewFieldCipher(k *Keeper, logger *slog.Logger) *FieldCipher {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &FieldCipher{keeper: k, logger: logger, reported: map[fieldRef]struct{}{}}
}

// Keeper returns the keeper the cipher wraps data keys with.
func (f *FieldCipher) Keeper() *Keeper { return f.keeper }

// Seal encrypts plaintext for the field (table, column) of row rowID
// (format version 1, bound to the row id). Empty plaintext seals to nil,
// which the store keeps as NULL. It is SealRow for a single field.
func (f *FieldCipher) Seal(ctx context.Context, plaintext []byte, table, column string, rowID int64) ([]byte, error) {
	out, err := f.SealRow(ctx, table, rowID, nil, []string{column}, [][]byte{plaintext})
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// SealRow seals the values of one row's sealed columns (values[i] goes to
// columns[i]) under ONE fresh random data key, so the keeper is called once
// per row, not once per field, and not at all when every value is empty.
// Each non-empty value becomes a self-contained envelope carrying its own
// copy of the wrapped key, so rotation still works column by column; empty
// values seal to nil (NULL).
//
// With a non-empty token the values are bound to (table, column, token)
// (format version 2): the store draws the token at random and keeps it in
// the row, so it can seal before the row exists — outside its write
// transaction — and the value still fails to open on any other row. With
// no token they are bound to (table, column, rowID) (format version 1, the
// binding of values sealed before seal tokens existed, still used for rows
// that have none).
func (f *FieldCipher) SealRow(ctx context.Context, table string, rowID int64, token []byte, columns []string, values [][]byte) ([][]byte, error) {
	if len(columns) != len(values) {
		return nil, fmt.Errorf("seal %s: %d columns but %d values", table, len(columns), len(values))
	}
	version := byte(formatV1)
	if len(token) > 0 {
		version = formatV2
	}
	ads := make([][]byte, len(values))
	some := false
	for i, v := range values {
		if len(v) == 0 {
			continue
		}
		if len(v) > MaxFieldSize {
			return nil, fmt.Errorf("seal %s.%s row %d: value is %d bytes; the limit is %d", table, columns[i], rowID, len(v), MaxFieldSize)
		}
		ad, err := binding(version, table, columns[i], rowID, token)
		if err != nil {
			return nil, fmt.Errorf("seal %s.%s row %d: %w", table, columns[i], rowID, err)
		}
		ads[i], some = ad, true
	}
	out := make([][]byte, len(values))
	if !some {
		return out, nil
	}
	dk := make([]byte, dataKeySize)
	defer clear(dk)
	if _, err := rand.Read(dk); err != nil {
		return nil, fmt.Errorf("seal %s row %d: random data key: %w", table, rowID, err)
	}
	wrapped, id, err := f.keeper.wrap(ctx, dk)
	if err != nil {
		return nil, fmt.Errorf("seal %s row %d: %w", table, rowID, err)
	}
	if len(wrapped) > maxWrappedSize {
		return nil, fmt.Errorf("seal %s row %d: keeper produced a %d-byte wrapped key; the format allows %d", table, rowID, len(wrapped), maxWrappedSize)
	}
	gcm, err := newGCM(dk)
	if err != nil {
		return nil, fmt.Errorf("seal %s row %d: %w", table, rowID, err)
	}
	for i, v := range values {
		if ads[i] == nil {
			continue
		}
		// A few fields per data key, each with its own random 96-bit
		// nonce: far below GCM's limits for random nonces.
		nonce := make([]byte, nonceSize)
		if _, err := rand.Read(nonce); err != nil {
			return nil, fmt.Errorf("seal %s row %d: random nonce: %w", table, rowID, err)
		}
		out[i] = envelope{
			version:    version,
			keyID:      id,
			wrapped:    wrapped,
			nonce:      nonce,
			ciphertext: gcm.Seal(nil, nonce, v, ads[i]),
		}.marshal()
	}
	return out, nil
}

// Open decrypts a value sealed for the same (table, column, rowID), for
// rows that have no seal token. See OpenRow.
func (f *FieldCipher) Open(ctx context.Context, sealed []byte, table, column string, rowID int64) ([]byte, error) {
	return f.OpenRow(ctx, sealed, table, column, rowID, nil)
}

// OpenRow decrypts a value of row rowID whose seal token is token (nil for
// a row without one). The value's format version says which of the two it
// was bound to, so a row's older values (bound to its id) and newer ones
// (bound to its token) both open. A nil value (SQL NULL) opens to nil with
// no error; a non-nil empty value is malformed. Errors wrap ErrMalformed,
// ErrUnknownKey, ErrAuthFailed or ErrDecrypt and never contain the value.
func (f *FieldCipher) OpenRow(ctx context.Context, sealed []byte, table, column string, rowID int64, token []byte) ([]byte, error) {
	if sealed == nil {
		return nil, nil
	}
	pt, err := f.open(ctx, sealed, table, column, rowID, token)
	if err != nil {
		return nil, fmt.Errorf("open %s.%s row %d: %w", table, column, rowID, err)
	}
	return pt, nil
}

func (f *FieldCipher) open(ctx context.Context, sealed []byte, table, column string, rowID int64, token []byte) ([]byte, error) {
	e, err := parseEnvelope(sealed)
	if err != nil {
		return nil, err
	}
	if e.version == formatV2 && len(token) == 0 {
		// Only a value copied from a row that has a token gets here.
		return nil, fmt.Errorf("%w: value is bound to a seal token and the row has none", ErrAuthFailed)
	}
	ad, err := binding(e.version, table, column, rowID, token)
	if err != nil {
		return nil, err
	}
	dk, err := f.keeper.unwrapFor(ctx, e.keyID, e.wrapped)
	if err != nil {
		return nil, err
	}
	defer clear(dk)
	gcm, err := newGCM(dk)
	if err != nil {
		return nil, err
	}
	pt, err := gcm.Open(nil, e.nonce, e.ciphertext, ad)
	if err != nil {
		// The message of cipher's error carries nothing useful; ours says
		// what the likely causes are.
		return nil, fmt.Errorf("%w: tampered, moved from another row or column, or wrapped under another key", ErrAuthFailed)
	}
	return pt, nil
}

// OpenOrUnreadable is Open for views: "" for a NULL value, the plaintext on
// success, and Unreadable when the value cannot be opened. The first failure
// for each (table, column, row) is logged with the reason, never the value;
// failures caused by the request's context ending are not logged, as they say
// nothing about the data.
func (f *FieldCipher) OpenOrUnreadable(ctx context.Context, sealed []byte, table, column string, rowID int64) string {
	return f.OpenRowOrUnreadable(ctx, sealed, table, column, rowID, nil)
}

// OpenRowOrUnreadable is OpenOrUnreadable for a row that may have a seal
// token (see OpenRow).
func (f *FieldCipher) OpenRowOrUnreadable(ctx context.Context, sealed []byte, table, column string, rowID int64, token []byte) string {
	pt, err := f.OpenRow(ctx, sealed, table, column, rowID, token)
	if err == nil {
		return string(pt)
	}
	if ctx.Err() == nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		f.reportOnce(ctx, fieldRef{table, column, rowID}, err)
	}
	return Unreadable
}

func (f *FieldCipher) reportOnce(ctx context.Context, ref fieldRef, err error) {
	f.mu.Lock()
	_, seen := f.reported[ref]
	if !seen {
		if len(f.reported) >= maxReported {
			f.reported = map[fieldRef]struct{}{}
		}
		f.reported[ref] = struct{}{}
	}
	f.mu.Unlock()
	if seen {
		return
	}
	f.logger.LogAttrs(ctx, slog.LevelError, "sealed field cannot be opened; shown as "+Unreadable,
		slog.String("table", ref.table),
		slog.String("column", ref.column),
		slog.Int64("row_id", ref.row),
		slog.String("error", err.Error()),
	)
}
