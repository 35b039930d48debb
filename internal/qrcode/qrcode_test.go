package qrcode

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// scan decodes a PNG with zbarimg (Debian zbar-tools), as a phone would
// read the code; the test is skipped where zbarimg is not installed.
func scan(t *testing.T, b []byte) string {
	t.Helper()
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Skip("zbarimg not installed (Debian zbar-tools): QR content not decoded")
	}
	f := filepath.Join(t.TempDir(), "qr.png")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(zbar, "--quiet", "--raw", f).Output()
	if err != nil {
		t.Fatalf("zbarimg could not read the code: %v", err)
	}
	return strings.TrimSuffix(string(out), "\n")
}

func TestPNGScansBackAtEveryLevel(t *testing.T) {
	contents := []string{
		"https://lostinnl.example.ca/missing/2026-0042",
		"otpauth://totp/LostInNL:admin%40example.ca?algorithm=SHA1&digits=6&issuer=LostInNL&period=30&secret=JBSWY3DPEHPK3PXP",
		"0123456789",                  // numeric mode
		"CASE 2026-42",                // alphanumeric mode
		"Île d'Orléans — Baie-Comeau", // UTF-8 in byte mode
	}
	for _, level := range []Level{Low, Medium, Quartile, High} {
		for _, c := range contents {
			b, err := PNG(c, 300, level)
			if err != nil {
				t.Fatalf("level %d, %q: %v", level, c, err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if r := img.Bounds(); r.Dx() != 300 || r.Dy() != 300 {
				t.Fatalf("size %v; want 300×300", r)
			}
			if got := scan(t, b); got != c {
				t.Fatalf("level %d: decodes to %q; want %q", level, got, c)
			}
		}
	}
}

// moduleCount measures the symbol from its top-left finder pattern, which
// is 7 modules wide: the first dark run on the first dark row.
func moduleCount(t *testing.T, img *image.Paletted) (modules, scale, origin int) {
	t.Helper()
	size := img.Bounds().Dx()
	for y := range size {
		for x := range size {
			if img.ColorIndexAt(x, y) != 1 {
				continue
			}
			run := 0
			for x+run < size && img.ColorIndexAt(x+run, y) == 1 {
				run++
			}
			if run%7 != 0 {
				t.Fatalf("finder pattern %d pixels wide: modules are not whole pixels", run)
			}
			scale = run / 7
			// The symbol is square and centred: its width is what is left
			// after the left margin on both sides.
			return (size - 2*x) / scale, scale, x
		}
	}
	t.Fatal("blank image")
	return
}

func TestLevelAndQuietZone(t *testing.T) {
	const c = "https://lostinnl.example.ca/missing/2026-0042"
	var prev int
	for _, level := range []Level{Low, Medium, Quartile, High} {
		img, err := Image(c, 400, level)
		if err != nil {
			t.Fatal(err)
		}
		n, scale, origin := moduleCount(t, img)
		if (n-17)%4 != 0 || n < 21 {
			t.Fatalf("level %d: %d modules is not a QR symbol size", level, n)
		}
		// More error correction for the same content needs a larger symbol
		// (or the same one when the smaller level left room).
		if n < prev {
			t.Fatalf("level %d: %d modules, fewer than the level below (%d)", level, n, prev)
		}
		prev = n
		if origin < QuietZone*scale {
			t.Fatalf("level %d: quiet zone %d px, want at least %d", level, origin, QuietZone*scale)
		}
	}
	// prev is now High's size; this content needs a larger symbol at High
	// than at Low, so a level that is ignored shows here.
	low, _ := Image(c, 400, Low)
	if nl, _, _ := moduleCount(t, low); nl == prev {
		t.Fatalf("Low and High give the same %d-module symbol: the level is ignored", nl)
	}
}

func TestBadInput(t *testing.T) {
	secret := "otpauth://totp/x?secret=" + strings.Repeat("JBSWY3DPEHPK3PXP", 300)
	_, err := PNG(secret, 256, Medium)
	if !errors.Is(err, ErrTooLong) {
		t.Fatalf("content past version 40: err = %v, want ErrTooLong", err)
	}
	if strings.Contains(err.Error(), "JBSWY3DP") {
		t.Fatalf("error repeats the content: %v", err)
	}
	// 21 modules plus the quiet zone need 29 pixels.
	if _, err := PNG("x", 28, Low); err == nil || !strings.Contains(err.Error(), "at least 29") {
		t.Fatalf("too small: err = %v", err)
	}
	if _, err := PNG("x", 29, Low); err != nil {
		t.Fatalf("smallest size: %v", err)
	}
	for _, size := range []int{0, -1, MaxSize + 1} {
		if _, err := PNG("x", size, Low); err == nil {
			t.Errorf("size %d accepted", size)
		}
	}
	if _, err := PNG("x", 100, Level(9)); err == nil {
		t.Error("unknown level accepted")
	}
}
