package e2e

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeResult is the part of axe.run()'s result the test reads.
type axeResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target  []any  `json:"target"`
			Summary string `json:"failureSummary"`
		} `json:"nodes"`
	} `json:"violations"`
	Passes int `json:"passes"`
}

// axeRun runs axe on the page and returns the result in a small shape
// (the full result of axe is megabytes of JSON on a long page).
const axeRun = `axe.run(document, {resultTypes: ["violations"]}).then(r => ({
	passes: r.passes.length,
	violations: r.violations.map(v => ({
		id: v.id, impact: v.impact, help: v.help,
		nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary}))
	}))
}))`

func TestAccessibilityAxe(t *testing.T) {
	tb := newTab(t)
	src := axeSource(t)
	// Self-check: on a page with known serious faults axe must report
	// them, or a silent harness would let every page pass.
	tb.navigate(`data:text/html,<!doctype html><html lang="en"><title>bad</title><body><main><img src="data:,"><input type="text"></main></body></html>`)
	tb.do("inject axe into the fixture", chromedp.Evaluate[chromedp.Void](src))
	bad, err := chromedp.Run(tb.ctx, chromedp.Evaluate[axeResult](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe on the fixture: %v", err)
	}
	found := map[string]bool{}
	for _, v := range bad.Violations {
		found[v.ID] = true
	}
	if !found["image-alt"] || !found["label"] {
		t.Fatalf("axe missed the fixture's image-alt and label faults (found %v): the check is not working", found)
	}

	s := newSite(t)
	ids := s.seed(seedCases)

	for _, p := range bothLanguages(publicPages(ids)) {
		tb.open(s, p)
		if want := map[bool]string{true: "fr-CA", false: "en-CA"}[strings.HasPrefix(p.path, "/fr/")]; eval[string](tb, `document.documentElement.lang`) != want {
			t.Errorf("%s (%s): <html lang> is not %s", p.name, p.path, want)
		}
		tb.axeCheck(string(src), p.name, p.path)
	}
	tb.noPageErrors("status of 404", "status of 422")
}

// axeCheck injects axe into the page now shown, runs it, and fails the test
// on serious or critical violations (minor and moderate ones are logged).
func (tb *tab) axeCheck(src, name, path string) {
	t := tb.t
	t.Helper()
	// The page's CSP (script-src 'self') does not apply to scripts the
	// DevTools protocol evaluates, so axe can be injected as is.
	tb.do(name+": inject axe", chromedp.Evaluate[chromedp.Void](src))
	if ok := eval[bool](tb, `typeof window.axe === "object" && typeof window.axe.run === "function"`); !ok {
		t.Fatalf("%s: axe did not load into the page", name)
	}
	res, err := chromedp.Run(tb.ctx, chromedp.Evaluate[axeResult](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe.run: %v", name, err)
	}
	if res.Passes == 0 {
		t.Errorf("%s: axe reports no passing rule at all; it did not really check the page", name)
	}
	for _, v := range res.Violations {
		var targets []string
		for _, n := range v.Nodes {
			targets = append(targets, strings.Join(anyStrings(n.Target), " "))
		}
		line := "%s (%s): axe %s [%s]: %s; nodes: %s"
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Errorf(line, name, path, v.ID, v.Impact, v.Help, strings.Join(targets, " | "))
		} else {
			t.Logf(line, name, path, v.ID, v.Impact, v.Help, strings.Join(targets, " | "))
		}
	}
}

// axeSource reads axe.min.js, or skips the test when it is not configured.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("LOSTINNL_TEST_AXE")
	if path == "" {
		t.Skip("accessibility tests skipped: set LOSTINNL_TEST_AXE to axe.min.js (npm install axe-core@4)")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read axe: %v", err)
	}
	return string(src)
}

func TestAccessibilityAxeAdmin(t *testing.T) {
	tb := newTab(t)
	src := axeSource(t)
	s := newSite(t)
	ids := s.seed(seedCases)
	const email, password = "ida.admin@example.org", "tuckamore-kittiwake-1997"
	secret := s.addAdmin(email, password)

	tb.navigate(s.url + "/admin/login")
	tb.axeCheck(src, "admin sign-in", "/admin/login")
	tb.adminSignIn(s, "/admin", email, password, secret)
	pending := ids["Clementine Dulse"]
	pages := []struct{ name, path string }{
		{"admin dashboard", "/admin"},
		{"report queue", "/admin/reports"},
		{"report review", fmt.Sprintf("/admin/reports/%d", pending)},
		{"cases", "/admin/cases"},
		{"case editor", fmt.Sprintf("/admin/cases/%d", ids["Marigold Bakeapple"])},
		{"status step", fmt.Sprintf("/admin/cases/%d/status?to=located", ids["Marigold Bakeapple"])},
		{"takedown", fmt.Sprintf("/admin/cases/%d/takedown", ids["Ambrose Partridgeberry"])},
		{"new case", "/admin/cases/new"},
		{"tips", "/admin/tips"},
		{"messages", "/admin/messages"},
		{"resources", "/admin/resources"},
		{"users", "/admin/users"},
		{"audit log", "/admin/audit"},
		{"second factor", "/admin/account/2fa"},
		{"change password", "/admin/account/password"},
	}
	// Every page in English, then again after the staff member switches
	// the admin area to French with the header's button (issue 18).
	for _, lang := range []string{"en-CA", "fr-CA"} {
		if lang == "fr-CA" {
			tb.navigate(s.url + "/admin")
			tb.do("switch the admin area to French", chromedp.Click(chromedp.CSS(`#lang-switch button`)))
			tb.waitFor("the French admin", `document.documentElement.lang === "fr-CA" && document.readyState === "complete"`, `document.documentElement.lang`)
		}
		for _, p := range pages {
			resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(s.url+p.path))
			if err != nil {
				t.Fatalf("%s: %v", p.name, err)
			}
			if resp.Status != 200 {
				t.Errorf("%s (%s, %s): status %d", p.name, lang, p.path, resp.Status)
				continue
			}
			if got := eval[string](tb, `document.documentElement.lang`); got != lang {
				t.Errorf("%s (%s): <html lang> %q, want %s", p.name, p.path, got, lang)
			}
			tb.axeCheck(src, p.name+" ("+lang+")", p.path)
		}
	}
	tb.noPageErrors()
}

// anyStrings flattens axe's node targets (strings, or arrays of strings for
// elements inside frames or shadow roots) into strings.
func anyStrings(vs []any) []string {
	var out []string
	for _, v := range vs {
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case []any:
			out = append(out, strings.Join(anyStrings(x), " >> "))
		}
	}
	return out
}
