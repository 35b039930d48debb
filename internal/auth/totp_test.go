package auth

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"hash"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// RFC 4226 Appendix D: HOTP values for the ASCII secret "12345678901234567890".
func TestHOTPRFC4226(t *testing.T) {
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	for i, w := range want {
		if got := hotp([]byte("12345678901234567890"), uint64(i), 6, sha1.New); got != w {
			t.Errorf("HOTP(counter %d) = %s; want %s", i, got, w)
		}
	}
}

// RFC 6238 Appendix B, all three hashes, 8 digits.
func TestTOTPRFC6238Vectors(t *testing.T) {
	seeds := map[string][]byte{
		"SHA1":   []byte("12345678901234567890"),
		"SHA256": []byte("12345678901234567890123456789012"),
		"SHA512": []byte("1234567890123456789012345678901234567890123456789012345678901234"),
	}
	hashes := map[string]func() hash.Hash{"SHA1": sha1.New, "SHA256": sha256.New, "SHA512": sha512.New}
	vectors := []struct {
		unix int64
		code string
		mode string
	}{
		{59, "94287082", "SHA1"}, {59, "46119246", "SHA256"}, {59, "90693936", "SHA512"},
		{1111111109, "07081804", "SHA1"}, {1111111109, "68084774", "SHA256"}, {1111111109, "25091201", "SHA512"},
		{1111111111, "14050471", "SHA1"}, {1111111111, "67062674", "SHA256"}, {1111111111, "99943326", "SHA512"},
		{1234567890, "89005924", "SHA1"}, {1234567890, "91819424", "SHA256"}, {1234567890, "93441116", "SHA512"},
		{2000000000, "69279037", "SHA1"}, {2000000000, "90698825", "SHA256"}, {2000000000, "38618901", "SHA512"},
		{20000000000, "65353130", "SHA1"}, {20000000000, "77737706", "SHA256"}, {20000000000, "47863826", "SHA512"},
	}
	for _, v := range vectors {
		step := TOTPStep(time.Unix(v.unix, 0))
		if got := hotp(seeds[v.mode], uint64(step), 8, hashes[v.mode]); got != v.code {
			t.Errorf("%s at %d: %s; want %s", v.mode, v.unix, got, v.code)
		}
	}
	// The public API (SHA-1, 6 digits) gives the last six digits of the SHA-1 vectors.
	secret := b32NoPad.EncodeToString(seeds["SHA1"])
	for _, v := range vectors {
		if v.mode != "SHA1" {
			continue
		}
		got, err := TOTPCode(secret, time.Unix(v.unix, 0))
		if err != nil || got != v.code[2:] {
			t.Errorf("TOTPCode at %d = %q, %v; want %s", v.unix, got, err, v.code[2:])
		}
	}
}

func TestVerifyTOTPSkewAndReplay(t *testing.T) {
	secret := b32NoPad.EncodeToString([]byte("12345678901234567890"))
	now := time.Unix(1111111111, 0) // step 37037037, code 050471
	cur := TOTPStep(now)
	code := func(step int64) string { return hotp([]byte("12345678901234567890"), uint64(step), 6, sha1.New) }

	tests := []struct {
		name     string
		code     string
		lastUsed int64
		wantStep int64
		wantErr  error
	}{
		{"current step", code(cur), 0, cur, nil},
		{"previous step (slow typing)", code(cur - 1), 0, cur - 1, nil},
		{"next step (phone clock ahead)", code(cur + 1), 0, cur + 1, nil},
		{"two steps behind", code(cur - 2), 0, 0, ErrInvalidCode},
		{"two steps ahead", code(cur + 2), 0, 0, ErrInvalidCode},
		{"replay of same step", code(cur), cur, 0, ErrCodeReused},
		{"older step after newer used", code(cur - 1), cur, 0, ErrCodeReused},
		{"next step after current used", code(cur + 1), cur, cur + 1, nil},
		{"spaces and hyphen typed", code(cur)[:3] + " - " + code(cur)[3:], 0, cur, nil},
		{"wrong code", "000000", 0, 0, ErrInvalidCode},
		{"empty", "", 0, 0, ErrInvalidCode},
		{"5 digits", code(cur)[:5], 0, 0, ErrInvalidCode},
		{"7 digits", code(cur) + "0", 0, 0, ErrInvalidCode},
		{"letters", "12a456", 0, 0, ErrInvalidCode},
		{"unicode digits", "١٢٣٤٥٦", 0, 0, ErrInvalidCode},
		{"NUL", code(cur) + "\x00", 0, 0, ErrInvalidCode},
		{"10KB", strings.Repeat("1", 10*1024), 0, 0, ErrInvalidCode},
		{"invalid UTF-8", "\xff\xfe\xfd", 0, 0, ErrInvalidCode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			step, err := VerifyTOTP(secret, tt.code, now, tt.lastUsed)
			if !errors.Is(err, tt.wantErr) || step != tt.wantStep {
				t.Fatalf("VerifyTOTP = %d, %v; want %d, %v", step, err, tt.wantStep, tt.wantErr)
			}
		})
	}
}

