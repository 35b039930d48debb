package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"lostinnl/internal/pagecache"
	"lostinnl/internal/store"
	"lostinnl/internal/web/api"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/site"
	"lostinnl/internal/web/spread"
	"lostinnl/internal/web/staff"
)

func newTestClock() *testClock { return &testClock{t: fixedNow} }

func withCache(o pagecache.Options) func(*Deps) {
	return func(d *Deps) {
		if o.Now == nil {
			o.Now = d.Now
		}
		d.PageCache = pagecache.New(o)
	}
}

func TestPageCache(t *testing.T) {
	clock := newTestClock()
	s := newSite(t, func(d *Deps) { d.Now = clock.Now }, withCache(pagecache.Options{TTL: 5 * time.Second}))
	id := s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Cached Casetest" })
	path := fmt.Sprintf("/cases/%d", id)
	first := s.get(path)
	wantStatus(t, first, http.StatusOK)
	mustContain(t, first.Body.String(), "Cached Casetest")

	// Archive it behind the cache's back: within the TTL the cached page
	// is still served...
	if err := s.st.TransitionCase(context.Background(), id, store.StatusArchived, "", nil); err != nil {
		t.Fatal(err)
	}
	again := s.get(path)
	wantStatus(t, again, http.StatusOK)
	if again.Body.String() != first.Body.String() {
		t.Error("cached body differs")
	}
	for _, k := range []string{"Content-Type", "Cache-Control", "Content-Length"} {
		if again.Header().Get(k) != first.Header().Get(k) || again.Header().Get(k) == "" {
			t.Errorf("%s: %q vs %q", k, again.Header().Get(k), first.Header().Get(k))
		}
	}
	if n, _ := strconv.Atoi(again.Header().Get("Content-Length")); n != again.Body.Len() {
		t.Errorf("Content-Length %d, body %d bytes", n, again.Body.Len())
	}
	checkSecurityHeaders(t, "cached page", again.Header())
	// ...but never for a variant with a notice, and not after the TTL.
	wantStatus(t, s.get(path+"?tip=sent"), http.StatusGone)
	clock.Add(6 * time.Second)
	wantStatus(t, s.get(path), http.StatusGone)
	// Error pages are not cached: once public again it shows at once.
	if err := s.st.TransitionCase(context.Background(), id, store.StatusMissing, "", nil); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, s.get(path), http.StatusOK) // cached again, as missing

	// A purge (after an admin change) shows the change at once.
	if err := s.st.TransitionCase(context.Background(), id, store.StatusLocated, "", nil); err != nil {
		t.Fatal(err)
	}
	mustNotContain(t, s.get(path).Body.String(), "located-banner")
	h, _, err := newHandler(withMail(t, Deps{Store: s.st, Admin: &staff.Admin{Cipher: newTestCipher(t)}}))
	if err != nil {
		t.Fatal(err)
	}
	h.purgePageCache() // no cache: a no-op
	s.purge()
	mustContain(t, s.get(path).Body.String(), "located-banner")

	// Forms are never cached.
	if s.get("/submit").Header().Get("Cache-Control") != "no-store" {
		t.Error("form page cacheable")
	}
}

