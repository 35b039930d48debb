package demo

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/draw"
	"math"

	"lostinnl/internal/media"
	"lostinnl/internal/store"
)

// palette pairs (background, figure) with enough contrast to read as a
// silhouette and no skin tones: these are obviously not photos.
var palette = [][2]color.RGBA{
	{{0xd9, 0xe6, 0xee, 0xff}, {0x5a, 0x72, 0x85, 0xff}},
	{{0xe8, 0xe2, 0xd4, 0xff}, {0x6b, 0x5d, 0x4a, 0xff}},
	{{0xdc, 0xe8, 0xdc, 0xff}, {0x4f, 0x6b, 0x55, 0xff}},
	{{0xe6, 0xdd, 0xe8, 0xff}, {0x65, 0x55, 0x70, 0xff}},
	{{0xf0, 0xe4, 0xd8, 0xff}, {0x80, 0x5c, 0x45, 0xff}},
}

// Silhouette draws a head-and-shoulders placeholder of w×h pixels. n picks
// the colours and small variations so demo cards do not all look alike.
func Silhouette(n, w, h int) image.Image {
	if n < 0 {
		n = -n
	}
	pal := palette[n%len(palette)]
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), &image.Uniform{pal[0]}, image.Point{}, draw.Src)
	fw, fh := float64(w), float64(h)
	cx := fw / 2
	headR := fw * (0.18 + 0.02*float64(n%3))
	headCY := fh * 0.36
	shoulderTop := fh * 0.62
	shoulderW := fw * (0.36 + 0.03*float64(n%4))
	for y := 0; y < h; y++ {
		fy := float64(y) + 0.5
		for x := 0; x < w; x++ {
			fx := float64(x) + 0.5
			dx, dy := fx-cx, fy-headCY
			inHead := dx*dx+(dy*dy)*0.85 <= headR*headR
			inBody := false
			if fy >= shoulderTop {
				// An ellipse top that widens into the shoulders.
				t := math.Min(1, (fy-shoulderTop)/(fh*0.18))
				half := shoulderW * (0.55 + 0.45*math.Sqrt(t))
				inBody = math.Abs(dx) <= half
			}
			neck := fy > headCY && fy < shoulderTop+2 && math.Abs(dx) <= headR*0.45
			if inHead || inBody || neck {
				img.SetRGBA(x, y, pal[1])
			}
		}
	}
	return img
}

// MediaPortraits stores demo portraits through the real photo pipeline and
// bucket, exactly like an upload: the seam the lead wires for --demo.
func MediaPortraits(p *media.Pipeline, b *media.Bucket) PortraitFunc {
	return func(ctx context.Context, jpegData []byte) (store.Photo, error) {
		processed, err := p.Process(ctx, bytes.NewReader(jpegData))
		if err != nil {
			return store.Photo{}, err
		}
		key, err := b.Put(ctx, processed)
		if err != nil {
			return store.Photo{}, err
		}
		// Photo.Width/Height describe the largest variant.
		ph := store.Photo{Key: key, Width: processed.Width, Height: processed.Height}
		if v, ok := processed.Variant(media.VariantLarge); ok {
			ph.Width, ph.Height = v.Width, v.Height
		}
		return ph, nil
	}
}
