package media

import "image"

// Sizes of the variants. The social crop matches the 1.91:1 preview that
// Facebook, X and most messengers show for og:image.
const (
	socialW = 1200
	socialH = 630
)

// fitLong scales w×h so the long side is at most n, keeping the aspect
// ratio. It never enlarges: an upscaled photo only adds bytes and blur.
func fitLong(w, h, n int) (int, int) {
	if w <= n && h <= n {
		return w, h
	}
	if w >= h {
		return n, max(1, (h*n+w/2)/w)
	}
	return max(1, (w*n+h/2)/h), n
}

// socialCrop is the largest socialW:socialH rectangle inside a w×h image.
// Horizontally it is centred. Vertically it sits a quarter of the way down
// the spare height rather than in the middle: the photos are mostly
// portraits, and a centred 1.91:1 band across a portrait cuts through the
// face or chin, while a band biased upwards keeps the head.
func socialCrop(w, h int) image.Rectangle {
	if w*socialH > h*socialW { // wider than 1.91:1: full height, trim the sides
		cw := max(1, (h*socialW+socialH/2)/socialH)
		x := (w - cw) / 2
		return image.Rect(x, 0, x+cw, h)
	}
	ch := max(1, (w*socialH+socialW/2)/socialW)
	y := (h - ch) / 4
	return image.Rect(0, y, w, y+ch)
}

// VariantSize returns the pixel size of a variant given the size of the
// VariantLarge ("1600") variant, which is what store.Photo records. The
// pipeline derives every other variant from the large one with exactly these
// rules, so the result is exact: use it for width/height attributes and
// srcset descriptors. ok is false for an unknown variant name.
func VariantSize(variant string, largeW, largeH int) (w, h int, ok bool) {
	switch variant {
	case VariantLarge:
		return largeW, largeH, true
	case VariantMedium:
		w, h = fitLong(largeW, largeH, 800)
		return w, h, true
	case VariantSmall:
		w, h = fitLong(largeW, largeH, 320)
		return w, h, true
	case VariantSocial:
		r := socialCrop(largeW, largeH)
		if r.Dx() > socialW { // scale the crop down to exactly 1200×630
			return socialW, socialH, true
		}
		return r.Dx(), r.Dy(), true
	}
	return 0, 0, false
}
