package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// pdfPage matches one page object of a PDF ("/Type /Pages" is the tree).
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// TestCasePagePrintsAsPoster checks the print stylesheet (issue 4: case
// pages print as a poster): the name, photo, facts and whom to call stay;
// navigation, forms and share buttons go; the poster fits on one or two
// pages of letter paper.
func TestCasePagePrintsAsPoster(t *testing.T) {
	tb := newTab(t)
	s := newSite(t)
	ids := s.seed(seedCases)
	tb.navigate(fmt.Sprintf("%s/cases/%d", s.url, ids["Marigold Bakeapple"]))
	tb.waitFor("the photo", imagesLoaded, "")

	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatalf("emulate print media: %v", err)
	}
	shown := func(sel string) bool {
		t.Helper()
		return eval[bool](tb, fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && getComputedStyle(e).display !== "none" && e.getClientRects().length > 0; })()`, sel))
	}
	for _, sel := range []string{"#case-name", ".primary-photo img", ".call-box", ".facts", ".poster-foot"} {
		if !shown(sel) {
			t.Errorf("printed poster lacks %s", sel)
		}
	}
	for _, sel := range []string{".site-header", ".site-footer", "form[action$=\"/tips\"]", ".share", "nav"} {
		if shown(sel) {
			t.Errorf("printed poster shows %s", sel)
		}
	}
	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}

	res, err := chromedp.Call(tb.ctx, page.PrintToPDF, page.PrintToPDFParams{})
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	if !strings.HasPrefix(string(res.Data), "%PDF-") {
		t.Fatalf("printing gave no PDF (%d bytes)", len(res.Data))
	}
	n := len(pdfPage.FindAllIndex(res.Data, -1))
	if n < 1 || n > 2 {
		t.Errorf("the poster prints on %d pages, want 1 or 2", n)
	}
	file := filepath.Join(artifactDir(t), "case-poster.pdf")
	if err := os.WriteFile(file, res.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("poster: %d page(s), %d bytes, saved to %s", n, len(res.Data), file)
	tb.noPageErrors()
}
