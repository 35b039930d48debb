package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestWebShareButton: the Share button appears only where the browser has
// the Web Share API and hands the page's URL and title to it; the plain
// share links are there either way, and nothing breaks the page's CSP.
func TestWebShareButton(t *testing.T) {
	s := newSite(t)
	ids := s.seed(seedCases)
	path := fmt.Sprintf("/cases/%d", ids["Marigold Bakeapple"])

	// As the browser comes: the button shows exactly when navigator.share exists.
	tb := newTab(t)
	tb.navigate(s.url + path)
	tb.waitFor("the page", `document.readyState === "complete"`, "")
	if has, hidden := eval[bool](tb, `typeof navigator.share === "function"`), eval[bool](tb, `document.querySelector(".web-share").hidden`); has == hidden {
		t.Errorf("navigator.share present %v, Share button hidden %v", has, hidden)
	}
	if n := eval[int](tb, `document.querySelectorAll(".share-links a[href^='https://www.facebook.com/'], .share-links a[href^='mailto:']").length`); n != 2 {
		t.Errorf("%d plain share links, want 2", n)
	}
	tb.noPageErrors()

	// A browser with the API (stubbed before the page's scripts run).
	tb = newTab(t)
	if _, err := chromedp.Call(tb.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `navigator.share = function (d) { window.__shared = d; return Promise.resolve(); };`,
	}); err != nil {
		t.Fatal(err)
	}
	tb.navigate(s.url + path)
	tb.waitFor("the Share button", `document.querySelector(".web-share") && !document.querySelector(".web-share").hidden`, `document.querySelector(".web-share") && document.querySelector(".web-share").outerHTML`)
	tb.do("press Share", chromedp.Click(chromedp.CSS(".web-share")))
	tb.waitFor("the share sheet call", `!!window.__shared`, "")
	if got := eval[string](tb, `window.__shared.url`); got != s.url+path {
		t.Errorf("shared url %q, want %q", got, s.url+path)
	}
	if got := eval[string](tb, `window.__shared.title`); !strings.HasPrefix(got, "Missing: Marigold Bakeapple, last seen in ") || !strings.HasSuffix(got, ", NL") {
		t.Errorf("shared title %q", got)
	}
	tb.noPageErrors()
}