func TestVerifyTOTPBoundaries(t *testing.T) {
	secret, err := GenerateTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	// A code generated at the last second of its window is still accepted
	// 30 s later (next window) but not 60 s + 1 s later.
	gen := time.Unix(1700000009, 0) // 1700000009 % 30 == 29
	c, err := TOTPCode(secret, gen)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyTOTP(secret, c, gen.Add(30*time.Second), 0); err != nil {
		t.Errorf("30 s later: %v", err)
	}
	if _, err := VerifyTOTP(secret, c, gen.Add(61*time.Second), 0); !errors.Is(err, ErrInvalidCode) {
		t.Errorf("61 s later: %v; want ErrInvalidCode", err)
	}
	// Clock before the epoch does not panic.
	if _, err := VerifyTOTP(secret, "123456", time.Unix(-45, 0), 0); !errors.Is(err, ErrInvalidCode) && err != nil {
		t.Errorf("pre-epoch: %v", err)
	}
	if got := TOTPStep(time.Unix(-1, 0)); got != -1 {
		t.Errorf("TOTPStep(-1s) = %d; want -1", got)
	}
}

func TestTOTPSecret(t *testing.T) {
	s, err := GenerateTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != 32 || strings.ContainsAny(s, "=abcdefghijklmnopqrstuvwxyz") {
		t.Fatalf("secret %q: want 32 upper-case base32 characters without padding", s)
	}
	key, err := decodeTOTPSecret(s)
	if err != nil || len(key) != 20 {
		t.Fatalf("decode: %d bytes, %v", len(key), err)
	}
	// The grouped, lower-case form a person might copy decodes the same.
	key2, err := decodeTOTPSecret(strings.ToLower(FormatTOTPSecret(s)))
	if err != nil || !bytes.Equal(key, key2) {
		t.Fatalf("formatted secret decodes differently: %v", err)
	}
	other, _ := GenerateTOTPSecret()
	if other == s {
		t.Fatal("two secrets equal")
	}
	for _, bad := range []string{"", "1", "not base32 !!", "AAAA", "\x00\x00"} {
		if _, err := VerifyTOTP(bad, "123456", time.Now(), 0); !errors.Is(err, ErrBadTOTPSecret) {
			t.Errorf("secret %q: %v; want ErrBadTOTPSecret", bad, err)
		}
	}
}

func TestTOTPURI(t *testing.T) {
	uri := TOTPURI("JBSWY3DPEHPK3PXP", "moderator+nl@example.ca")
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" {
		t.Fatalf("scheme/host = %s/%s", u.Scheme, u.Host)
	}
	if u.Path != "/Missing Persons NL:moderator+nl@example.ca" {
		t.Errorf("label = %q", u.Path)
	}
	q := u.Query()
	for k, want := range map[string]string{"secret": "JBSWY3DPEHPK3PXP", "issuer": "Missing Persons NL", "algorithm": "SHA1", "digits": "6", "period": "30"} {
		if q.Get(k) != want {
			t.Errorf("%s = %q; want %q", k, q.Get(k), want)
		}
	}
	if strings.Contains(uri, "issuer=Missing+Persons") {
		t.Errorf("issuer encoded with '+': %s", uri)
	}
	// A hostile account name cannot inject parameters.
	evil := TOTPURI("JBSWY3DPEHPK3PXP", "x?secret=AAAA&issuer=Evil#")
	eu, err := url.Parse(evil)
	if err != nil {
		t.Fatal(err)
	}
	if eu.Query().Get("secret") != "JBSWY3DPEHPK3PXP" || eu.Query().Get("issuer") != TOTPIssuer || eu.Fragment != "" {
		t.Errorf("account name injected into URI: %s", evil)
	}
}

func TestTOTPQRCodePNG(t *testing.T) {
	uri := TOTPURI("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "admin@example.ca")
	b, err := TOTPQRCodePNG(uri, 256)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if r := img.Bounds(); r.Dx() != 256 || r.Dy() != 256 {
		t.Errorf("size %v; want 256×256", r)
	}
	// Both colours are present (a blank image would decode fine too).
	dark, light := false, false
	for y := 0; y < 256; y += 2 {
		for x := 0; x < 256; x += 2 {
			r, _, _, _ := img.At(x, y).RGBA()
			if r < 0x8000 {
				dark = true
			} else {
				light = true
			}
		}
	}
	if !dark || !light {
		t.Error("QR image is blank")
	}
	for _, size := range []int{0, -5, 10, 5000} {
		if _, err := TOTPQRCodePNG(uri, size); err == nil {
			t.Errorf("size %d accepted", size)
		}
	}
	if _, err := TOTPQRCodePNG(strings.Repeat("x", 10000), 256); err == nil {
		t.Error("content too long for a QR code accepted")
	}
}

// TestTOTPQRCodeScans proves the enrolment image scans back to the exact
// URI, as a phone's authenticator app reads it, using zbarimg (Debian
// zbar-tools, installed by .ci/run).
func TestTOTPQRCodeScans(t *testing.T) {
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Skip("zbarimg not installed (Debian zbar-tools): QR content not decoded")
	}
	uri := TOTPURI("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "admin+mfa@example.ca")
	b, err := TOTPQRCodePNG(uri, 256)
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "qr.png")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(zbar, "--quiet", "--raw", f).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	if got := strings.TrimRight(string(out), "\n"); got != uri {
		t.Fatalf("QR decodes to %q; want %q", got, uri)
	}
}
