package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The viewports of issue 13: a common phone and a laptop.
var phoneAndDesktop = []struct {
	name string
	w, h int64
	opts []chromedp.EmulateViewportOption
}{
	{"phone", 375, 812, []chromedp.EmulateViewportOption{chromedp.EmulateScale(2), chromedp.EmulateMobile}},
	{"desktop", 1280, 800, nil},
}

// inViewport is a JavaScript predicate: the element matched by sel is
// rendered and lies entirely within the first screen (no scrolling).
func inViewport(sel string) string {
	return fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		if (!el) return false;
		const r = el.getBoundingClientRect();
		return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight && window.scrollY === 0;
	})()`, sel)
}

// startsOnScreen is a JavaScript predicate: the element's top edge is on
// the first screen (its bottom may run below it).
func startsOnScreen(sel string) string {
	return fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		if (!el) return false;
		const r = el.getBoundingClientRect();
		return r.width > 0 && r.top >= 0 && r.top < window.innerHeight && window.scrollY === 0;
	})()`, sel)
}

// shoot keeps a screenshot of the current screen as an artifact.
func (tb *tab) shoot(name string) {
	tb.t.Helper()
	buf, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(artifactDir(tb.t), name+".png"), buf, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// TestEmergencyLineFirst: on the home and case pages the 911 line is on the
// first screen as a tel: link, every phone number is a tel: link, and the
// case page has a "Send a tip" link near the top that reaches the form.
func TestEmergencyLineFirst(t *testing.T) {
	tb := newTab(t)
	s := newSite(t)
	ids := s.seed(seedCases)
	casePath := fmt.Sprintf("/cases/%d", ids["Tobias Tuckamore"])
	for _, vp := range phoneAndDesktop {
		tb.do("set viewport "+vp.name, chromedp.EmulateViewport(vp.w, vp.h, vp.opts...))
		for _, p := range []struct{ name, path string }{{"home", "/"}, {"case", casePath}} {
			tb.navigate(s.url + p.path)
			if !eval[bool](tb, inViewport(`.emergency-bar a[href="tel:911"]`)) {
				t.Errorf("%s at %s: the 911 line is not visible without scrolling", p.name, vp.name)
			}
			// Every phone number shown is dialable: any text that looks
			// like 911 or a NANP number sits inside a tel: link.
			loose := eval[[]string](tb, `(() => {
				const out = [];
				const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
				const re = /\b(911|\d{3}-\d{3}-\d{4})\b/;
				for (let n = walker.nextNode(); n; n = walker.nextNode()) {
					if (!re.test(n.textContent)) continue;
					if (n.parentElement.closest('a[href^="tel:"], .poster-foot, script, template, title')) continue;
					out.push(n.textContent.trim().slice(0, 80));
				}
				return out;
			})()`)
			if len(loose) > 0 {
				t.Errorf("%s at %s: phone numbers outside tel: links: %q", p.name, vp.name, loose)
			}
			tb.shoot(fmt.Sprintf("issue13-911-%s-%s", p.name, vp.name))
		}
		// The case page: the tip jump is on the first screen and leads to
		// the form.
		tb.navigate(s.url + casePath)
		if !eval[bool](tb, inViewport(`.case-jump a[href="#tip"]`)) {
			t.Errorf("case page at %s: no \"Send a tip\" link on the first screen", vp.name)
		}
		if n := eval[int](tb, `document.querySelectorAll('a[href="tel:709-729-8000"]').length`); n == 0 {
			t.Errorf("case page at %s: the agency's number is not a tel: link", vp.name)
		}
		tb.do("follow the tip link", chromedp.Click(chromedp.CSS(`.case-jump a[href="#tip"]`)))
		tb.waitFor("the tip form on screen", `location.hash === "#tip" && (() => {
			const r = document.getElementById("tip-title").getBoundingClientRect();
			return r.top >= 0 && r.top < window.innerHeight;
		})()`, `JSON.stringify({hash: location.hash, top: document.getElementById("tip-title").getBoundingClientRect().top})`)
	}
	tb.noPageErrors()
}

// TestResultsFirstOnPhones: after a search on a phone the filter panel
// stays closed, the active filters are chips, and the first result is on
// the first screen — with and without JavaScript.
func TestResultsFirstOnPhones(t *testing.T) {
	tb := newTab(t)
	s := newSite(t)
	s.seed(seedCases)
	// A search submitted as a form (what happens without JavaScript, and
	// with it on pressing Enter), with a region filter: on the laptop too.
	for _, vp := range []int{1, 0} {
		vp := phoneAndDesktop[vp]
		tb.do("set viewport "+vp.name, chromedp.EmulateViewport(vp.w, vp.h, vp.opts...))
		tb.navigate(s.url + "/cases?q=Bakeapple&region=Western&age_min=18")
		if eval[bool](tb, `document.querySelector(".more-filters").open`) {
			t.Errorf("%s: the filter panel is open after a search", vp.name)
		}
		if got := eval[[]string](tb, `Array.from(document.querySelectorAll(".chip")).map(e => e.textContent.trim())`); len(got) != 3 {
			t.Errorf("%s: chips %q, want the search, the region and the age", vp.name, got)
		}
		// On the phone the whole name line must show; on the laptop the
		// result (its photo first) must start on the first screen.
		first := `#result-list > li:first-child .card-name`
		if vp.name == "desktop" {
			first = `#result-list > li:first-child`
		}
		if !eval[bool](tb, startsOnScreen(first)) || vp.name == "phone" && !eval[bool](tb, inViewport(first)) {
			t.Errorf("%s: the first result is not on the first screen after searching", vp.name)
		}
		tb.shoot("issue13-results-" + vp.name + "-submitted")
	}

	// Removing a chip keeps the other filters.
	tb.do("remove the region chip", chromedp.Click(`//a[@class="chip"][contains(., "Region")]`))
	tb.waitFor("the region removed", `location.search.indexOf("region=") < 0 && location.search.indexOf("q=Bakeapple") >= 0 && location.search.indexOf("age_min=18") >= 0`, resultsState)

	// Live search as the visitor types: the same holds.
	tb.navigate(s.url + "/cases")
	tb.do("type a search", chromedp.SendKeys(chromedp.ID("q"), "Tuckamore"))
	tb.waitFor("live results", `location.search === "?q=Tuckamore" && document.querySelectorAll("#result-list > li").length === 1 && document.querySelectorAll(".chip").length === 1`, resultsState)
	if eval[bool](tb, `document.querySelector(".more-filters").open`) {
		t.Error("the filter panel opened during live search")
	}
	if !eval[bool](tb, inViewport(`#result-list > li:first-child .card-name`)) {
		t.Error("the first live result is not on the first screen")
	}
	tb.shoot("issue13-results-phone-live")
	// A marker on window proves the next check runs on the new page.
	tb.do("set marker", chromedp.Evaluate[chromedp.Void](`window.__e2eOldPage = true`))
	tb.do("press Enter", chromedp.SendKeys(chromedp.ID("q"), kb.Enter))
	tb.waitFor("the submitted results", `!window.__e2eOldPage && document.readyState === "complete" && location.search.indexOf("q=Tuckamore") >= 0 && document.querySelectorAll("#result-list > li").length === 1`, resultsState)
	if !eval[bool](tb, inViewport(`#result-list > li:first-child .card-name`)) {
		t.Error("the first result is not on the first screen after pressing Enter")
	}
	tb.noPageErrors()
}

// TestLiveCardsMatchServerCards: a card built during live search is the
// card the server renders for the same query, field by field (the badge
// "Verified with police" included).
func TestLiveCardsMatchServerCards(t *testing.T) {
	tb := newTab(t)
	s := newSite(t)
	s.seed(seedCases)
	const cardsJS = `Array.from(document.querySelectorAll("#result-list > li")).map(li => li.outerHTML.replace(/\s+/g, " "))`

	tb.navigate(s.url + "/cases?q=Capelin&status=all")
	server := eval[[]string](tb, cardsJS)
	if len(server) != 1 || !strings.Contains(server[0], "Verified with police") {
		t.Fatalf("server-rendered cards %q", server)
	}

	tb.navigate(s.url + "/cases")
	tb.do("choose all statuses", chromedp.SetValue(chromedp.ID("status"), "all"))
	tb.do("type a search", chromedp.SendKeys(chromedp.ID("q"), "Capelin"))
	tb.waitFor("live results", `/q=Capelin/.test(location.search) && /status=all/.test(location.search) && document.querySelectorAll("#result-list > li").length === 1`, resultsState)
	live := eval[[]string](tb, cardsJS)
	if len(live) != len(server) || live[0] != server[0] {
		t.Errorf("live card differs from the server's:\nlive:   %q\nserver: %q", live, server)
	}
	tb.noPageErrors()
}

// TestDateHintSaysWhatTheBoxShows: the report form's date hint names the
// order the browser's date box displays, not a fixed "year-month-day".
func TestDateHintSaysWhatTheBoxShows(t *testing.T) {
	tb := newTab(t)
	s := newSite(t)
	tb.navigate(s.url + "/submit")
	hint := eval[string](tb, `(() => { const i = document.querySelector('input[name="last_seen_date"]'); return document.getElementById(i.id + "-hint").textContent; })()`)
	lang := eval[string](tb, `navigator.language`)
	ok := false
	for _, want := range []string{"mm/dd/yyyy", "dd/mm/yyyy", "yyyy-mm-dd", "dd.mm.yyyy"} {
		if strings.HasSuffix(hint, "The box shows it as "+want+".") {
			ok = true
		}
	}
	if !ok {
		t.Errorf("date hint %q (browser language %s) does not say the box's order", hint, lang)
	}
	if lang == "en-US" && !strings.Contains(hint, "mm/dd/yyyy") {
		t.Errorf("en-US Chromium shows mm/dd/yyyy; hint says %q", hint)
	}
	tb.noPageErrors()
}
