package e2e

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"lostinnl/internal/store"
)

// resultsState describes the listings page for failure messages.
const resultsState = `JSON.stringify({path: location.pathname + location.search, count: (document.getElementById("result-count")||{}).textContent, names: Array.from(document.querySelectorAll("#result-list .card-name")).map(e => e.textContent)})`

// cardNames returns the names on the listings page, in order.
func (tb *tab) cardNames() []string {
	tb.t.Helper()
	return eval[[]string](tb, `Array.from(document.querySelectorAll("#result-list .card-name")).map(e => e.textContent.trim())`)
}

func TestLiveSearchNarrowsResultsAndUpdatesURL(t *testing.T) {
	forEachDB(t, func(t *testing.T, db string) {
		tb := newTab(t)
		s := newSite(t, onDB(db))
		s.seed(seedCases)

		tb.navigate(s.url + "/cases")
		if got := tb.cardNames(); len(got) != 4 {
			t.Fatalf("listings show %d cases %v, want the 4 missing ones", len(got), got)
		}
		if live := eval[string](tb, `document.getElementById("result-count").getAttribute("aria-live")`); live != "polite" && live != "assertive" {
			t.Errorf("result count has aria-live=%q; screen readers would not hear the new count", live)
		}
		// A marker on window survives replaceState but not a page load, so it
		// proves the results changed without a navigation.
		tb.do("set marker", chromedp.Evaluate[chromedp.Void](`window.__e2eNoReload = "still here"`))
		tb.do("type a search", chromedp.SendKeys(chromedp.ID("q"), "Bakeapple"))
		tb.waitFor("live results for Bakeapple",
			`location.search === "?q=Bakeapple" && document.querySelectorAll("#result-list > li").length === 1 && /^1 person found/.test(document.getElementById("result-count").textContent)`,
			resultsState)
		if got := tb.cardNames(); len(got) != 1 || got[0] != "Marigold Bakeapple" {
			t.Errorf("results %v, want [Marigold Bakeapple]", got)
		}
		if m := eval[string](tb, `String(window.__e2eNoReload)`); m != "still here" {
			t.Errorf("the page reloaded during live search (marker %q): results should come from the API", m)
		}

		// Narrow to nothing: the count says so and the empty state suggests
		// widening the search.
		tb.do("clear search", chromedp.Evaluate[chromedp.Void](`document.getElementById("q").value = ""`))
		tb.do("type a search with no match", chromedp.SendKeys(chromedp.ID("q"), "Zzyzxq"))
		tb.waitFor("no results for Zzyzxq",
			`location.search === "?q=Zzyzxq" && /^0 people found/.test(document.getElementById("result-count").textContent)`,
			resultsState)
		if txt := tb.text(); !strings.Contains(txt, "No one matches this search") {
			t.Errorf("empty live search shows no empty-state advice:\n%s", tail(txt, 1500))
		}
		// The URL the script wrote is a real page: reloading it shows the same.
		tb.navigate(s.url + tb.path())
		if got := eval[string](tb, `document.getElementById("q").value`); got != "Zzyzxq" {
			t.Errorf("after reload the search box holds %q", got)
		}
		tb.noPageErrors()
	})
}

func TestSearchWorksWithoutJavaScript(t *testing.T) {
	forEachDB(t, func(t *testing.T, db string) {
		tb := newTab(t)
		s := newSite(t, onDB(db))
		s.seed(seedCases)

		if _, err := chromedp.Call(tb.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatalf("disable JavaScript: %v", err)
		}
		tb.navigate(s.url + "/cases")
		// Enter in the search box submits the form the old-fashioned way.
		tb.do("search and press Enter", chromedp.SendKeys(chromedp.ID("q"), "Tuckamore"+kb.Enter))
		tb.waitFor("the results page for Tuckamore",
			`location.pathname === "/cases" && location.search.indexOf("q=Tuckamore") >= 0 && document.readyState === "complete"`,
			resultsState)
		if got := tb.cardNames(); len(got) != 1 || got[0] != "Tobias Tuckamore" {
			t.Errorf("results %v, want [Tobias Tuckamore]", got)
		}
		if c := eval[string](tb, `document.getElementById("result-count").textContent`); !strings.HasPrefix(c, "1 person found") {
			t.Errorf("result count %q", c)
		}
		// The filters keep their value on the server-rendered page.
		if v := eval[string](tb, `document.getElementById("q").value`); v != "Tuckamore" {
			t.Errorf("search box holds %q after submit", v)
		}
		// A filter by region, also without JavaScript.
		tb.navigate(s.url + "/cases?region=Western")
		if got := tb.cardNames(); len(got) != 1 || got[0] != "Marigold Bakeapple" {
			t.Errorf("region=Western results %v", got)
		}
		tb.noPageErrors()
	})
}

