package auth

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
)

// testParams keep unit tests fast (and fast under -race); the format and
// logic are the same as with DefaultParams.
var testParams = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashFormatAndVerify(t *testing.T) {
	ctx := context.Background()
	h := NewHasher(testParams, 2)
	hash, err := h.Hash(ctx, "a fine long passphrase")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !re.MatchString(hash) {
		t.Fatalf("hash %q is not a PHC argon2id string", hash)
	}
	ok, err := h.Verify(ctx, hash, "a fine long passphrase")
	if err != nil || !ok {
		t.Fatalf("Verify(right password) = %v, %v", ok, err)
	}
	for _, wrong := range []string{"", "a fine long passphrasE", "a fine long passphrase ", "a fine long passphras", "a fine long passphrase\x00"} {
		ok, err := h.Verify(ctx, hash, wrong)
		if err != nil || ok {
			t.Errorf("Verify(%q) = %v, %v; want false, nil", wrong, ok, err)
		}
	}
	again, err := h.Hash(ctx, "a fine long passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if again == hash {
		t.Error("two hashes of the same password are equal: salt not random")
	}
}

// Known answers computed with the reference implementation
// (Debian's argon2 CLI: echo -n PW | argon2 SALT -id -t T -m LOG2M -p P -l 32 -e),
// so our encoding is interoperable, not just self-consistent.
func TestVerifyReferenceHashes(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, hash, password string
	}{
		{"small params, non-ASCII", "$argon2id$v=19$m=64,t=1,p=1$Tkwtc2FsdC0xNmJ5dGVzIQ$r/zUMTFeQG6aj3dKTd6xppxOLe31aWW6/CfyFhFTUYk", "pässwörd für Neufundland"},
		{"default params", "$argon2id$v=19$m=65536,t=3,p=2$YzI5dFpYTmhiSFJ6WVd4ME1USQ$WkM4Rh4+gFZJVpcpZ9LFpHrFVBYv71qCFOg42Op37PA", "correct horse battery staple"},
	}
	h := NewHasher(Params{}, 1)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := h.Verify(ctx, tt.hash, tt.password)
			if err != nil || !ok {
				t.Fatalf("Verify = %v, %v; want true", ok, err)
			}
			ok, err = h.Verify(ctx, tt.hash, tt.password+"x")
			if err != nil || ok {
				t.Fatalf("Verify(wrong) = %v, %v; want false", ok, err)
			}
		})
	}
	if h.NeedsRehash(tests[1].hash) {
		t.Error("reference hash made with the default params reported as needing rehash")
	}
}

func TestPasswordNFC(t *testing.T) {
	ctx := context.Background()
	h := NewHasher(testParams, 1)
	composed := "caf\u00e9 au lait sur la terrasse"
	decomposed := "cafe\u0301 au lait sur la terrasse"
	hash, err := h.Hash(ctx, decomposed)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := h.Verify(ctx, hash, composed); err != nil || !ok {
		t.Fatalf("composed form does not verify against hash of decomposed form: %v, %v", ok, err)
	}
}

func TestVerifyHostilePasswords(t *testing.T) {
	ctx := context.Background()
	h := NewHasher(testParams, 1)
	hash, err := h.Hash(ctx, "correct-password-here")
	if err != nil {
		t.Fatal(err)
	}
	for name, pw := range map[string]string{
		"empty":         "",
		"10KB":          strings.Repeat("A", 10*1024),
		"invalid UTF-8": "\xff\xfe\xfd correct-password-here",
		"NUL bytes":     "correct-password-here\x00\x00",
		"only NUL":      "\x00",
	} {
		t.Run(name, func(t *testing.T) {
			ok, err := h.Verify(ctx, hash, pw)
			if err != nil || ok {
				t.Fatalf("Verify = %v, %v; want false, nil", ok, err)
			}
		})
	}
	// Hash refuses absurd input instead of hashing it.
	if _, err := h.Hash(ctx, strings.Repeat("A", 10*1024)); !errors.Is(err, ErrPasswordTooLong) {
		t.Errorf("Hash(10KB) error = %v; want ErrPasswordTooLong", err)
	}
	// Invalid UTF-8 that is hashed verifies to itself (the hasher is byte-exact
	// apart from NFC; the policy is what refuses such passwords).
	odd := "\xff\xfe 12 chars and more"
	oh, err := h.Hash(ctx, odd)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := h.Verify(ctx, oh, odd); !ok {
		t.Error("invalid UTF-8 password does not verify against its own hash")
	}
}

