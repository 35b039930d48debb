package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"lostinnl/internal/store"
)

func newTestClock() *testClock { return &testClock{t: fixedNow} }

func withCache(o PageCacheOptions) func(*Deps) {
	return func(d *Deps) {
		if o.Now == nil {
			o.Now = d.Now
		}
		d.PageCache = NewPageCache(o)
	}
}

func TestPageCache(t *testing.T) {
	clock := newTestClock()
	s := newSite(t, func(d *Deps) { d.Now = clock.Now }, withCache(PageCacheOptions{TTL: 5 * time.Second}))
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
	for _, k := range []string{"Content-Type", "Cache-Control", "Content-Length", "Vary"} {
		if again.Header().Get(k) != first.Header().Get(k) || again.Header().Get(k) == "" {
			t.Errorf("%s: %q vs %q", k, again.Header().Get(k), first.Header().Get(k))
		}
	}
	if n, _ := strconv.Atoi(again.Header().Get("Content-Length")); n != again.Body.Len() {
		t.Errorf("Content-Length %d, body %d bytes", n, again.Body.Len())
	}
	checkSecurityHeaders(t, "cached page", again.Header())
	// ...but never for a variant with a notice, and not after the TTL.
	wantStatus(t, s.get(path+"?tip=sent"), http.StatusNotFound)
	clock.Add(6 * time.Second)
	wantStatus(t, s.get(path), http.StatusNotFound)
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
	h, _, err := newHandler(Deps{Store: s.st})
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
		withCache(PageCacheOptions{TTL: time.Hour, ConfirmWithin: 5 * time.Second}))
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
	wantStatus(t, s.get(path), http.StatusNotFound)

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

// TestPageCacheGzip: browsers get the stored gzip bytes, other clients the
// same page uncompressed, on the first (filling) answer and on hits.
func TestPageCacheGzip(t *testing.T) {
	s := newSite(t, withCache(PageCacheOptions{}))
	id := s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Gzip Casetest" })
	path := fmt.Sprintf("/cases/%d", id)
	get := func(enc string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		return s.do(req)
	}
	unzip := func(rec *httptest.ResponseRecorder) string {
		t.Helper()
		zr, err := gzip.NewReader(bytes.NewReader(rec.Body.Bytes()))
		if err != nil {
			t.Fatalf("not gzip: %v", err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	first := get("gzip, deflate, br") // the fill
	wantStatus(t, first, http.StatusOK)
	if first.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("fill answer to a gzip client: Content-Encoding %q", first.Header().Get("Content-Encoding"))
	}
	page := unzip(first)
	mustContain(t, page, "Gzip Casetest", "</html>")
	for _, enc := range []string{"", "identity", "gzip;q=0", "br"} {
		rec := get(enc)
		wantStatus(t, rec, http.StatusOK)
		if rec.Header().Get("Content-Encoding") != "" || rec.Body.String() != page {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, same page %v", enc, rec.Header().Get("Content-Encoding"), rec.Body.String() == page)
		}
		if rec.Header().Get("Vary") != "Accept-Encoding" || rec.Header().Get("Content-Length") != strconv.Itoa(len(page)) {
			t.Errorf("Accept-Encoding %q: Vary %q, Content-Length %q (want %d)", enc, rec.Header().Get("Vary"), rec.Header().Get("Content-Length"), len(page))
		}
	}
	hit := get("gzip")
	if hit.Header().Get("Content-Encoding") != "gzip" || unzip(hit) != page || hit.Header().Get("Content-Length") != strconv.Itoa(hit.Body.Len()) {
		t.Error("cached answer to a gzip client differs")
	}
	checkSecurityHeaders(t, "gzip page", hit.Header())

	// The fill answer to a client without gzip is the plain page.
	s.purge()
	plain := get("")
	if plain.Header().Get("Content-Encoding") != "" || plain.Body.String() != page {
		t.Error("fill answer to a plain client differs")
	}
	// Not cacheable answers are never compressed here (nginx may).
	rec := s.do(func() *http.Request {
		r := httptest.NewRequest(http.MethodGet, path+"?tip=sent", nil)
		r.Header.Set("Accept-Encoding", "gzip")
		return r
	}())
	if rec.Header().Get("Content-Encoding") != "" || !strings.Contains(rec.Body.String(), "Gzip Casetest") {
		t.Error("an uncacheable answer was compressed")
	}
}

func TestPageCacheConcurrentMisses(t *testing.T) {
	s := newSite(t, withCache(PageCacheOptions{TTL: time.Minute}))
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

// TestPageCacheFillAcrossPurge: a page built from rows read before a change
// must not be kept once the purge announcing the change has happened.
func TestPageCacheFillAcrossPurge(t *testing.T) {
	c := NewPageCache(PageCacheOptions{Now: func() time.Time { return fixedNow }})
	_, f, leader, _ := c.lookup("/cases/1")
	if !leader {
		t.Fatal("not leader on a miss")
	}
	c.Purge() // the change lands while the leader renders
	c.finish("/cases/1", f, &cachedPage{status: 200, gz: compress([]byte("old")), size: 3, header: http.Header{}})
	if p, _, _, _ := c.lookup("/cases/1"); p != nil {
		t.Error("a page rendered before the purge was kept")
	}
	if n, _ := c.Len(); n != 0 {
		t.Errorf("%d pages kept", n)
	}
	// The same with Confirm seeing a new revision.
	c.Confirm(1)
	_, f, _, _ = c.lookup("/cases/2")
	c.Confirm(2)
	c.finish("/cases/2", f, &cachedPage{status: 200, gz: compress([]byte("old")), size: 3, header: http.Header{}})
	if n, _ := c.Len(); n != 0 {
		t.Errorf("%d pages kept after a new revision", n)
	}
}

func TestPageCacheBounded(t *testing.T) {
	const budget = 64 << 10
	c := NewPageCache(PageCacheOptions{MaxBytes: budget, Now: func() time.Time { return fixedNow }})
	body := bytes.Repeat([]byte("<p>Last seen near the wharf.</p>\n"), 200)
	for i := 0; i < 500; i++ {
		key := fmt.Sprint("/cases?q=", i)
		_, f, leader, _ := c.lookup(key)
		if !leader {
			t.Fatal("not leader on a miss")
		}
		c.finish(key, f, &cachedPage{status: 200, gz: compress(append(body, strconv.Itoa(i)...)), size: len(body), header: http.Header{}})
	}
	pages, size := c.Len()
	if size > budget || pages < 10 || pages >= 500 || len(c.entries) != pages || len(c.inflight) != 0 {
		t.Fatalf("pages %d, %d bytes (budget %d), entries %d, inflight %d", pages, size, budget, len(c.entries), len(c.inflight))
	}
	if p, _, _, _ := c.lookup("/cases?q=499"); p == nil {
		t.Error("most recent entry evicted")
	}
	if p, _, _, _ := c.lookup("/cases?q=0"); p != nil {
		t.Error("oldest entry kept")
	}
	// An entry larger than the whole budget is not kept (and evicts nothing).
	huge := make([]byte, 2*budget)
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range huge {
		huge[i] = byte(rnd.Uint32()) // incompressible
	}
	_, f, _, _ := c.lookup("/huge")
	c.finish("/huge", f, &cachedPage{status: 200, gz: compress(huge), size: len(huge), header: http.Header{}})
	if p, _, _, _ := c.lookup("/huge"); p != nil {
		t.Error("an entry above the budget was kept")
	}
	if n, _ := c.Len(); n != pages {
		t.Errorf("the refused entry evicted others: %d pages, had %d", n, pages)
	}
}
