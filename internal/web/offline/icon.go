package offline

import (
	"image"
	"image/color"
)

// The app icon is drawn here, in code, rather than copied from anywhere:
// the lighthouse of favicon.svg on the site's navy (styles.css --navy),
// sized for a phone's home screen. iconsgen writes the PNGs into the
// embedded static assets; TestIconsMatchDrawing keeps them in step.

// shape is one filled region of the icon in unit coordinates (0..1 from
// the top-left corner), painted in order, later shapes over earlier ones.
type shape struct {
	fill color.RGBA
	// poly is a convex polygon (a rectangle or a triangle here).
	poly [][2]float64
}

var (
	navy  = color.RGBA{0x0b, 0x39, 0x54, 0xff}
	sea   = color.RGBA{0x12, 0x5a, 0x80, 0xff}
	white = color.RGBA{0xff, 0xff, 0xff, 0xff}
	red   = color.RGBA{0xb3, 0x26, 0x1e, 0xff}
	amber = color.RGBA{0xf2, 0xb3, 0x3d, 0xff}
)

func rect(x0, y0, x1, y1 float64, c color.RGBA) shape {
	return shape{fill: c, poly: [][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}}
}

// lighthouse: sea, tower, its red band, the gallery, the roof and the
// beam, on a navy square.
var lighthouse = []shape{
	rect(0.10, 0.78, 0.90, 0.88, sea),
	rect(0.41, 0.33, 0.59, 0.78, white),
	rect(0.41, 0.49, 0.59, 0.57, red),
	rect(0.38, 0.25, 0.62, 0.33, white),
	{fill: red, poly: [][2]float64{{0.38, 0.25}, {0.50, 0.12}, {0.62, 0.25}}},
	{fill: amber, poly: [][2]float64{{0.62, 0.27}, {0.90, 0.17}, {0.90, 0.37}}},
}

// DrawIcon draws the size×size icon. scale shrinks the drawing around the
// centre: 1 for an ordinary icon, about 0.7 for a "maskable" one, whose
// outer edge a phone may crop to a circle (the safe zone is the central
// circle of radius 0.4).
func DrawIcon(size int, scale float64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	const ss = 4 // 4×4 samples per pixel smooth the slanted edges
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var r, g, b int
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/ss) / float64(size)
					y := (float64(py) + (float64(sy)+0.5)/ss) / float64(size)
					// Back to the drawing's own coordinates.
					x = 0.5 + (x-0.5)/scale
					y = 0.5 + (y-0.5)/scale
					c := navy
					for _, s := range lighthouse {
						if inside(s.poly, x, y) {
							c = s.fill
						}
					}
					r += int(c.R)
					g += int(c.G)
					b += int(c.B)
				}
			}
			n := ss * ss
			img.SetRGBA(px, py, color.RGBA{uint8((r + n/2) / n), uint8((g + n/2) / n), uint8((b + n/2) / n), 0xff})
		}
	}
	return img
}

// inside reports whether (x, y) is inside the convex polygon p, given in
// either winding order.
func inside(p [][2]float64, x, y float64) bool {
	sign := 0
	for i := range p {
		a, b := p[i], p[(i+1)%len(p)]
		cross := (b[0]-a[0])*(y-a[1]) - (b[1]-a[1])*(x-a[0])
		switch {
		case cross > 0:
			if sign < 0 {
				return false
			}
			sign = 1
		case cross < 0:
			if sign > 0 {
				return false
			}
			sign = -1
		}
	}
	return true
}

// Icons are the PNG files iconsgen writes into internal/web/kit/static and
// the manifest names: file name, pixel size, scale (see DrawIcon) and the
// manifest's purpose.
var Icons = []struct {
	Name    string
	Size    int
	Scale   float64
	Purpose string
}{
	{"icon-192.png", 192, 1, "any"},
	{"icon-512.png", 512, 1, "any"},
	{"icon-maskable-512.png", 512, 0.7, "maskable"},
}