func TestTipShowsThankYou(t *testing.T) {
	forEachDB(t, func(t *testing.T, db string) {
		tb := newTab(t)
		s := newSite(t, onDB(db))
		ids := s.seed(seedCases)
		id := ids["Marigold Bakeapple"]

		tb.navigate(fmt.Sprintf("%s/cases/%d", s.url, id))
		msg := "I think I saw her by the bus stop on West Street, wearing a navy jacket."
		tb.do("fill the tip form",
			chromedp.SendKeys(chromedp.ID("f-message"), msg),
			chromedp.SendKeys(chromedp.ID("f-seen_at"), "Tuesday evening"),
			chromedp.SendKeys(chromedp.ID("f-seen_location"), "West Street bus stop"),
			chromedp.SendKeys(chromedp.ID("f-name"), "Gus Gannet"),
			chromedp.SendKeys(chromedp.ID("f-email"), "gus@example.org"),
			chromedp.Click(chromedp.CSS(`form[action$="/tips"] button[type=submit]`)),
		)
		tb.waitFor("the thank-you notice", `document.getElementById("tip-sent") !== null`, `location.href + " " + document.title`)
		if p := tb.path(); !strings.HasPrefix(p, fmt.Sprintf("/cases/%d", id)) {
			t.Errorf("after the tip the browser is at %s, want the case page", p)
		}
		txt := tb.text()
		if !strings.Contains(txt, "Your tip was sent") {
			t.Errorf("no confirmation on the page:\n%s", tail(txt, 1500))
		}
		if strings.Contains(txt, "bus stop on West Street") {
			t.Error("the tip text is shown on the public case page")
		}
		tips, _, err := s.st.ListTips(context.Background(), store.TipFilter{CaseID: id})
		if err != nil {
			t.Fatal(err)
		}
		if len(tips) != 1 || tips[0].Message != msg {
			t.Fatalf("stored tips %+v, want one with the message", tips)
		}
		if len(tips[0].Email) == 0 || strings.Contains(string(tips[0].Email), "gus@example.org") {
			t.Error("tipster email not stored sealed")
		}
		tb.noPageErrors()
	})
}

// fillReport fills the report form with a complete, valid report.
func (tb *tab) fillReport(name string) {
	tb.t.Helper()
	yesterday := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
	tb.do("fill the report form",
		chromedp.SendKeys(chromedp.ID("f-full_name"), name),
		chromedp.SendKeys(chromedp.ID("f-age"), "41"),
		chromedp.SetValue(chromedp.ID("f-sex"), "female"),
		chromedp.SendKeys(chromedp.ID("f-height_cm"), "168"),
		chromedp.SendKeys(chromedp.ID("f-hair_colour"), "auburn"),
		chromedp.SetValue(chromedp.ID("f-last_seen_date"), yesterday),
		chromedp.SendKeys(chromedp.ID("f-last_seen_place"), "Trans-Canada Highway rest stop"),
		chromedp.SendKeys(chromedp.ID("f-community"), "Grand Falls-Windsor"),
		chromedp.SetValue(chromedp.ID("f-region"), "Central"),
		chromedp.SendKeys(chromedp.ID("f-circumstances"), "Drove west in a blue hatchback and did not arrive. Fictional report."),
		chromedp.SendKeys(chromedp.ID("f-police_agency"), "RCMP"),
		chromedp.SendKeys(chromedp.ID("f-police_file_number"), "2026-77123"),
		chromedp.SendKeys(chromedp.ID("f-reporter_name"), "Hedda Gullcry"),
		chromedp.SendKeys(chromedp.ID("f-reporter_phone"), "709-555-0177"),
		chromedp.SendKeys(chromedp.ID("f-reporter_relationship"), "sister"),
		chromedp.Click(chromedp.ID("f-consent")),
	)
}

