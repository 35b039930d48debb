package secrets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// seedStore seals n values into every sealed column and returns the plaintexts.
func seedStore(t *testing.T, f *FieldCipher, st *memStore, n int) map[Column]map[int64]string {
	t.Helper()
	want := map[Column]map[int64]string{}
	for _, col := range testColumns {
		want[col] = map[int64]string{}
		for id := int64(1); id <= int64(n); id++ {
			v := fmt.Sprintf("%s.%s #%d (fictional)", col.Table, col.Column, id)
			s, err := f.Seal(context.Background(), []byte(v), col.Table, col.Column, id)
			if err != nil {
				t.Fatal(err)
			}
			st.put(col, id, s)
			want[col][id] = v
		}
	}
	return want
}

// checkAll opens every seeded value with f.
func checkAll(t *testing.T, f *FieldCipher, st *memStore, want map[Column]map[int64]string) {
	t.Helper()
	for col, rows := range want {
		for id, v := range rows {
			got, err := f.Open(context.Background(), st.get(col, id), col.Table, col.Column, id)
			if err != nil || string(got) != v {
				t.Fatalf("%v row %d: %q, %v", col, id, got, err)
			}
		}
	}
}

// keyIDsIn returns how many stored values use each key id.
func keyIDsIn(st *memStore) map[string]int {
	st.mu.Lock()
	defer st.mu.Unlock()
	out := map[string]int{}
	for _, rows := range st.rows {
		for _, v := range rows {
			e, err := parseEnvelope(v)
			if err != nil {
				out["malformed"]++
				continue
			}
			out[e.keyID.String()]++
		}
	}
	return out
}

