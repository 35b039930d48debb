package shareimg

import (
	"bytes"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"testing"
)

// photoJPEG compresses about like a real photo: mild noise over a gradient.
func photoJPEG(b testing.TB, w, h int) []byte {
	b.Helper()
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	rng := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			img.Y[y*img.YStride+x] = uint8(40 + 150*x/w + 40*y/h + rng.IntN(20))
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = uint8(110+rng.IntN(20)), uint8(120+rng.IntN(20))
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 82}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func benchShare(b *testing.B, w, h int) {
	r := newRenderer(b)
	s := sample(nil)
	if w > 0 {
		s.Photo = photoJPEG(b, w, h)
	}
	var out bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		if err := r.Render(&out, s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(out.Len())/1e3, "jpeg-kB")
}

// The medium variant (800 px on the long side) is what the web layer passes.
func BenchmarkShareVariant800(b *testing.B)  { benchShare(b, 600, 800) }
func BenchmarkShareVariant1600(b *testing.B) { benchShare(b, 1200, 1600) }
func BenchmarkShareNoPhoto(b *testing.B)     { benchShare(b, 0, 0) }