func TestReportIsNotListedPublicly(t *testing.T) {
	forEachDB(t, func(t *testing.T, db string) {
		tb := newTab(t)
		s := newSite(t, onDB(db))
		s.seed(seedCases)

		tb.navigate(s.url + "/submit")
		tb.fillReport("Rosalind Crowberry")
		tb.do("send the report", chromedp.Click(chromedp.CSS(`form[action="/submit"] button[type=submit]`)))
		tb.waitFor("the confirmation page", `location.pathname === "/submit/thanks"`, `location.href + " " + document.body.innerText.slice(0, 600)`)

		got := s.findCase("Rosalind Crowberry")
		if len(got) != 1 || got[0].Status != store.StatusPending {
			t.Fatalf("stored reports %+v, want one pending case", got)
		}
		id := got[0].ID

		for _, p := range []string{"/", "/cases", "/cases?q=Crowberry&status=all", "/cases?status=all&region=Central", "/api/v1/cases?q=Crowberry&status=all"} {
			tb.navigate(s.url + p)
			// On the listings, the search itself is echoed (the box, the
			// active-filter chip): look at the results only.
			txt := eval[string](tb, `(document.getElementById("results") || document.body).innerText`)
			if strings.Contains(txt, "Crowberry") {
				t.Errorf("%s shows the pending report", p)
			}
		}
		resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(fmt.Sprintf("%s/cases/%d", s.url, id)))
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != http.StatusNotFound {
			t.Errorf("GET /cases/%d of a pending report: status %d, want 404", id, resp.Status)
		}
		tb.noPageErrors("status of 404", "status of 422")
	})
}

func TestTipFormByKeyboardOnly(t *testing.T) {
	tb := newTab(t)
	s := newSite(t)
	ids := s.seed(seedCases)
	id := ids["Tobias Tuckamore"]
	tb.navigate(fmt.Sprintf("%s/cases/%d", s.url, id))

	// Tab from the top of the page to the tip's message box, as a keyboard
	// user would: every stop on the way must be reachable and the form
	// must come in a sensible order.
	active := `(document.activeElement && document.activeElement.id) || (document.activeElement && document.activeElement.tagName) || ""`
	reached := false
	for i := 0; i < 200; i++ {
		tb.do("press Tab", chromedp.KeyEvent(kb.Tab))
		if eval[string](tb, active) == "f-message" {
			reached = true
			break
		}
	}
	if !reached {
		t.Fatal("200 presses of Tab never reached the tip message field")
	}
	typeInto := func(wantID, text string) {
		t.Helper()
		if got := eval[string](tb, active); got != wantID {
			t.Fatalf("focus is on %q, want %q: the tab order of the tip form is broken", got, wantID)
		}
		if text != "" {
			tb.do("type into "+wantID, chromedp.KeyEvent(text))
		}
		tb.do("press Tab", chromedp.KeyEvent(kb.Tab))
	}
	msg := "Saw a teenager matching the photo at the Avalon Mall food court around 3 pm."
	typeInto("f-message", msg)
	typeInto("f-seen_at", "today, 3 pm")
	typeInto("f-seen_location", "Avalon Mall")
	typeInto("f-name", "")
	typeInto("f-phone", "709-555-0123")
	typeInto("f-email", "")
	// The honeypot (tabindex=-1) must be skipped: the next stop is the
	// submit button.
	if got := eval[string](tb, `document.activeElement.tagName + ":" + document.activeElement.textContent.trim()`); got != "BUTTON:Send tip" {
		t.Fatalf("after the last field focus is on %q, want the Send tip button", got)
	}
	tb.do("press Enter", chromedp.KeyEvent(kb.Enter))
	tb.waitFor("the thank-you notice", `document.getElementById("tip-sent") !== null && document.readyState === "complete"`, `location.href`)
	// scripts.js moves focus to the notice so a screen reader announces it.
	if got := eval[string](tb, active); got != "tip-sent" {
		t.Errorf("focus after sending is on %q, want the thank-you notice", got)
	}
	tips, _, err := s.st.ListTips(context.Background(), store.TipFilter{CaseID: id})
	if err != nil {
		t.Fatal(err)
	}
	if len(tips) != 1 || tips[0].Message != msg || tips[0].SeenLocation != "Avalon Mall" {
		t.Fatalf("stored tips %+v", tips)
	}
	tb.noPageErrors()
}

// publicPage is a page every visitor may see; setup, when set, brings the
// tab to the state to check (e.g. a form with errors).
type publicPage struct {
	name   string
	path   string
	status int
	setup  func(tb *tab, s *site)
}

