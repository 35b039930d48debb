package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

func newTestPipeline() *Pipeline { return NewPipeline(Config{}, nil) }

func decodeVariant(t *testing.T, v Variant) image.Image {
	t.Helper()
	if v.ContentType != "image/jpeg" {
		t.Fatalf("%s: content type %q", v.Name, v.ContentType)
	}
	m, err := jpeg.Decode(bytes.NewReader(v.Data))
	if err != nil {
		t.Fatalf("%s: output does not decode: %v", v.Name, err)
	}
	if b := m.Bounds(); b.Dx() != v.Width || b.Dy() != v.Height {
		t.Fatalf("%s: declared %dx%d, actual %v", v.Name, v.Width, v.Height, b)
	}
	return m
}

func near(c color.Color, want color.RGBA) bool {
	r, g, b, _ := c.RGBA()
	d := func(a uint32, b uint8) int { x := int(a>>8) - int(b); return x * x }
	return d(r, want.R)+d(g, want.G)+d(b, want.B) < 3*40*40
}

// TestOrientationUpright stores a picture with distinct corners under each
// EXIF orientation and checks where each corner is displayed. The expected
// places come straight from the TIFF/EXIF table ("the 0th row is the visual
// <side>, the 0th column is the visual <side>"), not from the code under
// test's own mapping.
func TestOrientationUpright(t *testing.T) {
	const w, h = 96, 48
	red := color.RGBA{255, 0, 0, 255}      // stored row 0, column 0
	green := color.RGBA{0, 200, 0, 255}    // stored row 0, last column
	blue := color.RGBA{0, 0, 255, 255}     // stored last row, column 0
	yellow := color.RGBA{250, 250, 0, 255} // stored last row, last column
	stored := image.NewRGBA(image.Rect(0, 0, w, h))
	fill(stored, stored.Rect, color.RGBA{128, 128, 128, 255})
	fill(stored, image.Rect(0, 0, w/4, h/4), red)
	fill(stored, image.Rect(w-w/4, 0, w, h/4), green)
	fill(stored, image.Rect(0, h-h/4, w/4, h), blue)
	fill(stored, image.Rect(w-w/4, h-h/4, w, h), yellow)

	opposite := map[string]string{"top": "bottom", "bottom": "top", "left": "right", "right": "left"}
	table := map[int][2]string{ // orientation → visual side of row 0, of column 0
		1: {"top", "left"}, 2: {"top", "right"}, 3: {"bottom", "right"}, 4: {"bottom", "left"},
		5: {"left", "top"}, 6: {"right", "top"}, 7: {"right", "bottom"}, 8: {"left", "bottom"},
	}
	// corner returns a sample point just inside the corner where two sides meet.
	corner := func(a, b string, dw, dh int) image.Point {
		p := image.Point{X: 4, Y: 4}
		for _, s := range []string{a, b} {
			switch s {
			case "right":
				p.X = dw - 5
			case "bottom":
				p.Y = dh - 5
			}
		}
		return p
	}

	p := newTestPipeline()
	for o := 1; o <= 8; o++ {
		for _, bo := range []byteOrder{binary.BigEndian, binary.LittleEndian} {
			file := insertAfterSOI(encJPEG(t, stored, 95), exifAPP1(o, false, bo))
			res, err := p.Process(context.Background(), bytes.NewReader(file))
			if err != nil {
				t.Fatalf("orientation %d: %v", o, err)
			}
			dw, dh := w, h
			if o >= 5 {
				dw, dh = h, w
			}
			if res.Width != dw || res.Height != dh {
				t.Fatalf("orientation %d: upright size %dx%d, want %dx%d", o, res.Width, res.Height, dw, dh)
			}
			v, _ := res.Variant(VariantLarge)
			m := decodeVariant(t, v)
			row0, col0 := table[o][0], table[o][1]
			want := []struct {
				name string
				at   image.Point
				c    color.RGBA
			}{
				{"row0/col0", corner(row0, col0, dw, dh), red},
				{"row0/colN", corner(row0, opposite[col0], dw, dh), green},
				{"rowN/col0", corner(opposite[row0], col0, dw, dh), blue},
				{"rowN/colN", corner(opposite[row0], opposite[col0], dw, dh), yellow},
			}
			for _, c := range want {
				if got := m.At(c.at.X, c.at.Y); !near(got, c.c) {
					t.Errorf("orientation %d (%v): %s at %v is %v, want %v", o, bo, c.name, c.at, got, c.c)
				}
			}
		}
	}
}

