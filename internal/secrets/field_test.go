package secrets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSealOpenRoundTrip(t *testing.T) {
	ctx := context.Background()
	k, _ := openLocalKeeper(t)
	f := NewFieldCipher(k, nil)
	for _, v := range []string{"a", "Jane Q. Example", "709-555-0142", "jane@example.org", "mother", strings.Repeat("é", 1000), "\x00\xff binary"} {
		sealed, err := f.Seal(ctx, []byte(v), "cases", "reporter_name", 42)
		if err != nil {
			t.Fatalf("seal %q: %v", v, err)
		}
		// (Short values can occur in random bytes by chance; check the rest.)
		if len(v) >= 6 && bytes.Contains(sealed, []byte(v)) {
			t.Fatalf("sealed bytes contain the plaintext %q", v)
		}
		got, err := f.Open(ctx, sealed, "cases", "reporter_name", 42)
		if err != nil || string(got) != v {
			t.Fatalf("open: %q, %v", got, err)
		}
	}
	// Two seals of the same value differ (fresh data key and nonce).
	a, _ := f.Seal(ctx, []byte("same"), "tips", "name", 1)
	b, _ := f.Seal(ctx, []byte("same"), "tips", "name", 1)
	if bytes.Equal(a, b) {
		t.Fatal("two seals of one value are identical")
	}
	ea, _ := parseEnvelope(a)
	eb, _ := parseEnvelope(b)
	if bytes.Equal(ea.wrapped, eb.wrapped) {
		t.Fatal("two seals share a wrapped data key")
	}
	if ea.keyID.String() != k.KeyID() {
		t.Fatal("envelope key id is not the keeper's")
	}
}

func TestSealEdgeCases(t *testing.T) {
	ctx := context.Background()
	k, _ := openLocalKeeper(t)
	f := NewFieldCipher(k, nil)
	if s, err := f.Seal(ctx, nil, "tips", "name", 1); s != nil || err != nil {
		t.Fatalf("seal of empty = %v, %v; want nil, nil (stored as NULL)", s, err)
	}
	if pt, err := f.Open(ctx, nil, "tips", "name", 1); pt != nil || err != nil {
		t.Fatalf("open of NULL = %v, %v; want nil, nil", pt, err)
	}
	for _, tc := range []struct {
		table, column string
		row           int64
	}{{"", "name", 1}, {"tips", "", 1}, {"tips", "name", 0}, {"tips", "name", -5}} {
		if _, err := f.Seal(ctx, []byte("x"), tc.table, tc.column, tc.row); err == nil {
			t.Fatalf("seal accepted %+v", tc)
		}
	}
	if _, err := f.Seal(ctx, make([]byte, MaxFieldSize+1), "tips", "name", 1); err == nil {
		t.Fatal("oversize value accepted")
	}
	if _, err := f.Seal(ctx, make([]byte, MaxFieldSize), "tips", "name", 1); err != nil {
		t.Fatalf("value at the size limit refused: %v", err)
	}
}

