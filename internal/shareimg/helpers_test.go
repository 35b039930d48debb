package shareimg

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

func newRenderer(t testing.TB) *Renderer {
	t.Helper()
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// testJPEG is a w×h JPEG: a light gradient with a dark disc in the middle,
// so crops and scaling can be checked by where the disc lands.
func testJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := min(w, h) / 4
	for y := range h {
		for x := range w {
			c := color.RGBA{uint8(150 + 100*x/w), uint8(160 + 80*y/h), 210, 255}
			if dx, dy := x-w/2, y-h/2; dx*dx+dy*dy < r*r {
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

func sample(photo []byte) Share {
	return Share{
		Name:         "Marie-Ève Côté-Thériault",
		MissingSince: "November 3, 2026",
		Place:        "Water Street, St. John's",
		Site:         "missing.example.ca",
		Photo:        photo,
	}
}
