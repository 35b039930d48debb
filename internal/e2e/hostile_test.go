package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"lostinnl/internal/store"
)

// TestHostileTextStaysText stores a case whose text fields carry markup and
// script (as a hostile report approved by mistake could) and checks, in a
// real browser, that every page showing it — server-rendered, and the live
// search that renders API results with JavaScript — shows the text as text:
// no element is injected, no script runs, and no CSP violation is even
// attempted.
func TestHostileTextStaysText(t *testing.T) {
	forEachDB(t, func(t *testing.T, db string) {
		tb := newTab(t)
		s := newSite(t, onDB(db))
		s.seed(seedCases)
		const (
			name    = `Zebedee "><img src=x onerror="window.__pwned=1"> Quahog`
			aliases = `</title><script>window.__pwned=2</script>`
			place   = `javascript:window.__pwned=3//`
		)
		id := s.addCase(50, fictional{Name: name, Aliases: aliases, Sex: "male", Age: 33, Community: `<svg onload="window.__pwned=4">`, Region: "Eastern", Place: place, DaysAgo: 1, Status: store.StatusMissing})

		injected := `(() => {
		if (window.__pwned) return "script ran: " + window.__pwned;
		const bad = document.querySelectorAll('img[src="x"], svg[onload], script:not([src]), [onerror], a[href^="javascript:"]');
		return bad.length ? "injected: " + Array.from(bad).map(e => e.outerHTML).join(" ") : "";
	})()`
		check := func(where string, wantText string) {
			t.Helper()
			if got := eval[string](tb, injected); got != "" {
				t.Errorf("%s: %s", where, got)
			}
			if wantText != "" && !strings.Contains(tb.text(), wantText) {
				t.Errorf("%s does not show the text %q literally", where, wantText)
			}
		}
		for _, p := range []struct{ where, path string }{
			{"case page", fmt.Sprintf("/cases/%d", id)},
			{"listings", "/cases"},
			{"home", "/"},
			{"search results", "/cases?q=Quahog"},
		} {
			tb.navigate(s.url + p.path)
			check(p.where, `onerror="window.__pwned=1"`)
		}
		tb.navigate(fmt.Sprintf("%s/cases/%d", s.url, id))
		if title := eval[string](tb, `document.title`); !strings.Contains(title, "Zebedee") {
			t.Errorf("title %q", title)
		}
		check("case page aliases", `<script>window.__pwned=2</script>`)

		// Live search: the card comes from the JSON API and scripts.js.
		tb.navigate(s.url + "/cases")
		tb.do("live search", chromedp.SendKeys(chromedp.ID("q"), "Quahog"))
		tb.waitFor("the live result", `location.search === "?q=Quahog" && document.querySelectorAll("#result-list > li").length === 1`, resultsState)
		check("live search card", `onerror="window.__pwned=1"`)
		tb.noPageErrors()
	})
}
