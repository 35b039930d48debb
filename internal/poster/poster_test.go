package poster

import (
	"bytes"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var sizes = []struct {
	size Size
	info string // pdfinfo's "Page size:" line
}{
	{Letter, "612 x 792 pts (letter)"},
	{A4, "595.28 x 841.89 pts (A4)"},
}

// pdfText is the page's text with white space runs made single spaces, so
// checks do not depend on where pdftotext breaks lines.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	return strings.Join(strings.Fields(run(t, need(t, "pdftotext", "poppler-utils"), "-enc", "UTF-8", path, "-")), " ")
}

func checkOnePage(t *testing.T, path, wantSize string) {
	t.Helper()
	info := run(t, need(t, "pdfinfo", "poppler-utils"), path)
	if !regexp.MustCompile(`(?m)^Pages:\s+1$`).MatchString(info) {
		t.Errorf("not exactly one page:\n%s", info)
	}
	if wantSize != "" && !strings.Contains(info, "Page size:       "+wantSize) {
		t.Errorf("page size is not %q:\n%s", wantSize, info)
	}
}

func TestPosterTextAndPage(t *testing.T) {
	r := newRenderer(t)
	for _, s := range sizes {
		t.Run(s.size.String(), func(t *testing.T) {
			p := sample(testJPEG(t, 600, 800))
			path := render(t, r, p, s.size)
			checkOnePage(t, path, s.info)
			text := pdfText(t, path)
			for _, want := range []string{
				"MISSING", p.Name, "709-555-0142", "2026-004217", p.URL, p.Site,
				"If you have seen this person call 911 or RNC at 709-555-0142, file 2026-004217.",
				"163 cm (5 ft 4 in)", "Small scar above the left eyebrow", "Red winter coat",
				"November 3, 2026 at 21:30, Water Street, St. John's", "Poster made December 4, 2026",
			} {
				if !strings.Contains(text, want) {
					t.Errorf("text lacks %q:\n%s", want, text)
				}
			}
		})
	}
}

// Names print as typed: accents, both apostrophes, and the letters of
// Inuktitut and Inuinnaqtun spelt in Latin script (ŋ, ĸ, ł).
func TestPosterNamesPrint(t *testing.T) {
	r := newRenderer(t)
	for _, name := range []string{
		"Geneviève Côté-Thériault",
		"D’Arcy O'Brien",
		"Ŋiviuq Tuglavi'na Kĸ",
		"Łuka Ikkusik Qaumaŋŋuaq",
		"Zoë Nöel Ç. Françoise",
	} {
		p := sample(nil)
		p.Name = name
		text := pdfText(t, render(t, r, p, Letter))
		if !strings.Contains(text, name) {
			t.Errorf("%q not in text:\n%s", name, text)
		}
	}
}

func TestPosterQRDecodesToCaseURL(t *testing.T) {
	r := newRenderer(t)
	pdftoppm := need(t, "pdftoppm", "poppler-utils")
	zbarimg := need(t, "zbarimg", "zbar-tools")
	for _, s := range sizes {
		t.Run(s.size.String(), func(t *testing.T) {
			p := sample(testJPEG(t, 800, 600))
			p.URL = "https://missing.example.ca/cases/98765?utm_source=poster"
			path := render(t, r, p, s.size)
			prefix := filepath.Join(t.TempDir(), "page")
			run(t, pdftoppm, "-r", "150", "-png", "-singlefile", path, prefix)
			got := strings.TrimSpace(run(t, zbarimg, "--raw", "-q", prefix+".png"))
			if got != p.URL {
				t.Fatalf("QR says %q, want %q", got, p.URL)
			}
		})
	}
}

