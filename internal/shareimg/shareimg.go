package shareimg

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"

	"golang.org/x/image/draw"

	"lostinnl/internal/i18n"
	"lostinnl/internal/typeset"
)

// The picture's size, as og:image:width and og:image:height should say.
const (
	Width  = 1200
	Height = 630
)

// Share is what the picture shows. Texts are as the case page shows them.
type Share struct {
	Name         string
	MissingSince string // a date, "November 3, 2026"; printed as "Missing since …"
	Place        string // where last seen
	Site         string // the site's name or address
	// Photo is the primary photo as JPEG bytes (a media variant), or nil.
	Photo []byte
	// Lang is the picture's language: the label and "Missing since" come
	// from its catalog (MissingSince is formatted by the caller in it).
	// Zero is English.
	Lang i18n.Lang
}

// labels are the fixed texts of s's picture in its language: the red
// label and the line under the name.
func labels(s Share) (label, since string) {
	lz := i18n.For(s.Lang)
	label = lz.TC("share image", "MISSING")
	if s.MissingSince != "" {
		since = lz.TC("share image", "Missing since {date}", "date", s.MissingSince)
	}
	return label, since
}

// Limits on the photo, so a caller's mistake (an original upload) cannot
// cost a large decode. Media variants are far below both.
const (
	MaxPhotoBytes  = 8 << 20
	MaxPhotoPixels = 4096 * 4096
)

// Renderer makes share pictures. It holds the parsed fonts: make one at
// start-up and share it; it is safe for concurrent use.
type Renderer struct {
	fonts *typeset.Fonts
}

// New loads the fonts.
func New() (*Renderer, error) {
	f, err := typeset.Load()
	if err != nil {
		return nil, err
	}
	return &Renderer{fonts: f}, nil
}

// Quality of the JPEG: text edges on a flat background show artefacts
// below about 85; above 90 the file grows with no visible gain.
const Quality = 88

// Render writes the picture as a JPEG.
func (r *Renderer) Render(w io.Writer, s Share) error {
	img, err := r.draw(s)
	if err != nil {
		return err
	}
	if err := jpeg.Encode(w, img, &jpeg.Options{Quality: Quality}); err != nil {
		return fmt.Errorf("shareimg: encode: %w", err)
	}
	return nil
}

// Colours: white on a dark blue has a contrast ratio of about 15:1, the
// soft blue-grey about 9:1, and white on the red label about 6:1 — all
// above WCAG's 4.5:1 for small text, so a thumbnail stays readable.
var (
	background = color.RGBA{0x14, 0x21, 0x3d, 0xff}
	white      = color.RGBA{0xff, 0xff, 0xff, 0xff}
	soft       = color.RGBA{0xc9, 0xd3, 0xe3, 0xff}
	red        = color.RGBA{0xbe, 0x14, 0x28, 0xff}
)

// decodePhoto checks the header before decoding any pixel.
func decodePhoto(b []byte) (image.Image, error) {
	if len(b) > MaxPhotoBytes {
		return nil, fmt.Errorf("shareimg: photo of %d bytes is larger than %d; pass a downscaled media variant", len(b), MaxPhotoBytes)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("shareimg: photo is not a JPEG: %w", err)
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width*cfg.Height > MaxPhotoPixels {
		return nil, fmt.Errorf("shareimg: photo of %d×%d pixels is out of range; pass a downscaled media variant", cfg.Width, cfg.Height)
	}
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("shareimg: decode photo: %w", err)
	}
	return img, nil
}

// cover draws src into dst's rectangle r, scaled to fill it without
// distortion: the overflowing side is cropped. Vertically the crop keeps
// more of the top (faces are in the upper part of portraits). Catmull-Rom
// keeps a face sharper than bilinear for about 7 ms more per picture
// (measured), which the per-revision cache pays once.
func cover(dst draw.Image, r image.Rectangle, src image.Image) error {
	sb := src.Bounds()
	sw, sh := sb.Dx(), sb.Dy()
	if sw < 1 || sh < 1 {
		return errors.New("shareimg: empty photo")
	}
	cw, ch := sw, sh
	// Crop to r's aspect ratio: compare sw/sh with r.Dx()/r.Dy() in integers.
	if sw*r.Dy() > r.Dx()*sh {
		cw = max(1, sh*r.Dx()/r.Dy())
	} else {
		ch = max(1, sw*r.Dy()/r.Dx())
	}
	x0 := sb.Min.X + (sw-cw)/2
	y0 := sb.Min.Y + (sh-ch)*3/10
	draw.CatmullRom.Scale(dst, r, src, image.Rect(x0, y0, x0+cw, y0+ch), draw.Src, nil)
	return nil
}