func TestMalformedHashes(t *testing.T) {
	ctx := context.Background()
	h := NewHasher(testParams, 1)
	good, err := h.Hash(ctx, "whatever password")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	salt, key := parts[4], parts[5]
	bad := map[string]string{
		"empty":           "",
		"dollar only":     "$",
		"bcrypt":          "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":         "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key,
		"old version":     "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key,
		"missing field":   "$argon2id$v=19$m=64,t=1$" + salt + "$" + key,
		"params reorder":  "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key,
		"memory 4 GiB":    "$argon2id$v=19$m=4194304,t=1,p=1$" + salt + "$" + key,
		"memory overflow": "$argon2id$v=19$m=99999999999,t=1,p=1$" + salt + "$" + key,
		"time zero":       "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key,
		"time huge":       "$argon2id$v=19$m=64,t=100000,p=1$" + salt + "$" + key,
		"threads zero":    "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key,
		"threads 256":     "$argon2id$v=19$m=4096,t=1,p=256$" + salt + "$" + key,
		"memory < 8p":     "$argon2id$v=19$m=8,t=1,p=2$" + salt + "$" + key,
		"negative":        "$argon2id$v=19$m=-64,t=1,p=1$" + salt + "$" + key,
		"bad salt b64":    "$argon2id$v=19$m=64,t=1,p=1$!!!!$" + key,
		"padded salt":     "$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + key,
		"short salt":      "$argon2id$v=19$m=64,t=1,p=1$YWJj$" + key,
		"short key":       "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$YWJjZGVm",
		"extra part":      good + "$extra",
		"NUL inside":      strings.Replace(good, "m=64", "m=6\x004", 1),
		"huge string":     strings.Repeat("$argon2id", 10000),
	}
	for name, hash := range bad {
		t.Run(name, func(t *testing.T) {
			ok, err := h.Verify(ctx, hash, "whatever password")
			if ok || !errors.Is(err, ErrMalformedHash) {
				t.Fatalf("Verify = %v, %v; want false, ErrMalformedHash", ok, err)
			}
			if !h.NeedsRehash(hash) {
				t.Fatal("NeedsRehash(malformed) = false")
			}
		})
	}
}

func TestNeedsRehash(t *testing.T) {
	ctx := context.Background()
	old := NewHasher(testParams, 1)
	hash, err := old.Hash(ctx, "some password 123")
	if err != nil {
		t.Fatal(err)
	}
	if old.NeedsRehash(hash) {
		t.Error("NeedsRehash with unchanged params = true")
	}
	changes := map[string]Params{
		"memory":   {Memory: 128, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
		"time":     {Memory: 64, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32},
		"threads":  {Memory: 64, Time: 1, Threads: 2, SaltLen: 16, KeyLen: 32},
		"key len":  {Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 64},
		"salt len": {Memory: 64, Time: 1, Threads: 1, SaltLen: 32, KeyLen: 32},
	}
	for name, p := range changes {
		if !NewHasher(p, 1).NeedsRehash(hash) {
			t.Errorf("%s changed: NeedsRehash = false", name)
		}
		// The old hash still verifies with a hasher whose params changed.
		if ok, err := NewHasher(p, 1).Verify(ctx, hash, "some password 123"); !ok || err != nil {
			t.Errorf("%s changed: old hash no longer verifies: %v, %v", name, ok, err)
		}
	}
}

func TestDummyVerifyAndCancellation(t *testing.T) {
	h := NewHasher(testParams, 1)
	if err := h.DummyVerify(context.Background(), "anything at all"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	// Fill the single slot so the next hash must wait, then cancel.
	h.sem <- struct{}{}
	cancel()
	if _, err := h.Hash(ctx, "password waiting"); !errors.Is(err, context.Canceled) {
		t.Errorf("Hash with cancelled ctx while busy = %v; want context.Canceled", err)
	}
	if err := h.DummyVerify(ctx, "x"); !errors.Is(err, context.Canceled) {
		t.Errorf("DummyVerify with cancelled ctx while busy = %v; want context.Canceled", err)
	}
	<-h.sem
}

func TestNewHasherDefaults(t *testing.T) {
	h := NewHasher(Params{}, 0)
	if h.Params() != DefaultParams() {
		t.Errorf("zero Params → %+v; want DefaultParams", h.Params())
	}
	if cap(h.sem) != 1 {
		t.Errorf("maxConcurrent 0 → %d slots; want 1", cap(h.sem))
	}
}

// BenchmarkHash measures one argon2id hash with the production parameters
// (the figure that decides whether they suit the hardware).
func BenchmarkHash(b *testing.B) {
	h := NewHasher(DefaultParams(), 1)
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.Hash(ctx, "correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDummyVerify should match BenchmarkVerify: unknown users cost the
// same as known ones.
func BenchmarkDummyVerify(b *testing.B) {
	h := NewHasher(DefaultParams(), 1)
	ctx := context.Background()
	if err := h.DummyVerify(ctx, "warm up"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := h.DummyVerify(ctx, "correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	h := NewHasher(DefaultParams(), 1)
	ctx := context.Background()
	hash, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := h.Verify(ctx, hash, "wrong horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}
