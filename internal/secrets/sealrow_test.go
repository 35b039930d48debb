package secrets

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
)

// testColumns are the columns memStore reports as sealed, shaped like the
// real list (store.SealedColumns); the store's own tests check rotation
// against that one.
var testColumns = []Column{
	{"cases", "reporter_name"},
	{"cases", "reporter_phone"},
	{"cases", "reporter_email"},
	{"cases", "reporter_relationship"},
	{"tips", "name"},
	{"tips", "phone"},
	{"tips", "email"},
	{"users", "totp_secret"},
}

func (m *memStore) SealedColumns() []Column { return slices.Clone(testColumns) }

// setToken gives row id of table a seal token (values sealed with SealRow
// and that token then open on it).
func (m *memStore) setToken(table string, id int64, token []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tokens == nil {
		m.tokens = map[string]map[int64][]byte{}
	}
	if m.tokens[table] == nil {
		m.tokens[table] = map[int64][]byte{}
	}
	m.tokens[table][id] = slices.Clone(token)
}

var (
	rowCols   = []string{"name", "phone", "email"}
	rowValues = [][]byte{[]byte("Fictional Tipster"), nil, []byte("tipster@example.test")}
	rowToken  = bytes.Repeat([]byte{0x5a}, 16)
)

// countingWrapper counts the keeper's wrap calls (each one a KMS Encrypt
// round trip with the awskms keeper).
type countingWrapper struct {
	wrapper
	wraps atomic.Int32
}

func (c *countingWrapper) wrap(ctx context.Context, pt []byte) ([]byte, keyID, error) {
	c.wraps.Add(1)
	return c.wrapper.wrap(ctx, pt)
}

// TestSealRowOneKeeperCallPerRow: a row's fields share one data key, so the
// keeper is asked once per row (not once per field), and not at all for a
// row with nothing to seal.
func TestSealRowOneKeeperCallPerRow(t *testing.T) {
	ctx := context.Background()
	k := openTestKMSKeeper(t, base64KeySpec(9))
	cw := &countingWrapper{wrapper: k.wrappers[0]}
	k.wrappers[0] = cw
	f := NewFieldCipher(k, nil)

	out, err := f.SealRow(ctx, "tips", 0, rowToken, rowCols, rowValues)
	if err != nil {
		t.Fatal(err)
	}
	if n := cw.wraps.Load(); n != 1 {
		t.Fatalf("sealing a row of 2 values made %d keeper calls, want 1", n)
	}
	if out[1] != nil {
		t.Fatalf("empty value sealed to %x, want nil (NULL)", out[1])
	}
	for _, i := range []int{0, 2} {
		if out[i][0] != formatV2 {
			t.Fatalf("%s: format %d, want 2 (token-bound)", rowCols[i], out[i][0])
		}
		got, err := f.OpenRow(ctx, out[i], "tips", rowCols[i], 77, rowToken)
		if err != nil || !bytes.Equal(got, rowValues[i]) {
			t.Fatalf("%s: %q %v", rowCols[i], got, err)
		}
	}

	cw.wraps.Store(0)
	empty, err := f.SealRow(ctx, "tips", 0, rowToken, rowCols, [][]byte{nil, nil, nil})
	if err != nil || empty[0] != nil || empty[1] != nil || empty[2] != nil {
		t.Fatalf("empty row: %x %v", empty, err)
	}
	if n := cw.wraps.Load(); n != 0 {
		t.Fatalf("a row with nothing to seal made %d keeper calls", n)
	}
}

