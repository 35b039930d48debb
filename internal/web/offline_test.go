package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"lostinnl/internal/store"
)

// The offline feature (issue 19, internal/web/offline): manifest, service
// worker, /saved and /offline, and the markers in the case pages that the
// worker relies on to keep or delete a saved case.

type testManifest struct {
	Name            string `json:"name"`
	ShortName       string `json:"short_name"`
	StartURL        string `json:"start_url"`
	Scope           string `json:"scope"`
	Display         string `json:"display"`
	ThemeColor      string `json:"theme_color"`
	BackgroundColor string `json:"background_color"`
	Icons           []struct {
		Src, Sizes, Type, Purpose string
	} `json:"icons"`
}

func TestManifest(t *testing.T) {
	s := newSite(t)
	rec := s.get("/manifest.webmanifest")
	wantStatus(t, rec, http.StatusOK)
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/manifest+json") {
		t.Errorf("Content-Type %q", ct)
	}
	var m testManifest
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("manifest is not JSON: %v\n%s", err, rec.Body.String())
	}
	if m.Name != "LostInNL — Missing Persons NL" || m.StartURL != "/" || m.Scope != "/" || m.Display != "standalone" || m.ShortName == "" {
		t.Errorf("manifest fields: %+v", m)
	}
	// The theme colour is the site's navy, the same as styles.css's
	// --navy and the layout's theme-color meta.
	css, err := os.ReadFile("kit/static/styles.css")
	if err != nil {
		t.Fatal(err)
	}
	navy := regexp.MustCompile(`--navy:\s*(#[0-9a-fA-F]{6});`).FindSubmatch(css)
	if navy == nil || !strings.EqualFold(string(navy[1]), m.ThemeColor) {
		t.Errorf("theme_color %q is not styles.css's --navy (%q)", m.ThemeColor, navy)
	}
	mustContain(t, s.get("/").Body.String(), `<meta name="theme-color" content="`+m.ThemeColor+`">`)
	if m.BackgroundColor == "" {
		t.Error("no background_color")
	}

	// Every icon is served, with the type it claims; the PNGs really
	// are the sizes they claim; there is a maskable one.
	var png192, png512, maskable bool
	for _, ic := range m.Icons {
		r := s.get(ic.Src)
		wantStatus(t, r, http.StatusOK)
		if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, ic.Type) {
			t.Errorf("%s: Content-Type %q, manifest says %q", ic.Src, ct, ic.Type)
		}
		if ic.Type != "image/png" {
			continue
		}
		img, err := png.Decode(bytes.NewReader(r.Body.Bytes()))
		if err != nil {
			t.Fatalf("%s: %v", ic.Src, err)
		}
		b := img.Bounds()
		if got := fmt.Sprintf("%dx%d", b.Dx(), b.Dy()); got != ic.Sizes {
			t.Errorf("%s is %s, manifest says %s", ic.Src, got, ic.Sizes)
		}
		png192 = png192 || ic.Sizes == "192x192" && ic.Purpose == "any"
		png512 = png512 || ic.Sizes == "512x512" && ic.Purpose == "any"
		maskable = maskable || ic.Purpose == "maskable"
	}
	if !png192 || !png512 || !maskable {
		t.Errorf("icons: 192 %v, 512 %v, maskable %v; want all", png192, png512, maskable)
	}

	// Cheap to check again.
	req := httptest.NewRequest(http.MethodGet, "/manifest.webmanifest", nil)
	req.Header.Set("If-None-Match", rec.Header().Get("ETag"))
	if r := s.do(req); r.Code != http.StatusNotModified {
		t.Errorf("conditional GET: %d", r.Code)
	}
}

// TestEveryPageLinksManifest: the manifest is linked from the layout, so
// from every page, the new ones included.
func TestEveryPageLinksManifest(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, nil)
	for _, p := range []string{"/", "/cases", fmt.Sprintf("/cases/%d", id), "/about", "/saved", "/offline", "/cases/999999"} {
		body := s.get(p).Body.String()
		mustContain(t, body, `<link rel="manifest" href="/manifest.webmanifest">`, `<a href="/saved"`)
	}
}

