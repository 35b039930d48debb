package media

import "image"

// orientedSize is the displayed size of a w×h stored image: orientations
// 5–8 turn the picture a quarter, swapping width and height.
func orientedSize(o, w, h int) (int, int) {
	if o >= 5 && o <= 8 {
		return h, w
	}
	return w, h
}

// orient returns src as it should be displayed under EXIF orientation o.
// For each displayed pixel (x, y) it copies the stored pixel the EXIF
// definition places there (w, h = stored size):
//
//	1 (x, y)          2 mirror:   (w-1-x, y)      3 rotate 180: (w-1-x, h-1-y)
//	4 flip: (x, h-1-y) 5 transpose: (y, x)        6 rotate 90° CW: (y, h-1-x)
//	7 transverse: (w-1-y, h-1-x)                  8 rotate 90° CCW: (w-1-y, x)
//
// It runs on the already-downscaled image (at most 1600 px), so the copy is
// cheap; the full-size decode is never rotated.
func orient(src *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return src
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := orientedSize(o, w, h)
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		drow := dst.Pix[y*dst.Stride : y*dst.Stride+4*dw]
		for x := 0; x < dw; x++ {
			var sx, sy int
			switch o {
			case 2:
				sx, sy = w-1-x, y
			case 3:
				sx, sy = w-1-x, h-1-y
			case 4:
				sx, sy = x, h-1-y
			case 5:
				sx, sy = y, x
			case 6:
				sx, sy = y, h-1-x
			case 7:
				sx, sy = w-1-y, h-1-x
			case 8:
				sx, sy = w-1-y, x
			}
			si := sy*src.Stride + sx*4 // Pix starts at Bounds().Min
			copy(drow[4*x:4*x+4], src.Pix[si:si+4])
		}
	}
	return dst
}
