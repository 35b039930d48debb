package auth

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestResetToken(t *testing.T) {
	tok, hash, err := NewResetToken()
	if err != nil {
		t.Fatal(err)
	}
	got, ok := ResetTokenHash(tok)
	if !ok || !bytes.Equal(got, hash) {
		t.Fatalf("token does not hash back: %v", ok)
	}
	if bytes.Contains(hash, []byte(tok)) || len(hash) != 32 {
		t.Fatalf("hash %x", hash)
	}
	tok2, _, _ := NewResetToken()
	if tok2 == tok {
		t.Fatal("two tokens alike")
	}
	for _, bad := range []string{"", tok[:42], tok + "A", strings.Repeat("!", 43), tok[:42] + "\xff", strings.Repeat("a", 100000)} {
		if _, ok := ResetTokenHash(bad); ok {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestUnusableHash(t *testing.T) {
	h := NewHasher(Params{Memory: 256, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 1)
	ctx := context.Background()
	a, err := h.UnusableHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := h.UnusableHash(ctx)
	if a == b {
		t.Fatal("two unusable hashes alike")
	}
	for _, pw := range []string{"", "correct horse battery staple"} {
		if ok, err := h.Verify(ctx, a, pw); err != nil || ok {
			t.Errorf("unusable hash verified %q: %v %v", pw, ok, err)
		}
	}
}

func TestSamePassword(t *testing.T) {
	if !SamePassword("caf\u00e9 au lait, please", "cafe\u0301 au lait, please") {
		t.Error("NFC forms differ")
	}
	if SamePassword("correct horse battery", "correct horse battery ") {
		t.Error("different passwords alike")
	}
}