var precacheRe = regexp.MustCompile(`var PRECACHE = (\[[^\n]*\]);`)

func TestServiceWorkerScript(t *testing.T) {
	s := newSite(t)
	rec := s.get("/sw.js")
	wantStatus(t, rec, http.StatusOK)
	h := rec.Header()
	if ct := h.Get("Content-Type"); ct != "text/javascript; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := h.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("Cache-Control %q, want no-cache (a new worker must reach phones at their next visit)", cc)
	}
	checkSecurityHeaders(t, "/sw.js", h)
	body := rec.Body.String()
	mustNotContain(t, body, "__PRECACHE__", "__VERSION__")
	mustContain(t, body, `var VERSION = "`, `self.addEventListener("fetch"`)

	// What it precaches exists: every URL answers 200, and the list has
	// the offline page, the saved list and the scripts they need.
	m := precacheRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no precache list in the worker:\n%s", truncate(body, 2000))
	}
	var urls []string
	if err := json.Unmarshal([]byte(m[1]), &urls); err != nil {
		t.Fatalf("precache list %s: %v", m[1], err)
	}
	joined := strings.Join(urls, " ")
	for _, want := range []string{"/offline", "/saved", "/static/offline.", "/static/scripts.", "/static/styles."} {
		if !strings.Contains(joined, want) {
			t.Errorf("precache list %v lacks %s", urls, want)
		}
	}
	for _, u := range urls {
		wantStatus(t, s.get(u), http.StatusOK)
	}

	// Conditional requests and HEAD are cheap.
	req := httptest.NewRequest(http.MethodGet, "/sw.js", nil)
	req.Header.Set("If-None-Match", h.Get("ETag"))
	if r := s.do(req); r.Code != http.StatusNotModified || r.Body.Len() != 0 {
		t.Errorf("conditional GET: %d", r.Code)
	}
	if r := s.do(httptest.NewRequest(http.MethodHead, "/sw.js", nil)); r.Code != http.StatusOK || r.Body.Len() != 0 {
		t.Errorf("HEAD: %d with %d bytes", r.Code, r.Body.Len())
	}

	// Registered by scripts.js for the whole site.
	var scripts string
	for _, u := range assetURLs(s.get("/").Body.String()) {
		if strings.Contains(u, "/scripts.") {
			scripts = s.get(u).Body.String()
		}
	}
	mustContain(t, scripts, `navigator.serviceWorker.register("/sw.js", { scope: "/" })`)
	// The CSP lets the worker and the manifest load: script-src 'self'
	// covers workers and default-src 'self' the manifest, unless a
	// narrower worker-src or manifest-src says otherwise.
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %s", csp, want)
		}
	}
	for _, d := range []string{"worker-src", "manifest-src", "child-src"} {
		if strings.Contains(csp, d) && !strings.Contains(csp, d+" 'self'") {
			t.Errorf("CSP %q restricts %s without 'self'", csp, d)
		}
	}
}

// workerMark reads one of the worker's string constants (var NAME = '…';).
func workerMark(t *testing.T, worker, name string) string {
	t.Helper()
	m := regexp.MustCompile(`var ` + name + ` = '([^']+)';`).FindStringSubmatch(worker)
	if m == nil {
		t.Fatalf("the worker has no %s", name)
	}
	return m[1]
}