// TestTamperedValuesFailCleanly: every single-byte change, every truncation,
// moved values and garbage fail with an error, never a panic, and the error
// never carries the value.
func TestTamperedValuesFailCleanly(t *testing.T) {
	ctx := context.Background()
	k, _ := openLocalKeeper(t)
	f := NewFieldCipher(k, nil)
	plain := []byte("Reporter Person, 709-555-0199")
	sealed, err := f.Seal(ctx, plain, "cases", "reporter_phone", 10)
	if err != nil {
		t.Fatal(err)
	}
	open := func(v []byte, table, column string, row int64) error {
		t.Helper()
		pt, err := f.Open(ctx, v, table, column, row)
		if err == nil {
			t.Fatalf("tampered value opened to %q", pt)
		}
		assertNoSecret(t, err, plain)
		assertNoCiphertext(t, err, sealed)
		return err
	}

	t.Run("flip each byte", func(t *testing.T) {
		for i := range sealed {
			for _, mask := range []byte{0x01, 0x80, 0xff} {
				v := bytes.Clone(sealed)
				v[i] ^= mask
				open(v, "cases", "reporter_phone", 10)
			}
		}
	})
	t.Run("flip one ciphertext byte gives ErrAuthFailed", func(t *testing.T) {
		v := bytes.Clone(sealed)
		v[len(v)-20] ^= 0x04
		if err := open(v, "cases", "reporter_phone", 10); !errors.Is(err, ErrAuthFailed) {
			t.Fatalf("err = %v, want ErrAuthFailed", err)
		}
	})
	t.Run("truncated", func(t *testing.T) {
		for n := 0; n < len(sealed); n++ {
			open(bytes.Clone(sealed[:n]), "cases", "reporter_phone", 10)
		}
	})
	t.Run("empty non-nil is malformed", func(t *testing.T) {
		if err := open([]byte{}, "cases", "reporter_phone", 10); !errors.Is(err, ErrMalformed) {
			t.Fatalf("err = %v, want ErrMalformed", err)
		}
	})
	t.Run("extended", func(t *testing.T) {
		open(append(bytes.Clone(sealed), 0), "cases", "reporter_phone", 10)
	})
	t.Run("other row, column or table", func(t *testing.T) {
		for _, where := range []struct {
			table, column string
			row           int64
		}{
			{"cases", "reporter_phone", 11},
			{"cases", "reporter_phone", 10 + 1<<32},
			{"cases", "reporter_email", 10},
			{"tips", "reporter_phone", 10},
			{"tips", "phone", 10},
			{"casesr", "eporter_phone", 10}, // the encoding is length-prefixed
		} {
			if err := open(sealed, where.table, where.column, where.row); !errors.Is(err, ErrAuthFailed) {
				t.Fatalf("%+v: err = %v, want ErrAuthFailed", where, err)
			}
		}
	})
	t.Run("two rows swapped", func(t *testing.T) {
		a, _ := f.Seal(ctx, []byte("Alice Example"), "tips", "name", 1)
		b, _ := f.Seal(ctx, []byte("Bob Example"), "tips", "name", 2)
		if _, err := f.Open(ctx, b, "tips", "name", 1); !errors.Is(err, ErrAuthFailed) {
			t.Fatalf("row 2's value on row 1: err = %v", err)
		}
		if _, err := f.Open(ctx, a, "tips", "name", 2); !errors.Is(err, ErrAuthFailed) {
			t.Fatalf("row 1's value on row 2: err = %v", err)
		}
	})
	t.Run("wrapped keys swapped between values", func(t *testing.T) {
		other, _ := f.Seal(ctx, []byte("other"), "cases", "reporter_phone", 10)
		e1, _ := parseEnvelope(sealed)
		e2, _ := parseEnvelope(other)
		e1.wrapped = e2.wrapped
		if err := open(e1.marshal(), "cases", "reporter_phone", 10); !errors.Is(err, ErrAuthFailed) {
			t.Fatalf("err = %v, want ErrAuthFailed", err)
		}
	})
	t.Run("wrong key version", func(t *testing.T) {
		e, _ := parseEnvelope(sealed)
		e.keyID = keyID{1, 2, 3, 4, 5, 6, 7, 8}
		if err := open(e.marshal(), "cases", "reporter_phone", 10); !errors.Is(err, ErrUnknownKey) {
			t.Fatalf("err = %v, want ErrUnknownKey", err)
		}
	})
	t.Run("unknown format version", func(t *testing.T) {
		v := bytes.Clone(sealed)
		v[0] = 3
		if err := open(v, "cases", "reporter_phone", 10); !errors.Is(err, ErrMalformed) {
			t.Fatalf("err = %v, want ErrMalformed", err)
		}
	})
	t.Run("garbage", func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for range 500 {
			v := make([]byte, r.IntN(300))
			for i := range v {
				v[i] = byte(r.Uint32())
			}
			if len(v) > 0 && r.IntN(2) == 0 {
				v[0] = formatV1 // get past the version check more often
			}
			if _, err := f.Open(ctx, v, "cases", "reporter_phone", 10); err == nil {
				t.Fatalf("garbage of %d bytes opened", len(v))
			}
		}
	})
}

func FuzzOpen(f *testing.F) {
	k, err := OpenKeeper(context.Background(), base64KeySpec(3), "")
	if err != nil {
		f.Fatal(err)
	}
	fc := NewFieldCipher(k, nil)
	good, err := fc.Seal(context.Background(), []byte("fuzz seed"), "tips", "email", 5)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte{})
	f.Add([]byte{formatV1})
	f.Add(good[:len(good)-1])
	f.Fuzz(func(t *testing.T, v []byte) {
		pt, err := fc.Open(context.Background(), v, "tips", "email", 5)
		// Fuzz workers are separate processes, each with its own seal of the
		// seed under the same fixed key: anything that opens must be one of
		// those authentic seals, so it can only yield the seed text.
		if err == nil && string(pt) != "fuzz seed" {
			t.Fatalf("a forged value opened to %q", pt)
		}
	})
}

