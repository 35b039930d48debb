package e2e

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// imagesLoaded is true once every image in the page has finished (loaded
// or failed), so a screenshot does not catch a half-drawn page.
const imagesLoaded = `document.readyState === "complete" && Array.from(document.images).filter(i => i.loading !== "lazy").every(i => i.complete)`

func TestScreenshotsAreNotBlank(t *testing.T) {
	tb := newTab(t)
	s := newSite(t)
	ids := s.seed(seedCases)
	dir := artifactDir(t)

	pages := []struct{ name, path string }{
		{"home", "/"},
		{"listings", "/cases"},
		{"case", fmt.Sprintf("/cases/%d", ids["Tobias Tuckamore"])},
	}
	for _, vp := range []struct {
		name string
		w, h int64
	}{{"desktop", 1280, 900}, {"phone", 375, 667}} {
		tb.do("set viewport", chromedp.EmulateViewport(vp.w, vp.h))
		for _, p := range pages {
			tb.navigate(s.url + p.path)
			tb.waitFor(p.name+" fully drawn", imagesLoaded, "")
			buf, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatalf("screenshot %s: %v", p.name, err)
			}
			file := filepath.Join(dir, p.name+"-"+vp.name+".png")
			if err := os.WriteFile(file, buf, 0o644); err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(buf))
			if err != nil {
				t.Fatalf("%s: screenshot is not a PNG: %v", file, err)
			}
			b := img.Bounds()
			if b.Dx() < int(vp.w) || b.Dy() < int(vp.h) {
				t.Errorf("%s: screenshot is %dx%d, want at least %dx%d", file, b.Dx(), b.Dy(), vp.w, vp.h)
			}
			distinct, topShare := colourStats(img)
			// A real page has text (anti-aliased: dozens of greys), a
			// header and images; a blank or error-white page has a
			// handful of colours and one covering nearly everything.
			if distinct < 64 || topShare > 0.95 {
				t.Errorf("%s looks blank: %d distinct colours, the commonest covers %.1f%% (saved to %s)", p.name+"-"+vp.name, distinct, 100*topShare, file)
			}
			t.Logf("%s: %d distinct colours, commonest %.1f%%", filepath.Base(file), distinct, 100*topShare)
		}
	}
	tb.noPageErrors()
}

// colourStats counts the distinct colours of img and the share of pixels
// taken by the most common one.
func colourStats(img image.Image) (distinct int, topShare float64) {
	counts := map[uint32]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			counts[(r>>8)<<16|(g>>8)<<8|bl>>8]++
		}
	}
	top := 0
	for _, n := range counts {
		top = max(top, n)
	}
	total := b.Dx() * b.Dy()
	if total == 0 {
		return 0, 1
	}
	return len(counts), float64(top) / float64(total)
}
