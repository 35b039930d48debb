package e2e

import (
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
	path := os.Getenv("LOSTINNL_TEST_AXE")
	if path == "" {
		t.Skip("accessibility tests skipped: set LOSTINNL_TEST_AXE to axe.min.js (npm install axe-core@4)")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read axe: %v", err)
	}
	// Self-check: on a page with known serious faults axe must report
	// them, or a silent harness would let every page pass.
	tb.navigate(`data:text/html,<!doctype html><html lang="en"><title>bad</title><body><main><img src="data:,"><input type="text"></main></body></html>`)
	tb.do("inject axe into the fixture", chromedp.Evaluate[chromedp.Void](string(src)))
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

	for _, p := range publicPages(ids) {
		tb.open(s, p)
		// The page's CSP (script-src 'self') does not apply to scripts the
		// DevTools protocol evaluates, so axe can be injected as is.
		tb.do(p.name+": inject axe", chromedp.Evaluate[chromedp.Void](string(src)))
		if ok := eval[bool](tb, `typeof window.axe === "object" && typeof window.axe.run === "function"`); !ok {
			t.Fatalf("%s: axe did not load into the page", p.name)
		}
		res, err := chromedp.Run(tb.ctx, chromedp.Evaluate[axeResult](axeRun, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: axe.run: %v", p.name, err)
		}
		if res.Passes == 0 {
			t.Errorf("%s: axe reports no passing rule at all; it did not really check the page", p.name)
		}
		for _, v := range res.Violations {
			var targets []string
			for _, n := range v.Nodes {
				targets = append(targets, strings.Trim(strings.Join(anyStrings(n.Target), " "), " "))
			}
			line := "%s (%s): axe %s [%s]: %s; nodes: %s"
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Errorf(line, p.name, p.path, v.ID, v.Impact, v.Help, strings.Join(targets, " | "))
			} else {
				t.Logf(line, p.name, p.path, v.ID, v.Impact, v.Help, strings.Join(targets, " | "))
			}
		}
	}
	tb.noPageErrors("status of 404", "status of 422")
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
