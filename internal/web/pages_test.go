package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

func TestEveryPublicPageRenders(t *testing.T) {
	s := newSite(t)
	missing := s.addCase(store.StatusMissing, nil)
	located := s.addCase(store.StatusLocated, func(c *store.Case) { c.FullName = "Lorne Locatedperson"; c.PoliceFileNumber = "TEST-0002" })
	pages := []string{
		"/", "/cases", "/cases?status=located", "/cases?status=all",
		fmt.Sprintf("/cases/%d", missing), fmt.Sprintf("/cases/%d", located),
		"/submit", "/submit/thanks", "/resources", "/contact", "/contact/thanks", "/about", "/privacy",
	}
	for _, p := range pages {
		t.Run(p, func(t *testing.T) {
			rec := s.get(p)
			wantStatus(t, rec, http.StatusOK)
			if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			body := rec.Body.String()
			mustContain(t, body,
				"<!doctype html>", `<html lang="en-CA">`, "Missing Persons NL",
				`<a class="skip-link" href="#main">`, `<main id="main"`, `<nav class="main-nav" aria-label="Main">`,
				`>Home</a>`, `>Missing persons</a>`, `>Report</a>`, `>Resources</a>`, `>Contact</a>`,
				`href="/about"`, `href="/privacy"`, "<footer", "<title>",
				// 911 first: the emergency line is the first thing in the
				// page's header (above the fold on a phone), and a tel: link.
				`<header class="site-header">
<p class="emergency-bar"><strong>If someone is in danger, call <a href="tel:911">911</a>.</strong></p>`,
				`In an emergency call <a href="tel:911">911</a>.`)
			mustNotContain(t, body, "Demo data")
			assertNoInlineCode(t, body)
		})
	}
}

func TestDemoBannerOnEveryPage(t *testing.T) {
	s := newSite(t, func(d *Deps) { d.Demo = true })
	id := s.addCase(store.StatusMissing, nil)
	for _, p := range []string{"/", "/cases", fmt.Sprintf("/cases/%d", id), "/submit", "/resources", "/contact", "/about", "/privacy", "/nope"} {
		body := s.get(p).Body.String()
		mustContain(t, body, `class="demo-banner"`, "Demo data")
	}
}

func TestResourcesGroupedByCategory(t *testing.T) {
	s := newSite(t)
	body := s.get("/resources").Body.String()
	// The migration seeds these defaults (issue 4, item 6).
	mustContain(t, body, "911", "1-800-222-8477", "811", "canadasmissing.ca", "1-800-668-6868", "<h2 id=\"cat-emergency\">Emergency</h2>")
	if kit.Slug("search and rescue") != "search-and-rescue" || kit.Slug("  Health & crisis lines ") != "health-crisis-lines" {
		t.Error("slug")
	}
	emergency := strings.Index(body, `id="cat-emergency"`)
	if emergency < 0 {
		t.Fatal("no emergency group")
	}
	for _, c := range store.ResourceCategories[1:] {
		if i := strings.Index(body, `id="cat-`+kit.Slug(c)+`"`); i >= 0 && i < emergency {
			t.Errorf("category %q shown before emergency", c)
		}
	}
}

func TestHomeListsPublishedOnly(t *testing.T) {
	s := newSite(t)
	s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Mabel Missingtest" })
	s.addCase(store.StatusLocated, func(c *store.Case) { c.FullName = "Lorne Locatedtest"; c.PoliceFileNumber = "F2" })
	s.addCase(store.StatusPending, func(c *store.Case) { c.FullName = "Penny Pendingtest"; c.PoliceFileNumber = "F3" })
	s.addCase(store.StatusRejected, func(c *store.Case) { c.FullName = "Rex Rejectedtest"; c.PoliceFileNumber = "F4" })
	s.addCase(store.StatusArchived, func(c *store.Case) { c.FullName = "Archie Archivedtest"; c.PoliceFileNumber = "F5" })
	body := s.get("/").Body.String()
	mustContain(t, body, "Mabel Missingtest", "Lorne Locatedtest", "Recently located", "Report a missing person", `src="/static/cover.`)
	mustNotContain(t, body, "Penny Pendingtest", "Rex Rejectedtest", "Archie Archivedtest")
	for _, p := range []string{"/cases?status=all", "/api/v1/cases?status=all", "/cases?status=all&q=Pendingtest"} {
		b := s.get(p).Body.String()
		mustNotContain(t, b, "Penny Pendingtest", "Rex Rejectedtest", "Archie Archivedtest")
	}
}

