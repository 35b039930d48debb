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
// silhouette, in cool colours far from any skin tone: these are obviously
// not photos.
var palette = [][2]color.RGBA{
	{{0xd9, 0xe6, 0xee, 0xff}, {0x5a, 0x72, 0x85, 0xff}}, // slate
	{{0xdc, 0xe8, 0xdc, 0xff}, {0x4f, 0x6b, 0x55, 0xff}}, // spruce
	{{0xe6, 0xdd, 0xe8, 0xff}, {0x65, 0x55, 0x70, 0xff}}, // heather
	{{0xd8, 0xe9, 0xe9, 0xff}, {0x3f, 0x6e, 0x72, 0xff}}, // sea green
	{{0xe3, 0xe3, 0xe8, 0xff}, {0x4a, 0x4e, 0x5c, 0xff}}, // fog
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
	headR := fw * (0.17 + 0.015*float64(n%3))
	headCY := fh * 0.36
	// The body is the top of a wide ellipse whose centre sits below the
	// picture: that gives rounded shoulders.
	bodyRX := fw * (0.46 + 0.03*float64(n%4))
	bodyRY := fh * 0.36
	bodyCY := fh * 1.0
	neckHalf := headR * 0.42
	for y := 0; y < h; y++ {
		fy := float64(y) + 0.5
		for x := 0; x < w; x++ {
			fx := float64(x) + 0.5
			dx, dy := fx-cx, fy-headCY
			inHead := dx*dx+(dy*dy)*0.8 <= headR*headR
			bx, by := dx/bodyRX, (fy-bodyCY)/bodyRY
			inBody := bx*bx+by*by <= 1
			neck := fy > headCY && fy < bodyCY-bodyRY+fh*0.02 && math.Abs(dx) <= neckHalf
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
