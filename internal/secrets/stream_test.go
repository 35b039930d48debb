package secrets

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"testing/iotest"
)

func TestEncryptDecryptStream(t *testing.T) {
	ctx := context.Background()
	k, _ := openLocalKeeper(t)
	secret := "mysql://lostinnl:Pa55-w0rd@tcp(127.0.0.1:3306)/lostinnl"

	for _, in := range []string{secret, secret + "\n", secret + "\r\n"} {
		var out bytes.Buffer
		if err := EncryptStream(ctx, k, strings.NewReader(in), &out); err != nil {
			t.Fatalf("encrypt: %v", err)
		}
		line := out.String()
		if !strings.HasSuffix(line, "\n") || strings.Count(line, "\n") != 1 {
			t.Fatalf("output is not one line: %q", line)
		}
		if strings.Contains(line, secret) {
			t.Fatal("output contains the secret")
		}
		if _, err := base64.StdEncoding.DecodeString(strings.TrimSpace(line)); err != nil {
			t.Fatalf("output is not standard base64: %v", err)
		}
		// Decrypt accepts it as printed, indented, or wrapped over lines.
		b64 := strings.TrimSpace(line)
		for _, form := range []string{line, "  \t" + line + "\n\n", b64[:10] + "\n" + b64[10:] + "\n", strings.TrimRight(b64, "=")} {
			var pt bytes.Buffer
			if err := DecryptStream(ctx, k, strings.NewReader(form), &pt); err != nil {
				t.Fatalf("decrypt %q: %v", form, err)
			}
			if pt.String() != secret {
				t.Fatalf("decrypt gave %q (one trailing newline should be trimmed on encrypt, none added on decrypt)", pt.String())
			}
		}
	}
	// Only one newline is trimmed: a value ending in blank lines keeps the rest.
	var out, pt bytes.Buffer
	if err := EncryptStream(ctx, k, strings.NewReader("x\n\n"), &out); err != nil {
		t.Fatal(err)
	}
	if err := DecryptStream(ctx, k, &out, &pt); err != nil || pt.String() != "x\n" {
		t.Fatalf("got %q, %v", pt.String(), err)
	}
}

func TestStreamErrorsNeverContainSecrets(t *testing.T) {
	ctx := context.Background()
	k, _ := openLocalKeeper(t)
	other, _ := openLocalKeeper(t)
	secret := []byte("session-signing-key-5b0f3c1d9e")
	ct, err := k.Encrypt(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	good := base64.StdEncoding.EncodeToString(ct)
	tampered := bytes.Clone(ct)
	tampered[len(tampered)-3] ^= 0x10
	notB64 := "this is %% not base64: " + string(secret)

	cases := map[string]struct {
		k  *Keeper
		in string
	}{
		"empty":      {k, ""},
		"whitespace": {k, " \n\t "},
		"not base64": {k, notB64},
		"tampered":   {k, base64.StdEncoding.EncodeToString(tampered)},
		"wrong key":  {other, good},
		"truncated":  {k, good[:len(good)/2]},
		"too short":  {k, "AAAA"},
		"oversize":   {k, strings.Repeat("A", maxStreamInput+4)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			err := DecryptStream(ctx, tc.k, strings.NewReader(tc.in), &out)
			if err == nil {
				t.Fatal("accepted")
			}
			if out.Len() != 0 {
				t.Fatal("wrote output on failure")
			}
			if !strings.HasPrefix(err.Error(), "secret decrypt: ") {
				t.Fatalf("error does not name the operation: %v", err)
			}
			assertNoSecret(t, err, secret)
			assertNoCiphertext(t, err, ct, tampered, []byte(good))
			if strings.Contains(err.Error(), "not base64") && name != "not base64" {
				t.Fatalf("unexpected base64 complaint: %v", err)
			}
			if len(tc.in) > 16 && strings.Contains(err.Error(), tc.in[:16]) {
				t.Fatalf("error repeats the input: %v", err)
			}
		})
	}
	if err := DecryptStream(ctx, k, strings.NewReader(good), &bytes.Buffer{}); err != nil {
		t.Fatalf("control: %v", err)
	}
	// Wrong key and tampering are reported as ErrDecrypt for callers.
	if _, err := other.DecryptBase64(ctx, good); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("err = %v, want ErrDecrypt", err)
	}
}

func TestEncryptStreamErrors(t *testing.T) {
	ctx := context.Background()
	k, _ := openLocalKeeper(t)
	secret := "a-secret-that-is-long-enough-to-matter"
	for name, in := range map[string]string{"empty": "", "only newline": "\n", "too large for a keeper": strings.Repeat("s", maxKeeperPlaintext+1), "oversize input": strings.Repeat("s", maxStreamInput+1)} {
		var out bytes.Buffer
		err := EncryptStream(ctx, k, strings.NewReader(in), &out)
		if err == nil || out.Len() != 0 {
			t.Fatalf("%s: err = %v, output %d bytes", name, err, out.Len())
		}
	}
	// A failing reader or writer is reported, without the secret.
	err := EncryptStream(ctx, k, iotest.ErrReader(errors.New("stdin closed")), &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "stdin closed") {
		t.Fatalf("reader error: %v", err)
	}
	err = EncryptStream(ctx, k, strings.NewReader(secret), failWriter{})
	if err == nil {
		t.Fatal("writer error ignored")
	}
	assertNoSecret(t, err, []byte(secret))
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("stdout closed") }

func TestBase64HelpersAndRefresh(t *testing.T) {
	ctx := context.Background()
	k, _ := openLocalKeeper(t)
	b64, err := k.EncryptBase64(ctx, []byte("cookie-key"))
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := k.DecryptBase64(ctx, "\n "+b64+"\n"); err != nil || string(pt) != "cookie-key" {
		t.Fatalf("round trip: %q %v", pt, err)
	}
	id, err := k.RefreshKeyID(ctx)
	if err != nil || id != k.KeyID() || len(id) != 2*keyIDSize {
		t.Fatalf("RefreshKeyID = %q, %v; KeyID = %q", id, err, k.KeyID())
	}
	want := "scanned 5, re-wrapped 2, already current 1, unreadable 1, changed during the run 1"
	if got := (RotateCounts{5, 2, 1, 1, 1}).String(); got != want {
		t.Fatalf("String() = %q", got)
	}
}
