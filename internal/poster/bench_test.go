package poster

import (
	"bytes"
	"image"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"testing"
)

// noisyJPEG is a w×h photo-like JPEG: mild noise over a gradient makes it
// compress about like a real photo (a 12-megapixel one is a few megabytes).
func noisyJPEG(b testing.TB, w, h int) []byte {
	b.Helper()
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	rng := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			img.Y[y*img.YStride+x] = uint8(40 + 150*x/w + 40*y/h + rng.IntN(20))
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = uint8(100+rng.IntN(56)), uint8(100+rng.IntN(56))
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 82}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func benchPoster(b *testing.B, w, h int) {
	r := newRenderer(b)
	p := sample(nil)
	if w > 0 {
		p.Photo = noisyJPEG(b, w, h)
	}
	var size int
	b.ReportAllocs()
	for b.Loop() {
		cw := &countWriter{}
		if err := r.Render(cw, p, Letter); err != nil {
			b.Fatal(err)
		}
		size = cw.n
	}
	b.ReportMetric(float64(len(p.Photo))/1e3, "photo-kB")
	b.ReportMetric(float64(size)/1e3, "pdf-kB")
}

// The 800-pixel variant: a quarter of the bytes, about 180 dpi in print.
func BenchmarkPosterVariant800(b *testing.B) { benchPoster(b, 800, 600) }

// The 1600-pixel variant is what the web layer passes (about 350 dpi).
func BenchmarkPosterVariant1600(b *testing.B) { benchPoster(b, 1600, 1200) }

// A 12-megapixel original passed as it is, for comparison: the JPEG is
// embedded without decoding, so time grows only with the bytes copied.
func BenchmarkPoster12MP(b *testing.B) { benchPoster(b, 4000, 3000) }

func BenchmarkPosterNoPhoto(b *testing.B) { benchPoster(b, 0, 0) }

type countWriter struct{ n int }

func (c *countWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)