// TestCasePagesCarryTheWorkersMarks ties the worker to the templates: it
// keeps a saved case while its page has the save button's attribute and
// deletes it when the page shows the Located notice or answers 404/410.
// If a template changed those, saved cases would silently never be taken
// down, so this test fails instead.
func TestCasePagesCarryTheWorkersMarks(t *testing.T) {
	s := newSite(t)
	worker := s.get("/sw.js").Body.String()
	open := workerMark(t, worker, "OPEN_MARK")
	located := workerMark(t, worker, "LOCATED_MARK")

	missing := s.addCase(store.StatusMissing, nil)
	loc := s.addCase(store.StatusLocated, nil)
	archived := s.addCase(store.StatusArchived, nil)
	pending := s.addCase(store.StatusPending, nil)

	for _, p := range []string{fmt.Sprintf("/cases/%d", missing), fmt.Sprintf("/cases/%d?tip=sent", missing)} {
		body := s.get(p).Body.String()
		mustContain(t, body,
			fmt.Sprintf(`%s/cases/%d"`, open, missing),
			`<button type="button" class="button button-secondary">Save for offline</button>`,
			`/poster.pdf"`)
		mustNotContain(t, body, located)
		// Hidden until offline.js has a worker to ask.
		if !regexp.MustCompile(`<div class="offline-save" data-offline-save="[^"]+" hidden>`).MatchString(body) {
			t.Errorf("%s: the save box is not hidden without JavaScript", p)
		}
	}
	body := s.get(fmt.Sprintf("/cases/%d", loc)).Body.String()
	mustContain(t, body, located)
	mustNotContain(t, body, open, "Save for offline")
	if r := s.get(fmt.Sprintf("/cases/%d", archived)); r.Code != http.StatusGone {
		t.Errorf("archived case: %d, want 410", r.Code)
	}
	if r := s.get(fmt.Sprintf("/cases/%d", pending)); r.Code != http.StatusNotFound {
		t.Errorf("pending case: %d, want 404", r.Code)
	}
	// The poster of a located case is gone too (the worker also takes a
	// case down when its poster answers 410).
	if r := s.get(fmt.Sprintf("/cases/%d/poster.pdf", loc)); r.Code != http.StatusGone {
		t.Errorf("located case's poster: %d, want 410", r.Code)
	}
}

func TestSavedAndOfflinePages(t *testing.T) {
	s := newSite(t)
	inline := regexp.MustCompile(`<script(?:\s[^>]*)?>`)
	for _, tc := range []struct{ path, heading string }{
		{"/saved", "<h1>Saved for offline</h1>"},
		{"/offline", "<h1>You are offline</h1>"},
	} {
		rec := s.get(tc.path)
		wantStatus(t, rec, http.StatusOK)
		body := rec.Body.String()
		mustContain(t, body, tc.heading, `<meta name="robots" content="noindex">`, `href="/saved"`)
		for _, tag := range inline.FindAllString(body, -1) {
			if !strings.Contains(tag, ` src="/static/`) {
				t.Errorf("%s: inline script %s (the CSP forbids it)", tc.path, tag)
			}
		}
		if cc := rec.Header().Get("Cache-Control"); cc == "" || strings.Contains(cc, "no-store") {
			t.Errorf("%s: Cache-Control %q: the worker precaches it", tc.path, cc)
		}
	}
	// Without JavaScript /saved says what it needs; the list is hidden
	// until offline.js fills it.
	body := s.get("/saved").Body.String()
	mustContain(t, body, "needs JavaScript", `<div id="saved" hidden>`, `/static/offline.`)
	mustContain(t, s.get("/offline").Body.String(), `href="tel:911"`)
}

// TestOfflineRoutesHostileInput: the new routes read no parameters; junk
// in the query or the method never reaches a page or a 5xx.
func TestOfflineRoutesHostileInput(t *testing.T) {
	s := newSite(t)
	const evil = `<script>alert(1)</script>`
	q := "?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&page=-1&v=%00%ff&url=javascript:alert(1)&" + strings.Repeat("x=1&", 200)
	for _, p := range []string{"/saved", "/offline", "/sw.js", "/manifest.webmanifest"} {
		rec := s.get(p + q)
		wantStatus(t, rec, http.StatusOK)
		mustNotContain(t, rec.Body.String(), evil, "javascript:alert")
		for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
			req := httptest.NewRequest(m, p, strings.NewReader("a=b"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			if r := s.do(req); r.Code != http.StatusMethodNotAllowed {
				t.Errorf("%s %s: %d, want 405", m, p, r.Code)
			}
		}
	}
	// Paths near the new ones are plain 404s.
	for _, p := range []string{"/sw.js/x", "/saved/1", "/offline/x", "/manifest.json"} {
		if r := s.get(p); r.Code != http.StatusNotFound {
			t.Errorf("%s: %d", p, r.Code)
		}
	}
}
