package mail

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"lostinnl/internal/secrets"
)

func TestNormalizeAddress(t *testing.T) {
	for in, want := range map[string]string{
		"Reader@Example.ORG":    "reader@example.org",
		"  a.b+tag@mail.ca  ":   "a.b+tag@mail.ca",
		"o'brien@example.nl.ca": "o'brien@example.nl.ca",
		"a@example.org\r\n":     "a@example.org", // surrounding white space is trimmed, not kept
	} {
		if got, err := NormalizeAddress(in); err != nil || got != want {
			t.Errorf("%q: %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{
		"", "plain", "@example.org", "a@", "a@localhost", "a@.org", "a@example.", "Name <a@example.org>",
		"a@example.org, b@example.org", "a@example.org\r\nBcc: b@example.org", "a b@example.org",
		"a@[127.0.0.1]", "\xff@example.org", strings.Repeat("a", 100<<10) + "@example.org", "a@example.org;b",
	} {
		if _, err := NormalizeAddress(bad); !errors.Is(err, ErrBadAddress) {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
}

func TestKeysIndexAndManageTokens(t *testing.T) {
	k := NewKeys(bytes.Repeat([]byte{1}, 32))
	other := NewKeys(bytes.Repeat([]byte{2}, 32))
	idx := k.Index("reader@example.org")
	if len(idx) != 32 || !bytes.Equal(idx, k.Index("reader@example.org")) || bytes.Equal(idx, k.Index("other@example.org")) {
		t.Fatal("index not stable and distinct")
	}
	if bytes.Equal(idx, other.Index("reader@example.org")) {
		t.Fatal("index does not depend on the key")
	}
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	tok := k.ManageToken(idx, 42, now.Add(time.Hour))
	m, err := k.ParseManageToken(tok, now)
	if err != nil || !bytes.Equal(m.Index, idx) || m.SubscriptionID != 42 {
		t.Fatalf("parse: %+v, %v", m, err)
	}
	if _, err := k.ParseManageToken(tok, now.Add(time.Hour)); !errors.Is(err, ErrBadToken) {
		t.Fatalf("expired token: %v", err)
	}
	if _, err := other.ParseManageToken(tok, now); !errors.Is(err, ErrBadToken) {
		t.Fatalf("token under another key: %v", err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(tok)
	for i := range raw {
		b := bytes.Clone(raw)
		b[i] ^= 1
		if _, err := k.ParseManageToken(base64.RawURLEncoding.EncodeToString(b), now); !errors.Is(err, ErrBadToken) {
			t.Fatalf("byte %d flipped: accepted", i)
		}
	}
	for _, bad := range []string{"", "x", "%%%", strings.Repeat("A", 100<<10), tok + "A", tok[:len(tok)-1]} {
		if _, err := k.ParseManageToken(bad, now); !errors.Is(err, ErrBadToken) {
			t.Errorf("%.20q accepted", bad)
		}
	}
}

// TestLoadKeysAgreeAcrossInstances: instances starting at once end with
// the same keys, and the master key is stored encrypted.
func TestLoadKeysAgreeAcrossInstances(t *testing.T) {
	st, _ := testStore(t)
	kp, err := secrets.OpenKeeper(context.Background(), testKeeper, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer kp.Close()
	var wg sync.WaitGroup
	keys := make([]*Keys, 6)
	for i := range keys {
		wg.Go(func() {
			k, err := LoadKeys(context.Background(), st, kp)
			if err != nil {
				t.Error(err)
				return
			}
			keys[i] = k
		})
	}
	wg.Wait()
	for _, k := range keys[1:] {
		if k == nil || keys[0] == nil || !bytes.Equal(k.Index("a@example.org"), keys[0].Index("a@example.org")) {
			t.Fatal("instances disagree on the keys")
		}
	}
	v, err := st.GetSetting(context.Background(), keySetting)
	if err != nil || len(v) < 40 {
		t.Fatalf("stored key %q, %v", v, err)
	}
	// Another keeper cannot read it: the start-up fails rather than
	// making a new key (which would orphan every subscription).
	wrong, _ := secrets.OpenKeeper(context.Background(), "base64key://"+strings.Repeat("B", 43)+"=", t.TempDir())
	defer wrong.Close()
	if _, err := LoadKeys(context.Background(), st, wrong); err == nil {
		t.Fatal("a wrong keeper loaded the keys")
	}
}

// TestRewrapKeysSurvivesKeeperRotation: after `secret rotate` re-wraps
// the master key, the new keeper alone loads the same keys.
func TestRewrapKeysSurvivesKeeperRotation(t *testing.T) {
	st, _ := testStore(t)
	ctx := context.Background()
	open := func(spec string) *secrets.Keeper {
		k, err := secrets.OpenKeeper(ctx, spec, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = k.Close() })
		return k
	}
	keyA, keyB := "base64key://"+strings.Repeat("A", 43)+"=", "base64key://"+strings.Repeat("B", 43)+"="
	if ok, err := RewrapKeys(ctx, st, open(keyA)); ok || err != nil {
		t.Fatalf("no key yet: %v, %v", ok, err)
	}
	before, err := LoadKeys(ctx, st, open(keyA))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKeys(ctx, st, open(keyB)); err == nil {
		t.Fatal("keeper B read a key sealed by A")
	}
	if ok, err := RewrapKeys(ctx, st, open(keyB+" "+keyA)); !ok || err != nil {
		t.Fatalf("rewrap: %v, %v", ok, err)
	}
	after, err := LoadKeys(ctx, st, open(keyB))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before.Index("a@example.org"), after.Index("a@example.org")) {
		t.Fatal("the key changed: every subscription would be orphaned")
	}
}