// TestOrientationOtherContainers: PNG eXIf and WebP EXIF chunks are honoured
// too, since viewers apply them and the uploader saw the photo that way.
func TestOrientationOtherContainers(t *testing.T) {
	p := newTestPipeline()
	// PNG, 40×20 stored, orientation 6 → 20×40 upright.
	src := image.NewRGBA(image.Rect(0, 0, 40, 20))
	fill(src, src.Rect, color.RGBA{10, 20, 30, 255})
	pngData := encPNG(t, src)
	// insert eXIf after IHDR (8 signature + 25 IHDR bytes)
	withExif := append(append(append([]byte{}, pngData[:33]...), pngChunk("eXIf", tiffEXIF(6, false, binary.BigEndian))...), pngData[33:]...)
	res, err := p.Process(context.Background(), bytes.NewReader(withExif))
	if err != nil {
		t.Fatal(err)
	}
	if res.Width != 20 || res.Height != 40 || res.Format != FormatPNG {
		t.Errorf("png eXIf: %s %dx%d, want png 20x40", res.Format, res.Width, res.Height)
	}

	webp := webpSolid(40, 20, color.NRGBA{200, 10, 10, 255}, append([]byte("Exif\x00\x00"), tiffEXIF(8, false, binary.LittleEndian)...))
	res, err = p.Process(context.Background(), bytes.NewReader(webp))
	if err != nil {
		t.Fatal(err)
	}
	if res.Width != 20 || res.Height != 40 || res.Format != FormatWebP {
		t.Errorf("webp EXIF: %s %dx%d, want webp 20x40", res.Format, res.Width, res.Height)
	}
	v, _ := res.Variant(VariantSmall)
	if c := decodeVariant(t, v).At(10, 20); !near(c, color.RGBA{200, 10, 10, 255}) {
		t.Errorf("webp colour %v", c)
	}
}

// TestMetadataStripped: a phone-like JPEG with EXIF GPS, an XMP packet, an
// ICC profile and a comment comes out with none of them: the only segments
// before the scan are the ones image/jpeg writes itself.
func TestMetadataStripped(t *testing.T) {
	src := textured(640, 480, 1)
	file := insertAfterSOI(encJPEG(t, src, 90),
		exifAPP1(1, true, binary.BigEndian),
		jpegSegment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>XMPMARKER</x:xmpmeta>")),
		jpegSegment(0xE2, append([]byte("ICC_PROFILE\x00\x01\x01"), bytes.Repeat([]byte("ICCMARKER"), 20)...)),
		jpegSegment(0xFE, []byte("COMMENTMARKER taken at 47.55N")),
	)
	if !bytes.Contains(file, []byte("GPSMARKER")) || jpegEXIF(file) == nil {
		t.Fatal("test input lacks its EXIF GPS block")
	}
	res, err := newTestPipeline().Process(context.Background(), bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Variants) != 4 {
		t.Fatalf("got %d variants", len(res.Variants))
	}
	for _, v := range res.Variants {
		for _, m := range jpegSegments(t, v.Data) {
			switch {
			case m >= 0xE0 && m <= 0xEF:
				t.Errorf("%s: APP%d segment in output", v.Name, m-0xE0)
			case m == 0xFE:
				t.Errorf("%s: COM segment in output", v.Name)
			}
		}
		for _, s := range []string{"Exif", "GPSMARKER", "XMPMARKER", "ICC_PROFILE", "ICCMARKER", "COMMENTMARKER"} {
			if bytes.Contains(v.Data, []byte(s)) {
				t.Errorf("%s: output contains %q", v.Name, s)
			}
		}
	}
}