// TestPageCacheConfirm is the production arrangement: pages are served from
// the cache only while the content revision was confirmed recently, and a
// new revision drops them.
func TestPageCacheConfirm(t *testing.T) {
	clock := newTestClock()
	s := newSite(t, func(d *Deps) { d.Now = clock.Now },
		withCache(pagecache.Options{TTL: time.Hour, ConfirmWithin: 5 * time.Second}))
	ctx := context.Background()
	id := s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Revision Casetest" })
	path := fmt.Sprintf("/cases/%d", id)
	cache := s.web.cache
	rev := func() int64 {
		t.Helper()
		r, err := s.st.ContentRevision(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	addUpdate := func(body string) {
		t.Helper()
		if _, err := s.st.AddUpdate(ctx, id, body, nil); err != nil {
			t.Fatal(err)
		}
	}

	// Never confirmed: nothing is served from the cache.
	wantStatus(t, s.get(path), http.StatusOK)
	addUpdate("First search of the shoreline.")
	mustContain(t, s.get(path).Body.String(), "First search of the shoreline.")
	if n, _ := cache.Len(); n != 0 {
		t.Errorf("%d pages kept before any confirmation", n)
	}

	cache.Confirm(rev())
	mustContain(t, s.get(path).Body.String(), "First search") // now kept
	if n, _ := cache.Len(); n != 1 {
		t.Errorf("%d pages kept, want 1", n)
	}
	// A change elsewhere (another instance): served from the cache until
	// the next confirmation sees the new revision...
	addUpdate("Second search with a dog team.")
	mustNotContain(t, s.get(path).Body.String(), "dog team")
	clock.Add(time.Second)
	cache.Confirm(rev())
	mustContain(t, s.get(path).Body.String(), "dog team")
	// ...and the same revision again keeps what is cached.
	clock.Add(time.Second)
	cache.Confirm(rev())
	if n, _ := cache.Len(); n != 1 {
		t.Errorf("an unchanged revision dropped the cache: %d pages", n)
	}

	// The revision cannot be read any more (database down): once
	// ConfirmWithin has passed, answers come from the database again.
	if err := s.st.TransitionCase(ctx, id, store.StatusArchived, "", nil); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, s.get(path), http.StatusOK) // still cached, confirmed 0 s ago
	clock.Add(5 * time.Second)
	wantStatus(t, s.get(path), http.StatusGone)

	if st := cache.Stats(); st.Bypasses != 3 || st.Hits != 2 || st.Misses != 2 {
		t.Errorf("counters: %+v, want 3 bypasses (two before the first confirmation, one after it lapsed), 2 hits, 2 misses (one per revision)", st)
	}

	// A restore can move the revision back: any different value purges.
	cache.Confirm(rev())
	wantStatus(t, s.get("/"), http.StatusOK)
	cache.Confirm(rev() - 5)
	if n, _ := cache.Len(); n != 0 {
		t.Errorf("a lower revision kept %d pages", n)
	}
}

// TestPageCacheKeepsPagesCompactly: kept pages come back byte for byte,
// with the headers the action set, and pages of one route share a
// dictionary, so they keep in far less than their size.
func TestPageCacheKeepsPagesCompactly(t *testing.T) {
	s := newSite(t, withCache(pagecache.Options{}))
	var paths []string
	for i := range 20 {
		id := s.addCase(store.StatusMissing, func(c *store.Case) {
			c.FullName = fmt.Sprintf("Compact Casetest %d", i)
			c.Circumstances = strings.Repeat(fmt.Sprintf("Seen near the wharf on day %d. ", i), 1+i%4)
		})
		paths = append(paths, fmt.Sprintf("/cases/%d", id))
	}
	paths = append(paths, "/", "/cases", "/cases?page=2", "/resources", "/api/v1/cases", "/api/v1/cases?per_page=5")
	first := map[string]*httptest.ResponseRecorder{}
	raw := 0
	for _, p := range paths {
		rec := s.get(p)
		wantStatus(t, rec, http.StatusOK)
		first[p] = rec
		raw += rec.Body.Len()
	}
	pages, size := s.web.cache.Len()
	if pages != len(paths) {
		t.Fatalf("%d pages kept, want %d", pages, len(paths))
	}
	kept := size - pages*pagecache.EntryOverhead
	t.Logf("%d pages, %d bytes of HTML and JSON kept in %d", pages, raw, kept)
	if kept*4 > raw {
		t.Errorf("%d bytes kept for %d bytes of pages: less than 4:1", kept, raw)
	}
	for _, p := range paths {
		again := s.get(p)
		wantStatus(t, again, http.StatusOK)
		if again.Body.String() != first[p].Body.String() {
			t.Errorf("%s: the kept page differs from the built one", p)
		}
		for _, k := range []string{"Content-Type", "Cache-Control", "Content-Length"} {
			if again.Header().Get(k) != first[p].Header().Get(k) || again.Header().Get(k) == "" {
				t.Errorf("%s: %s %q, first answer %q", p, k, again.Header().Get(k), first[p].Header().Get(k))
			}
		}
		if n, _ := strconv.Atoi(again.Header().Get("Content-Length")); n != again.Body.Len() {
			t.Errorf("%s: Content-Length %d, body %d bytes", p, n, again.Body.Len())
		}
		if again.Header().Get("Content-Encoding") != "" {
			t.Errorf("%s: Content-Encoding %q", p, again.Header().Get("Content-Encoding"))
		}
	}
	if st := s.web.cache.Stats(); st.Hits != uint64(len(paths)) {
		t.Errorf("hits %d, want %d", st.Hits, len(paths))
	}
}

// TestPageCacheIgnoresOtherParameters: parameters the page does not read
// (fbclid on a link shared on Facebook, a cache buster) get the page kept
// for the plain URL, and add nothing to the cache; the listing's own
// parameters make pages of their own.
func TestPageCacheIgnoresOtherParameters(t *testing.T) {
	s := newSite(t, withCache(pagecache.Options{}))
	id := s.addCase(store.StatusMissing, nil)
	hits := func() uint64 { return s.web.cache.Stats().Hits }
	same := map[string][]string{
		fmt.Sprintf("/cases/%d", id): {fmt.Sprintf("/cases/%d?fbclid=IwAR0x", id), fmt.Sprintf("/cases/%d?utm_source=x&utm_medium=y", id), fmt.Sprintf("/cases/%d?", id)},
		"/":                          {"/?nocache=1", "/?%zz=1"},
		"/cases?q=ada":               {"/cases?q=ada&nocache=2", "/cases?nocache=2&q=ada", "/cases?q=ada&&", "/cases?fbclid=1&q=ada"},
		"/cases?%71=ada&page=2":      {"/cases?%71=ada&x=1&page=2"},
		"/api/v1/cases?per_page=3":   {"/api/v1/cases?callback=x&per_page=3"},
	}
	for plain, variants := range same {
		first := s.get(plain)
		wantStatus(t, first, http.StatusOK)
		pages, _ := s.web.cache.Len()
		for _, u := range variants {
			before := hits()
			rec := s.get(u)
			wantStatus(t, rec, http.StatusOK)
			if hits() != before+1 || rec.Body.String() != first.Body.String() {
				t.Errorf("%s: not the page kept for %s", u, plain)
			}
			if n, _ := s.web.cache.Len(); n != pages {
				t.Errorf("%s added a page to the cache", u)
			}
		}
	}
	for _, p := range form.ListingParams {
		u := "/cases?" + p + "=1"
		s.get(u)
		before := hits()
		s.get(u)
		if hits() != before+1 {
			t.Errorf("%s: not answered from the cache", u)
		}
	}
	// Different values of a parameter the page reads are different pages.
	a, b := s.get("/cases?sort=name"), s.get("/cases?sort=oldest")
	if a.Body.String() == b.Body.String() {
		t.Error("two sorts gave the same page")
	}
	for _, tc := range []struct{ in, want string }{
		{"/cases", "/cases"},
		{"/cases?", "/cases"},
		{"/cases?page=2&zz=1&q=a%20b", "/cases?page=2&q=a%20b"},
		{"/cases?zz=1", "/cases"},
		{"/cases?q", "/cases?q"},
		{"/cases?q=1&q=2", "/cases?q=1&q=2"},
		{"/cases/%41?x=1", "/cases/%41"},
	} {
		u, err := url.Parse(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := cacheKey(u, form.ListingParams); got != tc.want {
			t.Errorf("cacheKey(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestCachedRoutesParams: every query parameter a cached page reads is one
// its cache key keeps; a forgotten one would give every value of it the
// page kept for the first (as "?tip=sent" would lose the tip's thank-you).
func TestCachedRoutesParams(t *testing.T) {
	re := regexp.MustCompile(`(?:vals|Query\(\))\.Get\("([a-z_]+)"\)`)
	files := map[string][]string{
		"form/query.go": form.ListingParams, "site/case_list.go": form.ListingParams, "api/cases.go": api.ListingParams,
		"site/case_show.go": site.CaseParams, "api/case_show.go": nil, "site/case_photo.go": nil, "site/home.go": nil, "site/resources.go": nil,
		"spread/case_poster.go": spread.PosterParams, "spread/case_share.go": nil, "api/openapi.go": nil,
		"spread/feed_all.go": nil, "spread/feed_region.go": nil, "spread/feed_case.go": nil, "spread/sitemap.go": nil,
		"spread/pfif_persons.go": nil, "spread/pfif_case.go": nil, "spread/pfif_serve.go": nil, "spread/feed_serve.go": nil,
		// /stats and its three CSV files.
		"openstats/stats_show.go": nil, "openstats/stats_csv.go": nil, "openstats/report.go": nil,
	}
	reads := 0
	for file, list := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			reads++
			if !slices.Contains(list, m[1]) {
				t.Errorf("%s reads %q, which its page cache key leaves out (routes.go)", file, m[1])
			}
		}
	}
	if reads < 12 {
		t.Fatalf("found only %d parameter reads: has the code moved? update this test", reads)
	}
	// Every cached route is in the list above, through its handler's file.
	h, _, err := newHandler(withMail(t, Deps{Store: newSite(t).st, Admin: &staff.Admin{Cipher: newTestCipher(t)}}))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, rt := range h.routes() {
		if rt.Cached {
			n++
		}
	}
	if n != 21 {
		t.Errorf("%d cached routes; the files checked above cover 21: add the new one's", n)
	}
	if !slices.Equal(api.ListingParams[:len(form.ListingParams)], form.ListingParams) {
		t.Error("the API's parameters must include the listing's")
	}
	// The notice after a tip is never the kept page.
	s := newSite(t, withCache(pagecache.Options{}))
	id := s.addCase(store.StatusMissing, nil)
	path := fmt.Sprintf("/cases/%d", id)
	s.get(path)
	if rec := s.get(path + "?tip=sent"); rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("?tip=sent answered with the kept page (Cache-Control %q)", rec.Header().Get("Cache-Control"))
	}
}

func TestPageCacheConcurrentMisses(t *testing.T) {
	s := newSite(t, withCache(pagecache.Options{TTL: time.Minute}))
	s.addCase(store.StatusMissing, nil)
	var wg sync.WaitGroup
	bodies := make([]string, 32)
	codes := make([]int, 32)
	for i := range bodies {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			s.h.ServeHTTP(rec, httptest.NewRequest("GET", "/cases", nil))
			bodies[i], codes[i] = rec.Body.String(), rec.Code
		})
	}
	wg.Wait()
	for i := range bodies {
		if codes[i] != 200 || bodies[i] != bodies[0] {
			t.Fatalf("request %d: %d, same body %v", i, codes[i], bodies[i] == bodies[0])
		}
	}
}
