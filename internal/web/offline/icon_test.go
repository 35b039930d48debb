package offline

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// TestIconsMatchDrawing: the PNG icons in the static assets are exactly
// what DrawIcon draws (run iconsgen after changing the drawing).
func TestIconsMatchDrawing(t *testing.T) {
	for _, ic := range Icons {
		f, err := os.Open(filepath.Join("..", "kit", "static", ic.Name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		_ = f.Close()
		if err != nil {
			t.Fatalf("%s: %v", ic.Name, err)
		}
		want := DrawIcon(ic.Size, ic.Scale)
		if img.Bounds() != want.Bounds() {
			t.Fatalf("%s: %v, want %v", ic.Name, img.Bounds(), want.Bounds())
		}
		diff := 0
		for y := 0; y < ic.Size; y++ {
			for x := 0; x < ic.Size; x++ {
				r1, g1, b1, a1 := img.At(x, y).RGBA()
				r2, g2, b2, a2 := want.At(x, y).RGBA()
				if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
					diff++
				}
			}
		}
		if diff > 0 {
			t.Errorf("%s differs from DrawIcon in %d pixels: run go run ./internal/web/offline/iconsgen", ic.Name, diff)
		}
	}
}

// TestDrawIconMaskableSafeZone: in the maskable icon everything but the
// background lies inside the central circle of radius 0.4 that every
// phone's mask keeps.
func TestDrawIconMaskableSafeZone(t *testing.T) {
	const size = 128
	img := DrawIcon(size, Icons[2].Scale)
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			dx := (float64(x)+0.5)/size - 0.5
			dy := (float64(y)+0.5)/size - 0.5
			if dx*dx+dy*dy <= 0.4*0.4 {
				continue
			}
			if c := img.RGBAAt(x, y); c != navy {
				t.Fatalf("pixel (%d,%d) outside the safe zone is %v, not the background", x, y, c)
			}
		}
	}
}
