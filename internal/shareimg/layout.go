package shareimg

import (
	"fmt"
	"image"
	"image/color"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"lostinnl/internal/typeset"
)

// Geometry in pixels.
const (
	photoW = 504 // the photo panel's width: 4:5, a portrait's shape
	margin = 48  // around the text column
	labelH = 56  // the red MISSING label
	siteH  = 34
	// maxRunes bounds each text before fitting (the name box holds a few
	// hundred characters at most), so 10 KB fields cost nothing extra.
	maxRunes = 600
)

// textArea is where text may be drawn: the picture less the photo panel
// and the margins. Tests check that nothing is drawn outside it.
func textArea(hasPhoto bool) image.Rectangle {
	x0 := margin
	if hasPhoto {
		x0 = photoW + margin
	}
	return image.Rect(x0, margin, Width-margin, Height-margin)
}

func (r *Renderer) draw(s Share) (*image.RGBA, error) {
	canvas := image.NewRGBA(image.Rect(0, 0, Width, Height))
	draw.Draw(canvas, canvas.Bounds(), image.NewUniform(background), image.Point{}, draw.Src)
	hasPhoto := len(s.Photo) > 0
	if hasPhoto {
		photo, err := decodePhoto(s.Photo)
		if err != nil {
			return nil, err
		}
		if err := cover(canvas, image.Rect(0, 0, photoW, Height), photo); err != nil {
			return nil, err
		}
	} else {
		// Without a photo, a red stripe on the left keeps the design an
		// appeal rather than a plain card.
		draw.Draw(canvas, image.Rect(0, 0, 16, Height), image.NewUniform(red), image.Point{}, draw.Src)
	}

	t := &typesetter{fonts: r.fonts, dst: canvas, faces: map[faceKey]font.Face{}}
	defer t.close()
	area := textArea(hasPhoto)
	x, y, w := area.Min.X, area.Min.Y, area.Dx()

	// The MISSING label: white on a red box sized to the words.
	word, since := labels(s)
	label, err := t.face(true, 34)
	if err != nil {
		return nil, err
	}
	lw := min(t.width(label, word), w-40)
	draw.Draw(canvas, image.Rect(x, y, x+lw+40, y+labelH), image.NewUniform(red), image.Point{}, draw.Src)
	if err := t.lines([]string{word}, true, 34, x+20, y+(labelH-34)/2, 1.0, white); err != nil {
		return nil, err
	}
	y += labelH + 28

	// The site's name sits at the bottom; the rest stacks from the top.
	bottom := area.Max.Y - siteH - 12
	// Two lines at the largest name size, four at the smallest: a
	// 120-character name fits whole.
	const nameH = 200
	if s.Name != "" {
		used, err := t.fit(s.Name, true, white, x, y, typeset.Box{Width: float64(w), Height: nameH, MaxSize: 76, MinSize: 36, Step: 2, Leading: 1.2, MaxLines: 4})
		if err != nil {
			return nil, err
		}
		y += used + 18
	}
	if since != "" {
		used, err := t.fit(since, false, soft, x, y, typeset.Box{Width: float64(w), Height: 44, MaxSize: 36, MinSize: 24, Step: 1, Leading: 1.2, MaxLines: 1})
		if err != nil {
			return nil, err
		}
		y += used + 8
	}
	if s.Place != "" && bottom-y >= 30 {
		if _, err := t.fit(s.Place, false, soft, x, y, typeset.Box{Width: float64(w), Height: float64(bottom - y), MaxSize: 32, MinSize: 24, Step: 1, Leading: 1.2, MaxLines: 2}); err != nil {
			return nil, err
		}
	}
	if s.Site != "" {
		if _, err := t.fit(s.Site, true, soft, x, area.Max.Y-siteH, typeset.Box{Width: float64(w), Height: siteH, MaxSize: 26, MinSize: 18, Step: 1, Leading: 1.25, MaxLines: 1}); err != nil {
			return nil, err
		}
	}
	return canvas, nil
}

type faceKey struct {
	bold bool
	size float64
}

// typesetter draws text onto dst, keeping one face per font and size for
// the picture being made (faces are not safe for concurrent use, so they
// are never shared between pictures).
type typesetter struct {
	fonts *typeset.Fonts
	dst   *image.RGBA
	faces map[faceKey]font.Face
	err   error
}

func (t *typesetter) face(bold bool, size float64) (font.Face, error) {
	k := faceKey{bold, size}
	if f, ok := t.faces[k]; ok {
		return f, nil
	}
	src := t.fonts.Regular
	if bold {
		src = t.fonts.Bold
	}
	// At 72 DPI a point is a pixel, so sizes are pixel heights of the em.
	f, err := opentype.NewFace(src, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("shareimg: font face: %w", err)
	}
	t.faces[k] = f
	return f, nil
}

func (t *typesetter) close() {
	for _, f := range t.faces {
		_ = f.Close() // opentype faces release nothing that can fail
	}
}

// width is the horizontal extent of s's ink and advance from the dot: the
// wider of where the pen ends and where the last glyph's ink ends, plus
// any ink left of the dot, so a measured line never draws past its box.
func (t *typesetter) width(f font.Face, s string) int {
	b, adv := font.BoundString(f, s)
	right := max(adv, b.Max.X)
	left := min(0, b.Min.X)
	return (right - left).Ceil()
}

// fit cleans, fits and draws s at (x, y) in box and returns the height used.
func (t *typesetter) fit(s string, bold bool, c color.Color, x, y int, box typeset.Box) (int, error) {
	clean, cut := t.fonts.Clean(s, maxRunes)
	measure := func(s string, size float64) float64 {
		f, err := t.face(bold, size)
		if err != nil {
			t.err = err
			return 0
		}
		return float64(t.width(f, s))
	}
	fit := typeset.Fit(clean, box, measure, cut)
	if t.err != nil {
		return 0, t.err
	}
	if len(fit.Lines) == 0 {
		return 0, nil
	}
	if err := t.lines(fit.Lines, bold, fit.Size, x, y, box.Leading, c); err != nil {
		return 0, err
	}
	return int(float64(len(fit.Lines)) * box.LineHeight(fit.Size)), nil
}

// lines draws lines from the top y, one every size×leading pixels, each
// baseline at the face's ascent below its line's top.
func (t *typesetter) lines(lines []string, bold bool, size float64, x, y int, leading float64, c color.Color) error {
	f, err := t.face(bold, size)
	if err != nil {
		return err
	}
	ascent := f.Metrics().Ascent
	lh := size * leading
	d := font.Drawer{Dst: t.dst, Src: image.NewUniform(c), Face: f}
	for i, line := range lines {
		b, _ := font.BoundString(f, line)
		// Start right of any ink that would fall left of the dot.
		dx := -min(0, b.Min.X)
		d.Dot = fixed.Point26_6{
			X: fixed.I(x) + dx,
			Y: fixed.I(y) + fixed.Int26_6(float64(i)*lh*64) + ascent,
		}
		d.DrawString(line)
	}
	return nil
}