// Whatever the texts, the poster is one page; long texts end with an
// ellipsis rather than disappear silently.
func TestPosterStaysOnOnePage(t *testing.T) {
	r := newRenderer(t)
	long := strings.Repeat("Tattoo of a compass rose on the right forearm, ", 45)[:2000]
	clothes := strings.Repeat("Navy parka with a fur-trimmed hood, ", 60)[:2000]
	name120 := strings.Repeat("Abcdéfghij ", 11)[:119] + "Z"
	hostile := "\u202Egnp.exe\u202C \x00\x07\x1b[2J 😀🙈 \u200F\u061C مرحبا \ufeff" + strings.Repeat("\u0301", 50)
	huge := strings.Repeat("x", 10<<10)
	cases := []struct {
		name    string
		edit    func(*Poster)
		wantCut bool
	}{
		{"long features and clothing", func(p *Poster) { p.Features, p.Clothing = long, clothes }, true},
		{"120-character name", func(p *Poster) { p.Name = name120 }, false},
		{"no photo", func(p *Poster) { p.Photo = nil }, false},
		{"portrait photo", func(p *Poster) { p.Photo = testJPEG(t, 900, 1600) }, false},
		{"landscape photo", func(p *Poster) { p.Photo = testJPEG(t, 1600, 600) }, false},
		{"tiny photo", func(p *Poster) { p.Photo = testJPEG(t, 1, 1) }, false},
		{"empty fields", func(p *Poster) { *p = Poster{URL: p.URL, Generated: p.Generated} }, false},
		{"hostile texts", func(p *Poster) {
			for _, f := range p.textFields() {
				*f = hostile
			}
			p.URL = "https://missing.example.ca/cases/1"
		}, false},
		{"10 KB everywhere", func(p *Poster) {
			for _, f := range p.textFields() {
				*f = huge
			}
			p.URL = "https://missing.example.ca/cases/1"
		}, true},
	}
	for _, c := range cases {
		for _, s := range sizes {
			t.Run(c.name+"/"+s.size.String(), func(t *testing.T) {
				p := sample(testJPEG(t, 600, 800))
				c.edit(&p)
				path := render(t, r, p, s.size)
				checkOnePage(t, path, s.info)
				text := pdfText(t, path)
				if c.wantCut && !strings.Contains(text, "…") {
					t.Errorf("long text not marked as cut:\n%s", text)
				}
				if !strings.Contains(text, "MISSING") {
					t.Errorf("heading missing:\n%s", text)
				}
				if c.name == "120-character name" && !strings.Contains(text, strings.Join(strings.Fields(name120), " ")) {
					t.Errorf("the whole name should fit on two lines:\n%s", text)
				}
				if strings.ContainsAny(text, "\u202E\u200F\x00\x07\x1b") {
					t.Errorf("control or bidi characters reached the page: %q", text)
				}
			})
		}
	}
}

// textFields lists every free-text field, for hostile-input tests.
func (p *Poster) textFields() []*string {
	return []*string{&p.Name, &p.Age, &p.Sex, &p.Height, &p.Weight, &p.Build, &p.Hair, &p.Eyes,
		&p.Features, &p.Clothing, &p.LastSeen, &p.LastSeenPlace, &p.Agency, &p.Phone, &p.FileNumber, &p.URL, &p.Site}
}

// Tool-free checks, so a machine without poppler still proves the basics.
func TestPosterIsOnePDFPage(t *testing.T) {
	r := newRenderer(t)
	var buf bytes.Buffer
	if err := r.Render(&buf, sample(testJPEG(t, 600, 800)), A4); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", b[:min(len(b), 16)])
	}
	if n := len(regexp.MustCompile(`/Type /Page\b[^s]`).FindAll(b, -1)); n != 1 {
		t.Fatalf("%d page objects, want 1", n)
	}
	if !bytes.Contains(b, []byte("/MediaBox [0 0 595.28 841.89]")) {
		t.Errorf("A4 media box not found")
	}
}

func TestPosterRefusesBadInput(t *testing.T) {
	r := newRenderer(t)
	for name, edit := range map[string]func(*Poster){
		"photo is not a JPEG": func(p *Poster) { p.Photo = []byte("\x89PNG\r\n\x1a\nnot really") },
		"photo is truncated":  func(p *Poster) { p.Photo = testJPEG(t, 100, 100)[:20] },
		"photo too large":     func(p *Poster) { p.Photo = make([]byte, MaxPhotoBytes+1) },
		"no URL":              func(p *Poster) { p.URL = "" },
		"no generation date":  func(p *Poster) { p.Generated = time.Time{} },
		"URL too long for QR": func(p *Poster) { p.URL = "https://x.example/" + strings.Repeat("a", 4000) },
	} {
		t.Run(name, func(t *testing.T) {
			p := sample(nil)
			edit(&p)
			if err := r.Render(io.Discard, p, Letter); err == nil {
				t.Fatal("no error")
			}
		})
	}
	if err := r.Render(io.Discard, sample(nil), Size(7)); err == nil {
		t.Fatal("unknown size accepted")
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]Size{"": Letter, "letter": Letter, "LETTER": Letter, "a4": A4, "A4": A4} {
		got, err := ParseSize(in)
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"a3", "legal", " a4", "a4\x00", strings.Repeat("a", 1000)} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) accepted", in)
		}
	}
}
