package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestLiveSearchInFrench: on /fr/cases the live search fetches the French
// listing and keeps the French address (issue 18).
func TestLiveSearchInFrench(t *testing.T) {
	tb := newTab(t)
	s := newSite(t)
	s.seed(seedCases)

	tb.navigate(s.url + "/fr/cases")
	if lang := eval[string](tb, `document.documentElement.lang`); lang != "fr-CA" {
		t.Fatalf("/fr/cases: lang %q", lang)
	}
	tb.do("type a search", chromedp.SendKeys(chromedp.ID("q"), "Bakeapple"))
	tb.waitFor("live results for Bakeapple",
		`location.pathname === "/fr/cases" && location.search === "?q=Bakeapple" && /^1 personne trouvée/.test(document.getElementById("result-count").textContent)`,
		resultsState)
	if got := tb.cardNames(); len(got) != 1 || got[0] != "Marigold Bakeapple" {
		t.Errorf("results %v, want [Marigold Bakeapple]", got)
	}
	if txt := tb.text(); strings.Contains(txt, "Verified with police") || strings.Contains(txt, "Last seen") {
		t.Errorf("English in the French live results:\n%s", tail(txt, 1500))
	}
	tb.noPageErrors()
}
