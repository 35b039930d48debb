package poster

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func newRenderer(t testing.TB) *Renderer {
	t.Helper()
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// testJPEG is a w×h JPEG of a soft gradient with a dark figure, encoded
// as the media pipeline encodes its variants.
func testJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{uint8(120 + 100*x/w), uint8(140 + 80*y/h), 200, 255}
			dx, dy := x-w/2, y-h/2
			if dx*dx+dy*dy < (min(w, h)/4)*(min(w, h)/4) {
				c = color.RGBA{60, 40, 30, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sample is a fictional case.
func sample(photo []byte) Poster {
	return Poster{
		Name:          "Marie-Ève Côté-Thériault",
		Age:           "17",
		Sex:           "Female",
		Height:        "163 cm (5 ft 4 in)",
		Weight:        "54 kg (119 lb)",
		Build:         "Slim",
		Hair:          "Brown, shoulder length",
		Eyes:          "Green",
		Features:      "Small scar above the left eyebrow; pierced ears.",
		Clothing:      "Red winter coat, black jeans, white sneakers, grey toque.",
		LastSeen:      "November 3, 2026 at 21:30",
		LastSeenPlace: "Water Street, St. John's",
		Agency:        "RNC",
		Phone:         "709-555-0142",
		FileNumber:    "2026-004217",
		URL:           "https://missing.example.ca/cases/4217",
		Site:          "missing.example.ca",
		Generated:     time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC),
		Photo:         photo,
	}
}

// need returns the path of a Debian tool, or skips the test naming the
// package that has it (CI installs them; see .ci/run).
func need(t *testing.T, tool, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		t.Skipf("%s is not installed (Debian package %s): this check did not run", tool, pkg)
	}
	return p
}

func render(t *testing.T, r *Renderer, p Poster, size Size) string {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Render(&buf, p, size); err != nil {
		t.Fatalf("Render: %v", err)
	}
	path := filepath.Join(t.TempDir(), "poster.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// run returns the tool's standard output; its standard error (zbarimg
// complains there about a missing D-Bus) only shows when it fails.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.Bytes())
	}
	return string(out)
}