// syncBuffer is a bytes.Buffer safe for the concurrent log writes below.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestOpenOrUnreadable(t *testing.T) {
	ctx := context.Background()
	k, _ := openLocalKeeper(t)
	var logs syncBuffer
	f := NewFieldCipher(k, slog.New(slog.NewJSONHandler(&logs, nil)))
	name := "Tipster Example"
	sealed, _ := f.Seal(ctx, []byte(name), "tips", "name", 8)

	if got := f.OpenOrUnreadable(ctx, nil, "tips", "name", 8); got != "" {
		t.Fatalf("NULL shows as %q", got)
	}
	if got := f.OpenOrUnreadable(ctx, sealed, "tips", "name", 8); got != name {
		t.Fatalf("good value shows as %q", got)
	}
	// The value moved to row 9: unreadable there, logged once, never the value.
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := f.OpenOrUnreadable(ctx, sealed, "tips", "name", 9); got != Unreadable {
				t.Errorf("moved value shows as %q", got)
			}
		}()
	}
	wg.Wait()
	out := logs.String()
	if n := strings.Count(out, "\n"); n != 1 {
		t.Fatalf("logged %d lines for one unreadable field, want 1:\n%s", n, out)
	}
	for _, want := range []string{`"table":"tips"`, `"column":"name"`, `"row_id":9`, `"level":"ERROR"`} {
		if !strings.Contains(out, want) {
			t.Fatalf("log line lacks %s: %s", want, out)
		}
	}
	assertNoSecret(t, errors.New(out), []byte(name))
	assertNoCiphertext(t, errors.New(out), sealed)

	// Another field is logged on its own.
	f.OpenOrUnreadable(ctx, []byte("garbage"), "tips", "email", 9)
	if n := strings.Count(logs.String(), "\n"); n != 2 {
		t.Fatalf("second unreadable field: %d log lines, want 2", n)
	}

	// A request that went away is not a data problem: not logged.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if got := f.OpenOrUnreadable(cctx, []byte("garbage"), "tips", "phone", 9); got != Unreadable {
		t.Fatalf("got %q", got)
	}
	if n := strings.Count(logs.String(), "\n"); n != 2 {
		t.Fatalf("cancelled request was logged: %d lines", n)
	}
}

func TestKMSDataKeyCache(t *testing.T) {
	ctx := context.Background()
	l := startFakeKMS(t)
	l.createAlias(t, "alias/cache", l.createKey(t))
	k := openTestKMSKeeper(t, l.keeperURL("alias/cache"))
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	k.cache = newDataKeyCache(func() time.Time { return now })
	f := NewFieldCipher(k, nil)

	sealed, err := f.Seal(ctx, []byte("Cached Person"), "tips", "name", 4)
	if err != nil {
		t.Fatal(err)
	}
	base := l.count("Decrypt")
	for range 3 {
		if got, err := f.Open(ctx, sealed, "tips", "name", 4); err != nil || string(got) != "Cached Person" {
			t.Fatalf("open: %q %v", got, err)
		}
	}
	if n := l.count("Decrypt") - base; n != 1 {
		t.Fatalf("3 opens of one value made %d KMS Decrypt calls, want 1", n)
	}
	// The cache never lets a moved value open.
	if _, err := f.Open(ctx, sealed, "tips", "name", 5); !errors.Is(err, ErrAuthFailed) {
		t.Fatalf("moved value with a cached key: err = %v", err)
	}
	// A relabelled copy is a different cache entry and is checked by KMS.
	e, _ := parseEnvelope(sealed)
	e.keyID[0] ^= 1
	if _, err := f.Open(ctx, e.marshal(), "tips", "name", 4); !errors.Is(err, ErrAuthFailed) {
		t.Fatalf("relabelled value: err = %v", err)
	}
	// After the TTL, KMS is asked again.
	now = now.Add(dataKeyCacheTTL)
	base = l.count("Decrypt")
	if _, err := f.Open(ctx, sealed, "tips", "name", 4); err != nil {
		t.Fatal(err)
	}
	if n := l.count("Decrypt") - base; n != 1 {
		t.Fatalf("after expiry: %d Decrypt calls, want 1", n)
	}
}

func TestDataKeyCacheIsBounded(t *testing.T) {
	now := time.Now()
	c := newDataKeyCache(func() time.Time { return now })
	dk := make([]byte, dataKeySize)
	for i := range dataKeyCacheSize * 3 {
		c.put(cacheKey(keyID{}, []byte(fmt.Sprint(i))), dk)
		if c.len() > dataKeyCacheSize {
			t.Fatalf("cache grew to %d", c.len())
		}
	}
	c.put(cacheKey(keyID{}, []byte("short")), dk[:5]) // not a data key: ignored
	if c.get(cacheKey(keyID{}, []byte("short"))) != nil {
		t.Fatal("cached a key of the wrong size")
	}
}
