package secrets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
)

// SealedValue is one stored sealed value with its row's seal token (nil
// for a row without one).
type SealedValue struct {
	ID    int64
	Token []byte
	Value []byte
}

// SealedRow is any struct type shaped like SealedValue — in particular
// store.SealedValue — so that a store satisfies SealedStore with its own row
// type and this package need not import the store.
type SealedRow interface {
	~struct {
		ID    int64
		Token []byte
		Value []byte
	}
}

// SealedStore is the part of the store that rotation needs; *store.Store
// satisfies SealedStore[store.SealedValue], and Rotate infers the row type
// from the store passed to it.
type SealedStore[V SealedRow] interface {
	// SealedColumns lists every sealed column, in the order Rotate visits
	// them. The store owns the list (it is the one that writes them), so
	// rotation cannot miss a column the store seals.
	SealedColumns() []Column
	// ListSealed returns up to limit non-NULL values of table.column with
	// id > afterID, in ascending id order, each with its row's seal token.
	ListSealed(ctx context.Context, table, column string, afterID int64, limit int) ([]V, error)
	// ReplaceSealed sets table.column of row id to new only if it still
	// holds old (compare-and-swap) and reports whether it did.
	ReplaceSealed(ctx context.Context, table, column string, id int64, old, new []byte) (bool, error)
}

// Column names one sealed column. It is an alias of an unnamed struct type
// so that store.SealedColumn, the same alias there, is the identical type
// and the store needs no import of this package.
type Column = struct{ Table, Column string }

// RotateCounts reports what a rotation did. Scanned = Rewrapped +
// AlreadyCurrent + Unreadable + Changed.
type RotateCounts struct {
	Scanned        int // sealed values looked at
	Rewrapped      int // data key re-wrapped under the current key and written back
	AlreadyCurrent int // already under the current key; untouched
	Unreadable     int // malformed, unknown key, or failing authentication; untouched
	Changed        int // rewritten by the application during the rotation and no longer readable by id; left for the next run
}

// String is the one-line summary `lostinnl secret rotate` prints.
func (c RotateCounts) String() string {
	return fmt.Sprintf("scanned %d, re-wrapped %d, already current %d, unreadable %d, changed during the run %d",
		c.Scanned, c.Rewrapped, c.AlreadyCurrent, c.Unreadable, c.Changed)
}

// maxCASRetries bounds how often one row is re-read after losing a
// compare-and-swap to a concurrent write.
const maxCASRetries = 3

// Rotate re-wraps the data key of every sealed value that is not under the
// keeper's current key, batch rows at a time (batch <= 0 means 100).
//
// It is safe while the application serves: each row is replaced with a
// compare-and-swap, and a row written meanwhile is re-read and judged again
// (the application seals new values under the current key, so it is then
// normally already current). It is resumable: an interrupted run leaves every
// row either old or re-wrapped, both readable, and a new run skips what is
// already current without calling the keeper. Only the wrapped data key and
// key id change; the nonce and ciphertext are kept, after checking that the
// value authenticates for its row (a value that does not is counted as
// unreadable and left alone rather than given a fresh wrap).
//
// progress, if not nil, is called after each batch with the running totals.
func Rotate[V SealedRow](ctx context.Context, st SealedStore[V], f *FieldCipher, batch int, progress func(RotateCounts)) (RotateCounts, error) {
	var c RotateCounts
	if batch <= 0 {
		batch = 100
	}
	current, err := f.keeper.refresh(ctx)
	if err != nil {
		return c, fmt.Errorf("rotate: %w", err)
	}
	for _, col := range st.SealedColumns() {
		var after int64
		for {
			rows, err := st.ListSealed(ctx, col.Table, col.Column, after, batch)
			if err != nil {
				return c, fmt.Errorf("rotate %s.%s: list after id %d: %w", col.Table, col.Column, after, err)
			}
			if len(rows) == 0 {
				// Not "fewer than batch": a store may cap the page size.
				break
			}
			for _, v := range rows {
				row := SealedValue(v)
				if row.ID <= after {
					return c, fmt.Errorf("rotate %s.%s: store returned id %d after id %d (ids must ascend)", col.Table, col.Column, row.ID, after)
				}
				if err := rotateRow(ctx, st, f, col, row, &current, &c); err != nil {
					return c, fmt.Errorf("rotate %s.%s row %d: %w", col.Table, col.Column, row.ID, err)
				}
				after = row.ID
			}
			if progress != nil {
				progress(c)
			}
		}
	}
	return c, nil
}

