package secrets

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
)

// openTestKMSKeeper opens through the production URL path with explicit
// static credentials (no process environment involved).
func openTestKMSKeeper(t testing.TB, spec string) *Keeper {
	t.Helper()
	k, err := openKeeper(context.Background(), spec, "", openOptions{awsCredentials: testCreds})
	if err != nil {
		t.Fatalf("open keeper: %v", err)
	}
	t.Cleanup(func() { k.Close() })
	return k
}

// openLocalKeeper opens the default local keeper in a fresh data directory.
func openLocalKeeper(t testing.TB) (*Keeper, string) {
	t.Helper()
	dir := t.TempDir()
	k, err := OpenKeeper(context.Background(), "", dir)
	if err != nil {
		t.Fatalf("open local keeper: %v", err)
	}
	t.Cleanup(func() { k.Close() })
	return k, dir
}

func base64KeySpec(b byte) string {
	return "base64key://" + base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{b}, 32))
}

// assertNoSecret fails if err's text contains any secret (plaintext or key
// material), in raw, hex or base64 form, or any 12-byte window of it.
func assertNoSecret(t testing.TB, err error, secrets ...[]byte) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	for _, s := range secrets {
		if len(s) == 0 {
			continue
		}
		for _, f := range encodings(s) {
			if strings.Contains(msg, f) {
				t.Fatalf("error text contains secret material: %q", msg)
			}
		}
		const win = 12
		for i := 0; i+win <= len(s); i++ {
			w := s[i : i+win]
			if strings.Contains(msg, string(w)) || strings.Contains(msg, hex.EncodeToString(w)) {
				t.Fatalf("error text contains a piece of secret material: %q", msg)
			}
		}
	}
}

// assertNoCiphertext fails if err's text contains a ciphertext in raw, hex
// or base64 form, or a 16-byte window of it in hex. (Raw windows are not
// checked: KMS blobs embed the key ARN, which errors may rightly name.)
func assertNoCiphertext(t testing.TB, err error, cts ...[]byte) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	for _, c := range cts {
		if len(c) == 0 {
			continue
		}
		for _, f := range encodings(c) {
			if strings.Contains(msg, f) {
				t.Fatalf("error text contains the ciphertext: %q", msg)
			}
		}
		const win = 16
		for i := 0; i+win <= len(c); i++ {
			if strings.Contains(msg, hex.EncodeToString(c[i:i+win])) {
				t.Fatalf("error text contains a piece of the ciphertext: %q", msg)
			}
		}
	}
}

func encodings(b []byte) []string {
	return []string{string(b), hex.EncodeToString(b), base64.StdEncoding.EncodeToString(b), base64.URLEncoding.EncodeToString(b)}
}

// memStore is a tiny in-memory SealedStore so rotation is tested without the
// real store (the lead's integration test covers that).
type memStore struct {
	mu   sync.Mutex
	rows map[Column]map[int64][]byte
	// tokens holds each row's seal token, by table then row id.
	tokens map[string]map[int64][]byte
	// beforeReplace, if set, runs (unlocked) before each compare-and-swap,
	// to simulate the application writing concurrently.
	beforeReplace func(col Column, id int64)
	replaces      int
}

func newMemStore() *memStore { return &memStore{rows: map[Column]map[int64][]byte{}} }

func (m *memStore) put(col Column, id int64, v []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.rows[col] == nil {
		m.rows[col] = map[int64][]byte{}
	}
	if v == nil {
		delete(m.rows[col], id)
		return
	}
	m.rows[col][id] = slices.Clone(v)
}

func (m *memStore) get(col Column, id int64) []byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.rows[col][id])
}

// memRow is the test store's own row type, as store.SealedValue is the real
// store's: Rotate must accept a store whose rows are a different named type.
type memRow struct {
	ID    int64
	Token []byte
	Value []byte
}

func (m *memStore) ListSealed(ctx context.Context, table, column string, afterID int64, limit int) ([]memRow, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	col := Column{table, column}
	var ids []int64
	for id := range m.rows[col] {
		if id > afterID {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	if len(ids) > limit {
		ids = ids[:limit]
	}
	out := make([]memRow, 0, len(ids))
	for _, id := range ids {
		out = append(out, memRow{ID: id, Token: slices.Clone(m.tokens[table][id]), Value: slices.Clone(m.rows[col][id])})
	}
	return out, nil
}

func (m *memStore) ReplaceSealed(ctx context.Context, table, column string, id int64, old, new []byte) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if m.beforeReplace != nil {
		m.beforeReplace(Column{table, column}, id)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	col := Column{table, column}
	cur, ok := m.rows[col][id]
	if !ok || !bytes.Equal(cur, old) {
		return false, nil
	}
	m.rows[col][id] = slices.Clone(new)
	m.replaces++
	return true, nil
}