func TestVariantSizes(t *testing.T) {
	p := newTestPipeline()
	cases := []struct {
		name string
		w, h int
		want map[string][2]int
	}{
		{"landscape", 1700, 1275, map[string][2]int{"1600": {1600, 1200}, "800": {800, 600}, "320": {320, 240}, "social": {1200, 630}}},
		{"portrait", 1275, 1700, map[string][2]int{"1600": {1200, 1600}, "800": {600, 800}, "320": {240, 320}, "social": {1200, 630}}},
		{"small, never upscaled", 500, 300, map[string][2]int{"1600": {500, 300}, "800": {500, 300}, "320": {320, 192}, "social": {500, 263}}},
		{"panorama", 3200, 400, map[string][2]int{"1600": {1600, 200}, "800": {800, 100}, "320": {320, 40}, "social": {381, 200}}},
		{"1x1", 1, 1, map[string][2]int{"1600": {1, 1}, "800": {1, 1}, "320": {1, 1}, "social": {1, 1}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := p.Process(context.Background(), bytes.NewReader(encJPEG(t, gradient(c.w, c.h), 85)))
			if err != nil {
				t.Fatal(err)
			}
			if res.Width != c.w || res.Height != c.h {
				t.Errorf("source size %dx%d", res.Width, res.Height)
			}
			names := []string{}
			large, _ := res.Variant(VariantLarge)
			for _, v := range res.Variants {
				names = append(names, v.Name)
				decodeVariant(t, v)
				if got := [2]int{v.Width, v.Height}; got != c.want[v.Name] {
					t.Errorf("%s: %v, want %v", v.Name, got, c.want[v.Name])
				}
				w, h, ok := VariantSize(v.Name, large.Width, large.Height)
				if !ok || w != v.Width || h != v.Height {
					t.Errorf("VariantSize(%s) = %d,%d, pipeline made %d,%d", v.Name, w, h, v.Width, v.Height)
				}
			}
			if len(names) != 4 || names[0] != "320" || names[3] != "social" {
				t.Errorf("variant order %v", names)
			}
		})
	}
}

// TestTransparencyOnWhite: JPEG has no alpha; transparent areas of a PNG,
// GIF or WebP must become white, not black.
func TestTransparencyOnWhite(t *testing.T) {
	m := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for y := 0; y < 64; y++ {
		for x := 32; x < 64; x++ {
			m.SetNRGBA(x, y, color.NRGBA{0, 0, 200, 255})
		}
	}
	pal := image.NewPaletted(m.Rect, color.Palette{color.Transparent, color.RGBA{0, 0, 200, 255}})
	for y := 0; y < 64; y++ {
		for x := 32; x < 64; x++ {
			pal.SetColorIndex(x, y, 1)
		}
	}
	inputs := map[string][]byte{
		"png":  encPNG(t, m),
		"gif":  encGIF(t, pal),
		"webp": webpSolid(64, 64, color.NRGBA{0, 0, 0, 0}, nil),
	}
	for name, file := range inputs {
		res, err := newTestPipeline().Process(context.Background(), bytes.NewReader(file))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		v, _ := res.Variant(VariantLarge)
		img := decodeVariant(t, v)
		if c := img.At(8, 32); !near(c, color.RGBA{255, 255, 255, 255}) {
			t.Errorf("%s: transparent area came out %v, want white", name, c)
		}
		if name != "webp" {
			if c := img.At(56, 32); !near(c, color.RGBA{0, 0, 200, 255}) {
				t.Errorf("%s: opaque area came out %v", name, c)
			}
		}
	}
}

// TestAnimatedGIFFirstFrame: only the first frame is used.
func TestAnimatedGIFFirstFrame(t *testing.T) {
	pal := color.Palette{color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}}
	f1 := image.NewPaletted(image.Rect(0, 0, 20, 20), pal) // all red (index 0)
	f2 := image.NewPaletted(image.Rect(0, 0, 20, 20), pal)
	for i := range f2.Pix {
		f2.Pix[i] = 1 // all blue
	}
	var b bytes.Buffer
	if err := gifEncodeAll(&b, f1, f2); err != nil {
		t.Fatal(err)
	}
	res, err := newTestPipeline().Process(context.Background(), &b)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := res.Variant(VariantSmall)
	if c := decodeVariant(t, v).At(10, 10); !near(c, color.RGBA{255, 0, 0, 255}) {
		t.Errorf("animated GIF: got %v, want the first (red) frame", c)
	}
}

func TestErrorsAreTyped(t *testing.T) {
	e := newError(ErrTooLarge, "larger than 10 MB", nil)
	var err error = e
	if !errors.Is(err, ErrTooLarge) || errors.Is(err, ErrCorrupt) {
		t.Error("errors.Is must match by reason only")
	}
	if ReasonOf(err) != ReasonSize || ReasonOf(nil) != "ok" || ReasonOf(errors.New("x")) != "error" {
		t.Error("ReasonOf")
	}
	if e.Message() != "larger than 10 MB" {
		t.Errorf("message %q", e.Message())
	}
}