func TestNotPublicCasesAre404(t *testing.T) {
	s := newSite(t)
	pending := s.addCase(store.StatusPending, nil)
	rejected := s.addCase(store.StatusRejected, func(c *store.Case) { c.PoliceFileNumber = "R1" })
	ids := []string{fmt.Sprint(pending), fmt.Sprint(rejected), "999999", "0", "-1", "abc", "01", "1e3", "99999999999999999999999", "%00", "1;DROP TABLE cases"}
	for _, id := range ids {
		t.Run(id, func(t *testing.T) {
			target := "/cases/" + strings.ReplaceAll(id, " ", "%20")
			rec := s.get(target)
			wantStatus(t, rec, http.StatusNotFound)
			mustContain(t, rec.Body.String(), "We can&#39;t find that page", "Request id:")
			rec = s.get("/api/v1/cases/" + strings.ReplaceAll(id, " ", "%20"))
			wantStatus(t, rec, http.StatusNotFound)
			if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
				t.Errorf("API 404 content type %q", rec.Header().Get("Content-Type"))
			}
			mustContain(t, rec.Body.String(), `{"error":`)
			// A tip for a case that is not public is a 404 too.
			rec = s.post(target+"/tips", map[string][]string{"message": {"I saw them"}})
			wantStatus(t, rec, http.StatusNotFound)
		})
	}
}

func TestUnknownPathsAndWrongMethods(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, nil)
	rec := s.get("/no/such/page")
	wantStatus(t, rec, http.StatusNotFound)
	mustContain(t, rec.Body.String(), "Request id:", `class="site-header"`)

	cases := []struct{ method, path string }{
		{http.MethodPost, "/"},
		{http.MethodPut, fmt.Sprintf("/cases/%d", id)},
		{http.MethodGet, fmt.Sprintf("/cases/%d/tips", id)},
		{http.MethodDelete, "/submit"},
		{http.MethodPatch, "/contact"},
		{http.MethodPost, "/about"},
		{http.MethodPost, "/api/v1/cases"},
		{http.MethodDelete, fmt.Sprintf("/api/v1/cases/%d", id)},
	}
	for _, c := range cases {
		req := httptest.NewRequest(c.method, c.path, nil)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		rec := s.do(req)
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("%s %s: %d, want 405", c.method, c.path, rec.Code)
			continue
		}
		if rec.Header().Get("Allow") == "" {
			t.Errorf("%s %s: no Allow header", c.method, c.path)
		}
		if strings.HasPrefix(c.path, "/api/") {
			mustContain(t, rec.Body.String(), `{"error":"method not allowed"}`)
		} else {
			mustContain(t, rec.Body.String(), "That action isn&#39;t available here")
		}
	}
}

func TestHeadWorksOnPages(t *testing.T) {
	s := newSite(t)
	rec := s.do(httptest.NewRequest(http.MethodHead, "/about", nil))
	wantStatus(t, rec, http.StatusOK)
}

// assertNoInlineCode enforces the CSP promise in the markup itself: no
// inline scripts, no style elements or attributes, no event handlers. It
// looks inside real tags only, so escaped hostile text in a form value
// (which is harmless) does not count.
var quotedRe = regexp.MustCompile(`"[^"]*"`)

func assertNoInlineCode(t *testing.T, body string) {
	t.Helper()
	for rest := body; ; {
		i := strings.IndexByte(rest, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], '>')
		if j < 0 {
			break
		}
		// Quoted attribute values are data, not markup: drop them.
		tag := quotedRe.ReplaceAllString(strings.ToLower(rest[i:i+j+1]), `""`)
		rest = rest[i+j+1:]
		if strings.HasPrefix(tag, "<script") && !strings.Contains(tag, " src=") {
			t.Errorf("inline script: %s", tag)
		}
		if strings.HasPrefix(tag, "<style") {
			t.Errorf("style element: %s", tag)
		}
		for _, bad := range []string{" style=", " onclick=", " onload=", " onerror=", " onsubmit=", " onfocus=", "javascript:"} {
			if strings.Contains(tag, bad) {
				t.Errorf("tag has %q: %s", bad, tag)
			}
		}
	}
}