// rotateRow handles one row, re-reading it after a lost compare-and-swap.
func rotateRow[V SealedRow](ctx context.Context, st SealedStore[V], f *FieldCipher, col Column, row SealedValue, current *keyID, c *RotateCounts) error {
	c.Scanned++
	value := row.Value
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		next, status, err := f.rewrap(ctx, value, col, row.ID, row.Token, current)
		if err != nil {
			return err
		}
		switch status {
		case rowCurrent:
			c.AlreadyCurrent++
			return nil
		case rowUnreadable:
			c.Unreadable++
			return nil
		}
		ok, err := st.ReplaceSealed(ctx, col.Table, col.Column, row.ID, value, next)
		if err != nil {
			return fmt.Errorf("replace: %w", err)
		}
		if ok {
			c.Rewrapped++
			return nil
		}
		// Lost the race to a concurrent write: read the row again.
		if attempt+1 >= maxCASRetries {
			c.Changed++
			return nil
		}
		again, err := st.ListSealed(ctx, col.Table, col.Column, row.ID-1, 1)
		if err != nil {
			return fmt.Errorf("re-read: %w", err)
		}
		if len(again) == 0 || SealedValue(again[0]).ID != row.ID {
			c.Changed++ // cleared or deleted meanwhile: nothing left to rotate
			return nil
		}
		value, row.Token = SealedValue(again[0]).Value, SealedValue(again[0]).Token
	}
}

type rowStatus int

const (
	rowNeedsWrite rowStatus = iota
	rowCurrent
	rowUnreadable
)

// rewrap returns the value with its data key wrapped under the current key.
// Failures that are not about this value (context ended, KMS unreachable or
// throttling) are returned and stop the run; a value that cannot be read
// for reasons of its own (damaged, moved, key unknown, disabled or denied)
// is marked unreadable and left alone.
//
// The value's format version (kept as it is) says whether it is bound to
// the row id or to the row's seal token, so both kinds re-wrap.
func (f *FieldCipher) rewrap(ctx context.Context, value []byte, col Column, rowID int64, token []byte, current *keyID) ([]byte, rowStatus, error) {
	e, err := parseEnvelope(value)
	if err != nil {
		return nil, rowUnreadable, nil
	}
	if e.keyID == *current {
		return nil, rowCurrent, nil
	}
	ad, err := binding(e.version, col.Table, col.Column, rowID, token)
	if err != nil {
		return nil, rowUnreadable, nil
	}
	dk, err := f.keeper.unwrapFor(ctx, e.keyID, e.wrapped)
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		if errors.Is(err, errKMSUnavailable) ||
			(!errors.Is(err, ErrDecrypt) && !errors.Is(err, ErrUnknownKey) && !errors.Is(err, ErrAuthFailed)) {
			return nil, 0, err // not about this row: stop, re-run later
		}
		return nil, rowUnreadable, nil
	}
	defer clear(dk)
	gcm, err := newGCM(dk)
	if err != nil {
		return nil, rowUnreadable, nil
	}
	pt, err := gcm.Open(nil, e.nonce, e.ciphertext, ad)
	if err != nil {
		return nil, rowUnreadable, nil
	}
	clear(pt)
	wrapped, id, err := f.keeper.wrap(ctx, dk)
	if err != nil {
		return nil, 0, err // cannot write under the current key: stop, nothing is lost
	}
	if id != *current {
		// The alias moved during the run; follow it.
		*current = id
	}
	if bytes.Equal(wrapped, e.wrapped) {
		return nil, rowCurrent, nil
	}
	e.keyID = id
	e.wrapped = wrapped
	return e.marshal(), rowNeedsWrite, nil
}