// publicPages lists every public page in the states worth checking.
func publicPages(ids map[string]int64) []publicPage {
	return []publicPage{
		{name: "home", path: "/", status: 200},
		{name: "listings", path: "/cases", status: 200},
		{name: "listings-empty", path: "/cases?q=Zzyzxq", status: 200},
		{name: "listings-bad-params", path: "/cases?age_min=old&since=yesterday&page=-3", status: 200},
		{name: "case", path: fmt.Sprintf("/cases/%d", ids["Marigold Bakeapple"]), status: 200},
		{name: "case-located", path: fmt.Sprintf("/cases/%d", ids["Ambrose Partridgeberry"]), status: 200},
		{name: "submit", path: "/submit", status: 200},
		{name: "submit-errors", path: "/submit", status: 422, setup: func(tb *tab, s *site) {
			tb.do("send an empty report", chromedp.Click(chromedp.CSS(`form[action$="/submit"] button[type=submit]`)))
			tb.waitFor("the form with errors", `document.getElementById("error-summary") !== null && document.readyState === "complete"`, `location.href`)
		}},
		{name: "submit-kept-photos", path: "/submit", status: 422, setup: func(tb *tab, s *site) {
			tb.do("attach two photos", chromedp.SetUploadFiles(chromedp.ID("f-photos"), []string{writeTempJPEG(tb.t, "kept-a.jpg", 7), writeTempJPEG(tb.t, "kept-b.jpg", 8)}))
			tb.do("send the report without the rest", chromedp.Click(chromedp.CSS(`form[action$="/submit"] button[type=submit]`)))
			tb.waitFor("the form with the kept photos", heldShown(2), heldState)
		}},
		{name: "submit-thanks", path: "/submit/thanks", status: 200},
		{name: "resources", path: "/resources", status: 200},
		{name: "contact", path: "/contact", status: 200},
		{name: "contact-thanks", path: "/contact/thanks", status: 200},
		{name: "about", path: "/about", status: 200},
		{name: "privacy", path: "/privacy", status: 200},
		{name: "stats", path: "/stats", status: 200},
		{name: "saved", path: "/saved", status: 200},
		{name: "offline", path: "/offline", status: 200},
		{name: "alerts", path: "/alerts", status: 200},
		{name: "alerts-errors", path: "/alerts", status: 422, setup: func(tb *tab, s *site) {
			tb.do("send an empty alerts form", chromedp.Click(chromedp.CSS(`form[action$="/alerts"] button[type=submit]`)))
			tb.waitFor("the form with errors", `document.getElementById("error-summary") !== null && document.readyState === "complete"`, `location.href`)
		}},
		{name: "alerts-sent", path: "/alerts/sent", status: 200},
		{name: "not-found", path: "/no-such-page", status: 404},
	}
}

// bothLanguages is every page of pages in English and then under /fr
// (issue 18): the French site's longer words must keep the same layout,
// the same accessibility and no horizontal scroll. Setups find forms by
// the end of their action, so they work on both.
func bothLanguages(pages []publicPage) []publicPage {
	out := slices.Clone(pages)
	for _, p := range pages {
		p.name = "fr-" + p.name
		p.path = "/fr" + p.path
		out = append(out, p)
	}
	return out
}

// open loads a public page (and runs its setup) and checks its status.
func (tb *tab) open(s *site, p publicPage) {
	tb.t.Helper()
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(s.url+p.path))
	if err != nil {
		tb.t.Fatalf("%s: %v", p.name, err)
	}
	if p.setup != nil {
		p.setup(tb, s)
	} else if resp.Status != int64(p.status) {
		tb.t.Errorf("%s (%s): status %d, want %d", p.name, p.path, resp.Status, p.status)
	}
}

func TestNoHorizontalScrollOnPhones(t *testing.T) {
	tb := newTab(t)
	s := newSite(t)
	ids := s.seed(seedCases)

	tb.do("emulate a 375×667 phone", chromedp.EmulateViewport(375, 667, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	for _, p := range bothLanguages(publicPages(ids)) {
		tb.open(s, p)
		overflow := eval[string](tb, `(() => {
			const de = document.documentElement;
			if (de.scrollWidth <= de.clientWidth) return "";
			const wide = [];
			for (const el of document.body.querySelectorAll("*")) {
				const r = el.getBoundingClientRect();
				if (r.right > de.clientWidth + 0.5 && r.width > 0) {
					wide.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") + " (right " + Math.round(r.right) + "px)");
				}
				if (wide.length >= 8) break;
			}
			return "scrollWidth " + de.scrollWidth + " > clientWidth " + de.clientWidth + "; too wide: " + wide.join(", ");
		})()`)
		if overflow != "" {
			t.Errorf("%s (%s) scrolls sideways at 375 px: %s", p.name, p.path, overflow)
		}
	}
	tb.noPageErrors("status of 404", "status of 422")
}
