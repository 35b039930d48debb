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

// Seal encrypts plaintext for the field (table, column) of row rowID. Empty
// plaintext seals to nil, which the store keeps as NULL. Every call uses a
// fresh random data key, wrapped by the keeper (one keeper call per field).
func (f *FieldCipher) Seal(ctx context.Context, plaintext []byte, table, column string, rowID int64) ([]byte, error) {
	if len(plaintext) == 0 {
		return nil, nil
	}
	sealed, err := f.seal(ctx, plaintext, table, column, rowID)
	if err != nil {
		return nil, fmt.Errorf("seal %s.%s row %d: %w", table, column, rowID, err)
	}
	return sealed, nil
}

func (f *FieldCipher) seal(ctx context.Context, plaintext []byte, table, column string, rowID int64) ([]byte, error) {
	if len(plaintext) > MaxFieldSize {
		return nil, fmt.Errorf("value is %d bytes; the limit is %d", len(plaintext), MaxFieldSize)
	}
	ad, err := associatedData(table, column, rowID)
	if err != nil {
		return nil, err
	}
	dk := make([]byte, dataKeySize)
	defer clear(dk)
	if _, err := rand.Read(dk); err != nil {
		return nil, fmt.Errorf("random data key: %w", err)
	}
	wrapped, id, err := f.keeper.wrap(ctx, dk)
	if err != nil {
		return nil, err
	}
	if len(wrapped) > maxWrappedSize {
		return nil, fmt.Errorf("keeper produced a %d-byte wrapped key; the format allows %d", len(wrapped), maxWrappedSize)
	}
	gcm, err := newGCM(dk)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, nonceSize)
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("random nonce: %w", err)
	}
	return envelope{
		keyID:      id,
		wrapped:    wrapped,
		nonce:      nonce,
		ciphertext: gcm.Seal(nil, nonce, plaintext, ad),
	}.marshal(), nil
}

// Open decrypts a value sealed for the same (table, column, rowID). A nil
// value (SQL NULL) opens to nil with no error; a non-nil empty value is
// malformed. Errors wrap ErrMalformed, ErrUnknownKey, ErrAuthFailed or
// ErrDecrypt and never contain the value.
func (f *FieldCipher) Open(ctx context.Context, sealed []byte, table, column string, rowID int64) ([]byte, error) {
	if sealed == nil {
		return nil, nil
	}
	pt, err := f.open(ctx, sealed, table, column, rowID)
	if err != nil {
		return nil, fmt.Errorf("open %s.%s row %d: %w", table, column, rowID, err)
	}
	return pt, nil
}

func (f *FieldCipher) open(ctx context.Context, sealed []byte, table, column string, rowID int64) ([]byte, error) {
	e, err := parseEnvelope(sealed)
	if err != nil {
		return nil, err
	}
	ad, err := associatedData(table, column, rowID)
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
	pt, err := f.Open(ctx, sealed, table, column, rowID)
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
