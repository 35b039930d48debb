package shareimg

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/jpeg"
	"io"
	"strings"
	"testing"
)

func TestRenderIsJPEG1200x630(t *testing.T) {
	r := newRenderer(t)
	for name, photo := range map[string][]byte{
		"portrait":  testJPEG(t, 600, 800),
		"landscape": testJPEG(t, 800, 450),
		"tiny":      testJPEG(t, 1, 1),
		"no photo":  nil,
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := r.Render(&buf, sample(photo)); err != nil {
				t.Fatal(err)
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(buf.Bytes()))
			if err != nil || format != "jpeg" {
				t.Fatalf("not a JPEG: %v %q", err, format)
			}
			if cfg.Width != Width || cfg.Height != Height {
				t.Fatalf("size %d×%d", cfg.Width, cfg.Height)
			}
			if _, err := jpeg.Decode(bytes.NewReader(buf.Bytes())); err != nil {
				t.Fatalf("does not decode: %v", err)
			}
			if buf.Len() > 250<<10 {
				t.Errorf("%d bytes: too heavy for a link preview", buf.Len())
			}
		})
	}
}

// diff counts the pixels where a and b differ, and returns the smallest
// rectangle holding them.
func diff(a, b *image.RGBA) (int, image.Rectangle) {
	n := 0
	var box image.Rectangle
	for y := range Height {
		for x := range Width {
			i := a.PixOffset(x, y)
			if !bytes.Equal(a.Pix[i:i+4], b.Pix[i:i+4]) {
				n++
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return n, box
}

// Every text draws something readable-sized, and only inside the text
// area: compare the picture with one where that text is empty.
func TestEachTextIsDrawnInsideTheTextArea(t *testing.T) {
	r := newRenderer(t)
	for _, photo := range [][]byte{testJPEG(t, 600, 800), nil} {
		full, err := r.draw(sample(photo))
		if err != nil {
			t.Fatal(err)
		}
		area := textArea(photo != nil)
		for field, clear := range map[string]func(*Share){
			"name":          func(s *Share) { s.Name = "" },
			"missing since": func(s *Share) { s.MissingSince = "" },
			"place":         func(s *Share) { s.Place = "" },
			"site":          func(s *Share) { s.Site = "" },
		} {
			s := sample(photo)
			clear(&s)
			without, err := r.draw(s)
			if err != nil {
				t.Fatal(err)
			}
			n, box := diff(full, without)
			// The smallest text (the site, 26 px) still covers thousands of
			// pixels; a few hundred would mean it was not really drawn.
			if n < 2000 {
				t.Errorf("photo=%v %s: only %d pixels drawn", photo != nil, field, n)
			}
			if !box.In(area) {
				t.Errorf("photo=%v %s drawn at %v, outside the text area %v", photo != nil, field, box, area)
			}
		}
	}
}

// Whatever the texts, no text pixel lands outside the margins: the text
// column outside the text area keeps the plain background.
func TestLongAndHostileTextsStayInsideTheMargins(t *testing.T) {
	r := newRenderer(t)
	name120 := strings.Repeat("Abcdéfghij ", 11)[:119] + "Z"
	word := strings.Repeat("W", 300)
	hostile := "\u202Egnp.exe\u202C \x00\x07\x1b[2J 😀🙈 \u200F مرحبا \ufeff" + strings.Repeat("\u0301", 50)
	huge := strings.Repeat("Ŋiviuq ĸ ", 10<<10/10)
	cases := map[string]Share{
		"120-character name": {Name: name120, MissingSince: "November 3, 2026", Place: "Water Street, St. John's", Site: "missing.example.ca"},
		"one long word":      {Name: word, MissingSince: word, Place: word, Site: word},
		"hostile":            {Name: hostile, MissingSince: hostile, Place: hostile, Site: hostile},
		"10 KB":              {Name: huge, MissingSince: huge, Place: huge, Site: huge},
		"wide letters":       {Name: strings.Repeat("WM ", 200), MissingSince: strings.Repeat("W", 40), Place: strings.Repeat("MW", 100), Site: strings.Repeat("M", 60)},
	}
	for name, s := range cases {
		for _, photo := range [][]byte{testJPEG(t, 800, 600), nil} {
			s.Photo = photo
			img, err := r.draw(s)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			area := textArea(photo != nil)
			column := image.Rect(area.Min.X-margin, 0, Width, Height)
			if photo == nil {
				column.Min.X = 16 // right of the red stripe
			}
			bad := 0
			for y := column.Min.Y; y < column.Max.Y; y++ {
				for x := column.Min.X; x < column.Max.X; x++ {
					if image.Pt(x, y).In(area) {
						continue
					}
					if img.RGBAAt(x, y) != background {
						bad++
					}
				}
			}
			if bad > 0 {
				t.Errorf("%s (photo=%v): %d pixels drawn in the margins", name, photo != nil, bad)
			}
			// And the name was drawn, hostile or not.
			inside := 0
			for y := area.Min.Y + labelH; y < area.Min.Y+labelH+200; y++ {
				for x := area.Min.X; x < area.Max.X; x++ {
					if img.RGBAAt(x, y) != background {
						inside++
					}
				}
			}
			if inside < 2000 {
				t.Errorf("%s (photo=%v): name area nearly empty (%d pixels)", name, photo != nil, inside)
			}
		}
	}
}

// The photo fills its panel without distortion: the test photo's round
// disc stays round (its width and height in the picture are equal) for a
// portrait, a landscape and a panorama.
func TestPhotoIsCroppedNotStretched(t *testing.T) {
	r := newRenderer(t)
	for _, dim := range [][2]int{{600, 800}, {800, 600}, {1600, 400}, {400, 900}} {
		img, err := r.draw(sample(testJPEG(t, dim[0], dim[1])))
		if err != nil {
			t.Fatal(err)
		}
		dark := func(x, y int) bool { c := img.RGBAAt(x, y); return c.R < 110 && c.G < 110 }
		// The disc is centred horizontally; find its extent across and down.
		cx := photoW / 2
		top, bottom := -1, -1
		for y := range Height {
			if dark(cx, y) {
				if top < 0 {
					top = y
				}
				bottom = y
			}
		}
		if top < 0 {
			t.Fatalf("%v: disc not found", dim)
		}
		cy := (top + bottom) / 2
		left, right := -1, -1
		for x := range photoW {
			if dark(x, cy) {
				if left < 0 {
					left = x
				}
				right = x
			}
		}
		w, h := right-left+1, bottom-top+1
		if d := w - h; d < -4 || d > 4 {
			t.Errorf("%v: disc is %d×%d pixels: stretched", dim, w, h)
		}
		// The panel is filled: no background shows at its corners.
		for _, p := range []image.Point{{0, 0}, {photoW - 1, 0}, {0, Height - 1}, {photoW - 1, Height - 1}} {
			if img.RGBAAt(p.X, p.Y) == background {
				t.Errorf("%v: panel corner %v not covered", dim, p)
			}
		}
	}
}

// hugeHeader is a small JPEG whose frame header claims w×h pixels.
func hugeHeader(t *testing.T, w, h uint16) []byte {
	b := testJPEG(t, 8, 8)
	i := bytes.Index(b, []byte{0xff, 0xc0})
	if i < 0 {
		t.Fatal("no SOF0 marker")
	}
	binary.BigEndian.PutUint16(b[i+5:], h)
	binary.BigEndian.PutUint16(b[i+7:], w)
	return b
}

func TestRefusesBadPhotos(t *testing.T) {
	r := newRenderer(t)
	for name, photo := range map[string][]byte{
		"not a JPEG":       []byte("GIF89a not a jpeg at all"),
		"truncated":        testJPEG(t, 100, 100)[:200],
		"too many bytes":   make([]byte, MaxPhotoBytes+1),
		"too many pixels":  hugeHeader(t, 20000, 20000),
		"header says zero": hugeHeader(t, 0, 10),
	} {
		if err := r.Render(io.Discard, sample(photo)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