// TestSealRowBinding: a token-bound value opens only with its row's token
// and its own table and column, whatever row id is given; a row-id-bound
// (version 1) value still needs its row id; and changing a value's version
// byte does not switch it to the other binding.
func TestSealRowBinding(t *testing.T) {
	ctx := context.Background()
	f := NewFieldCipher(openTestKMSKeeper(t, base64KeySpec(7)), nil)
	out, err := f.SealRow(ctx, "tips", 0, rowToken, rowCols, rowValues)
	if err != nil {
		t.Fatal(err)
	}
	name := out[0]
	other := bytes.Repeat([]byte{0x5b}, 16)
	for _, c := range []struct {
		what          string
		table, column string
		token         []byte
	}{
		{"another row's token", "tips", "name", other},
		{"no token", "tips", "name", nil},
		{"another column", "tips", "email", rowToken},
		{"another table", "cases", "name", rowToken},
	} {
		if _, err := f.OpenRow(ctx, name, c.table, c.column, 1, c.token); err == nil {
			t.Errorf("%s: opened", c.what)
		}
	}
	// Downgrade to version 1: the associated data differs, so GCM refuses.
	v1 := bytes.Clone(name)
	v1[0] = formatV1
	if _, err := f.OpenRow(ctx, v1, "tips", "name", 1, rowToken); !errors.Is(err, ErrAuthFailed) {
		t.Fatalf("version byte changed to 1: err = %v", err)
	}

	old, err := f.Seal(ctx, []byte("Legacy Reporter"), "cases", "reporter_name", 9)
	if err != nil {
		t.Fatal(err)
	}
	// A row that got a token keeps opening its older, id-bound values.
	if got, err := f.OpenRow(ctx, old, "cases", "reporter_name", 9, rowToken); err != nil || string(got) != "Legacy Reporter" {
		t.Fatalf("v1 value on a row with a token: %q %v", got, err)
	}
	if _, err := f.OpenRow(ctx, old, "cases", "reporter_name", 10, rowToken); !errors.Is(err, ErrAuthFailed) {
		t.Fatalf("v1 value on another row id: err = %v", err)
	}
	v2 := bytes.Clone(old)
	v2[0] = formatV2
	if _, err := f.OpenRow(ctx, v2, "cases", "reporter_name", 9, rowToken); !errors.Is(err, ErrAuthFailed) {
		t.Fatalf("version byte changed to 2: err = %v", err)
	}

	if _, err := f.SealRow(ctx, "tips", 0, nil, rowCols, rowValues); err == nil {
		t.Fatal("sealing with neither a row id nor a token succeeded")
	}
	if _, err := f.SealRow(ctx, "tips", 0, bytes.Repeat([]byte{1}, maxTokenSize+1), rowCols, rowValues); err == nil {
		t.Fatal("oversized token accepted")
	}
}

// TestRotateTokenBoundAndLegacyRows: rotation re-wraps values bound to a
// row id and values bound to a token alike, keeping each one's binding.
func TestRotateTokenBoundAndLegacyRows(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	fOld := NewFieldCipher(openTestKMSKeeper(t, base64KeySpec(1)), nil)
	type stored struct {
		col   Column
		id    int64
		token []byte
		want  string
	}
	var all []stored
	for _, col := range testColumns {
		// Row 1: an old row (no token), value bound to its id.
		v, err := fOld.Seal(ctx, []byte("legacy "+col.Column), col.Table, col.Column, 1)
		if err != nil {
			t.Fatal(err)
		}
		st.put(col, 1, v)
		all = append(all, stored{col, 1, nil, "legacy " + col.Column})
		// Row 2: a new row, value bound to its token.
		tok := []byte("token-of-row-2-" + col.Table)
		st.setToken(col.Table, 2, tok)
		out, err := fOld.SealRow(ctx, col.Table, 0, tok, []string{col.Column}, [][]byte{[]byte("new " + col.Column)})
		if err != nil {
			t.Fatal(err)
		}
		st.put(col, 2, out[0])
		all = append(all, stored{col, 2, tok, "new " + col.Column})
	}
	fNew := NewFieldCipher(openTestKMSKeeper(t, base64KeySpec(2)+" "+base64KeySpec(1)), nil)
	c, err := Rotate(ctx, st, fNew, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Rewrapped != len(all) || c.Unreadable != 0 {
		t.Fatalf("counts %+v, want %d re-wrapped", c, len(all))
	}
	fOnlyNew := NewFieldCipher(openTestKMSKeeper(t, base64KeySpec(2)), nil)
	for _, s := range all {
		got, err := fOnlyNew.OpenRow(ctx, st.get(s.col, s.id), s.col.Table, s.col.Column, s.id, s.token)
		if err != nil || string(got) != s.want {
			t.Fatalf("%v row %d after rotation: %q %v", s.col, s.id, got, err)
		}
	}
}
