package media

import (
	"image"
	"image/color"
	"testing"
)

// TestResampleConstant: every path (pure kernel, box pre-shrink with
// partial edge blocks, crops) keeps a flat colour exactly: the weights of
// every output sample sum to one.
func TestResampleConstant(t *testing.T) {
	c := color.RGBA{37, 141, 203, 255}
	src := image.NewRGBA(image.Rect(0, 0, 1003, 701))
	fill(src, src.Rect, c)
	for _, tc := range []struct {
		sr   image.Rectangle
		w, h int
	}{
		{src.Rect, 1003, 701}, {src.Rect, 800, 560}, {src.Rect, 320, 224}, {src.Rect, 97, 13},
		{image.Rect(100, 50, 900, 470), 400, 210}, {src.Rect, 1, 1},
	} {
		out := resample(src, tc.sr, tc.w, tc.h)
		for y := 0; y < tc.h; y++ {
			for x := 0; x < tc.w; x++ {
				if got := out.RGBAAt(x, y); got != c {
					t.Fatalf("%v→%dx%d: pixel (%d,%d) = %v, want %v", tc.sr, tc.w, tc.h, x, y, got, c)
				}
			}
		}
	}
}

// TestResampleIdentity: same size is an exact copy (no blur on small
// photos that need no reduction).
func TestResampleIdentity(t *testing.T) {
	src := textured(61, 47, 40)
	out := resample(src, src.Rect, 61, 47)
	for i := range src.Pix {
		if src.Pix[i] != out.Pix[i] {
			t.Fatalf("byte %d: %d != %d", i, out.Pix[i], src.Pix[i])
		}
	}
}

// TestResampleEdgePosition: a reduction keeps a black/white edge where it
// was (no half-pixel shift from the box pass).
func TestResampleEdgePosition(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 4000, 100))
	fill(src, src.Rect, color.RGBA{255, 255, 255, 255})
	fill(src, image.Rect(0, 0, 2000, 100), color.RGBA{0, 0, 0, 255})
	out := resample(src, src.Rect, 1600, 40)
	if l, r := out.RGBAAt(798, 20).R, out.RGBAAt(801, 20).R; l > 10 || r < 245 {
		t.Errorf("edge moved: left %d right %d", l, r)
	}
	if mid := int(out.RGBAAt(799, 20).R) + int(out.RGBAAt(800, 20).R); mid < 200 || mid > 310 {
		t.Errorf("edge not centred between 799 and 800: %d + %d", out.RGBAAt(799, 20).R, out.RGBAAt(800, 20).R)
	}
}