// TestRotateKMSAliasToNewKey: the production rotation — point the alias at a
// new KMS key, rotate, retire the old key.
func TestRotateKMSAliasToNewKey(t *testing.T) {
	ctx := context.Background()
	l := startFakeKMS(t)
	keyA := l.createKey(t)
	l.createAlias(t, "alias/lostinnl", keyA)
	kA := openTestKMSKeeper(t, l.keeperURL("alias/lostinnl"))
	fA := NewFieldCipher(kA, nil)
	st := newMemStore()
	const n = 7
	want := seedStore(t, fA, st, n)
	total := n * len(testColumns)

	keyB := l.createKey(t)
	l.updateAlias(t, "alias/lostinnl", keyB)

	// A keeper opened before the move labels new values with the key that
	// really wrapped them, and notices the move.
	late, err := fA.Seal(ctx, []byte("sealed after the alias moved"), "tips", "email", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := parseEnvelope(late); e.keyID != kmsKeyID(keyB) {
		t.Fatal("value sealed after the alias moved is labelled with the old key")
	}
	if kA.KeyID() != kmsKeyID(keyB).String() {
		t.Fatal("running keeper did not notice the alias move")
	}
	st.put(Column{"tips", "email"}, 1000, late)
	want[Column{"tips", "email"}][1000] = "sealed after the alias moved"

	// A keeper opened after the alias moved (as `lostinnl secret rotate` is).
	kB := openTestKMSKeeper(t, l.keeperURL("alias/lostinnl"))
	fB := NewFieldCipher(kB, nil)
	if kB.KeyID() != kmsKeyID(keyB).String() {
		t.Fatal("keeper does not report the new key after the alias moved")
	}
	var batches int
	c, err := Rotate(ctx, st, fB, 3, func(RotateCounts) { batches++ })
	if err != nil {
		t.Fatalf("rotate: %v", err)
	}
	if c != (RotateCounts{Scanned: total + 1, Rewrapped: total, AlreadyCurrent: 1}) {
		t.Fatalf("counts = %+v, want %d rewrapped and 1 current", c, total)
	}
	if batches != len(testColumns)*3 { // 7 (or 8) rows in batches of 3: 3 batches per column
		t.Fatalf("progress called %d times", batches)
	}
	if ids := keyIDsIn(st); ids[kmsKeyID(keyB).String()] != total+1 {
		t.Fatalf("key ids after rotation: %v", ids)
	}
	// The old key can now be disabled: nothing depends on it.
	l.disableKey(t, keyA)
	checkAll(t, fB, st, want)

	// A second run finds everything current and calls KMS only once (the probe).
	enc, dec := l.count("Encrypt"), l.count("Decrypt")
	c, err = Rotate(ctx, st, fB, 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c != (RotateCounts{Scanned: total + 1, AlreadyCurrent: total + 1}) {
		t.Fatalf("second run counts = %+v", c)
	}
	if e, d := l.count("Encrypt")-enc, l.count("Decrypt")-dec; e != 1 || d != 0 {
		t.Fatalf("second run made %d Encrypt and %d Decrypt calls, want 1 and 0", e, d)
	}
}

// TestRotateResumesAfterInterruption cancels a rotation part-way and runs it
// again; every value stays readable throughout.
func TestRotateResumesAfterInterruption(t *testing.T) {
	ctx := context.Background()
	kOld := openTestKMSKeeper(t, base64KeySpec(1))
	st := newMemStore()
	const n = 30
	want := seedStore(t, NewFieldCipher(kOld, nil), st, n)
	total := n * len(testColumns)

	// New key encrypts; the old one is still there to decrypt.
	k := openTestKMSKeeper(t, base64KeySpec(2)+" "+base64KeySpec(1))
	f := NewFieldCipher(k, nil)

	cctx, cancel := context.WithCancel(ctx)
	c1, err := Rotate(cctx, st, f, 10, func(c RotateCounts) {
		if c.Rewrapped >= 40 { // one batch into the second column
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted rotate: err = %v", err)
	}
	if c1.Rewrapped != 40 || st.replaces != 40 {
		t.Fatalf("first run: %+v, %d replaces", c1, st.replaces)
	}
	checkAll(t, f, st, want) // half old, half new: all readable

	c2, err := Rotate(ctx, st, f, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c2 != (RotateCounts{Scanned: total, Rewrapped: total - 40, AlreadyCurrent: 40}) {
		t.Fatalf("resumed run counts = %+v", c2)
	}
	// The old key is no longer needed.
	checkAll(t, openTestFieldCipher(t, base64KeySpec(2)), st, want)
}

func openTestFieldCipher(t *testing.T, spec string) *FieldCipher {
	return NewFieldCipher(openTestKMSKeeper(t, spec), nil)
}

// TestRotateFromLocalKeyFileToKMS is the migration from a default install to
// production KMS: LOSTINNL_SECRETS_KEEPER="awskms://... keyfile:///..." then rotate.
func TestRotateFromLocalKeyFileToKMS(t *testing.T) {
	ctx := context.Background()
	local, dir := openLocalKeeper(t)
	st := newMemStore()
	want := seedStore(t, NewFieldCipher(local, nil), st, 3)

	l := startFakeKMS(t)
	l.createAlias(t, "alias/prod", l.createKey(t))
	k := openTestKMSKeeper(t, l.keeperURL("alias/prod")+" keyfile://"+filepath.Join(dir, KeyFileName))
	c, err := Rotate(ctx, st, NewFieldCipher(k, nil), 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Rewrapped != 3*len(testColumns) || c.Unreadable != 0 {
		t.Fatalf("counts = %+v", c)
	}
	if err := os.Remove(filepath.Join(dir, KeyFileName)); err != nil {
		t.Fatal(err)
	}
	checkAll(t, NewFieldCipher(openTestKMSKeeper(t, l.keeperURL("alias/prod")), nil), st, want)
}

func TestRotateCountsUnreadableAndLeavesThemAlone(t *testing.T) {
	ctx := context.Background()
	kOld := openTestKMSKeeper(t, base64KeySpec(1))
	fOld := NewFieldCipher(kOld, nil)
	st := newMemStore()
	col := Column{"tips", "name"}
	good, _ := fOld.Seal(ctx, []byte("good"), col.Table, col.Column, 1)
	moved, _ := fOld.Seal(ctx, []byte("moved"), col.Table, col.Column, 99) // sealed for row 99, stored on row 2
	foreign, _ := NewFieldCipher(openTestKMSKeeper(t, base64KeySpec(5)), nil).Seal(ctx, []byte("x"), col.Table, col.Column, 3)
	st.put(col, 1, good)
	st.put(col, 2, moved)
	st.put(col, 3, foreign)
	st.put(col, 4, []byte("garbage"))

	f := NewFieldCipher(openTestKMSKeeper(t, base64KeySpec(2)+" "+base64KeySpec(1)), nil)
	c, err := Rotate(ctx, st, f, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c != (RotateCounts{Scanned: 4, Rewrapped: 1, Unreadable: 3}) {
		t.Fatalf("counts = %+v", c)
	}
	for id, v := range map[int64][]byte{2: moved, 3: foreign, 4: []byte("garbage")} {
		if !bytes.Equal(st.get(col, id), v) {
			t.Fatalf("unreadable row %d was modified", id)
		}
	}
}

// TestRotateWithConcurrentWrites: the application rewrites rows while the
// rotation runs; compare-and-swap keeps the application's values.
func TestRotateWithConcurrentWrites(t *testing.T) {
	ctx := context.Background()
	kOld := openTestKMSKeeper(t, base64KeySpec(1))
	st := newMemStore()
	seedStore(t, NewFieldCipher(kOld, nil), st, 4)
	k := openTestKMSKeeper(t, base64KeySpec(2)+" "+base64KeySpec(1))
	f := NewFieldCipher(k, nil)

	col := Column{"cases", "reporter_email"}
	appValue, err := f.Seal(ctx, []byte("new@example.org"), col.Table, col.Column, 2)
	if err != nil {
		t.Fatal(err)
	}
	oldWriter, err := NewFieldCipher(kOld, nil).Seal(ctx, []byte("old-instance@example.org"), col.Table, col.Column, 3)
	if err != nil {
		t.Fatal(err)
	}
	fired := map[int64]bool{}
	st.beforeReplace = func(c Column, id int64) {
		if c != col || fired[id] {
			return
		}
		fired[id] = true
		switch id {
		case 2: // the application saves a new value sealed under the new key
			st.put(col, 2, appValue)
		case 3: // an instance still on the old key saves a new value
			st.put(col, 3, oldWriter)
		case 4: // the application clears the field
			st.put(col, 4, nil)
		}
	}
	c, err := Rotate(ctx, st, f, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	total := 4 * len(testColumns)
	if c != (RotateCounts{Scanned: total, Rewrapped: total - 2, AlreadyCurrent: 1, Changed: 1}) {
		t.Fatalf("counts = %+v", c)
	}
	if !bytes.Equal(st.get(col, 2), appValue) {
		t.Fatal("rotation overwrote the application's new value")
	}
	if got, err := f.Open(ctx, st.get(col, 3), col.Table, col.Column, 3); err != nil || string(got) != "old-instance@example.org" {
		t.Fatalf("row written under the old key mid-rotation: %q %v", got, err)
	}
	if e, _ := parseEnvelope(st.get(col, 3)); e.keyID.String() != k.KeyID() {
		t.Fatal("row written under the old key mid-rotation was not re-wrapped")
	}
	if st.get(col, 4) != nil {
		t.Fatal("cleared field came back")
	}
}

// failingStore makes the store fail, to check errors stop the run.
type failingStore struct{ *memStore }

func (failingStore) ReplaceSealed(context.Context, string, string, int64, []byte, []byte) (bool, error) {
	return false, errors.New("database is locked")
}

func TestRotateStopsOnStoreError(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	seedStore(t, openTestFieldCipher(t, base64KeySpec(1)), st, 1)
	f := openTestFieldCipher(t, base64KeySpec(2)+" "+base64KeySpec(1))
	_, err := Rotate(ctx, failingStore{st}, f, 10, nil)
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("database is locked")) {
		t.Fatalf("err = %v", err)
	}
}

// TestRotateKMSFailures: a KMS outage stops the run with nothing changed; a
// retired (disabled) key makes its rows unreadable without stopping the run.
func TestRotateKMSFailures(t *testing.T) {
	ctx := context.Background()
	l := startFakeKMS(t)
	keyA := l.createKey(t)
	l.createAlias(t, "alias/lostinnl", keyA)
	fA := NewFieldCipher(openTestKMSKeeper(t, l.keeperURL("alias/lostinnl")), nil)
	st := newMemStore()
	want := seedStore(t, fA, st, 2)
	total := 2 * len(testColumns)
	l.updateAlias(t, "alias/lostinnl", l.createKey(t))
	f := NewFieldCipher(openTestKMSKeeper(t, l.keeperURL("alias/lostinnl")), nil)

	l.setFail("Decrypt")
	c, err := Rotate(ctx, st, f, 10, nil)
	if !errors.Is(err, errKMSUnavailable) {
		t.Fatalf("rotate during a KMS outage: err = %v", err)
	}
	if c.Rewrapped != 0 || c.Unreadable != 0 || st.replaces != 0 {
		t.Fatalf("outage run changed things: %+v, %d replaces", c, st.replaces)
	}
	l.setFail("")

	// Disabling the old key before rotating: its rows cannot be re-wrapped,
	// are counted, and the run goes on to the end.
	l.disableKey(t, keyA)
	c, err = Rotate(ctx, st, f, 10, nil)
	if err != nil {
		t.Fatalf("rotate with the old key disabled: %v", err)
	}
	if c != (RotateCounts{Scanned: total, Unreadable: total}) {
		t.Fatalf("counts = %+v", c)
	}
	// Re-enabling it (the documented way back) makes rotation succeed.
	l.enableKey(t, keyA)
	c, err = Rotate(ctx, st, f, 10, nil)
	if err != nil || c.Rewrapped != total {
		t.Fatalf("after re-enabling: %+v, %v", c, err)
	}
	checkAll(t, f, st, want)
}
