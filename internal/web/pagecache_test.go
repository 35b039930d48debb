package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lostinnl/internal/store"
)

func TestPageCache(t *testing.T) {
	var now atomic.Int64
	now.Store(fixedNow.UnixNano())
	s := newSite(t, func(d *Deps) {
		d.CacheTTL = 5 * time.Second
		d.Now = func() time.Time { return time.Unix(0, now.Load()).UTC() }
	})
	id := s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Cached Casetest" })
	path := fmt.Sprintf("/cases/%d", id)
	first := s.get(path)
	wantStatus(t, first, http.StatusOK)
	mustContain(t, first.Body.String(), "Cached Casetest")

	// Archive it: within the TTL the cached page is still served...
	if err := s.st.TransitionCase(context.Background(), id, store.StatusArchived, "", nil); err != nil {
		t.Fatal(err)
	}
	again := s.get(path)
	wantStatus(t, again, http.StatusOK)
	if again.Body.String() != first.Body.String() {
		t.Error("cached body differs")
	}
	for _, k := range []string{"Content-Type", "Cache-Control", "Content-Length"} {
		if again.Header().Get(k) != first.Header().Get(k) {
			t.Errorf("%s: %q vs %q", k, again.Header().Get(k), first.Header().Get(k))
		}
	}
	checkSecurityHeaders(t, "cached page", again.Header())
	// ...but never for a variant with a notice, and not after the TTL.
	wantStatus(t, s.get(path+"?tip=sent"), http.StatusNotFound)
	now.Add(int64(6 * time.Second))
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

func TestPageCacheConcurrentMisses(t *testing.T) {
	s := newSite(t, func(d *Deps) { d.CacheTTL = time.Minute })
	s.addCase(store.StatusMissing, nil)
	var wg sync.WaitGroup
	bodies := make([]string, 32)
	codes := make([]int, 32)
	for i := range bodies {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			rec := httptest.NewRecorder()
			s.h.ServeHTTP(rec, httptest.NewRequest("GET", "/cases", nil))
			bodies[i], codes[i] = rec.Body.String(), rec.Code
		}(i)
	}
	wg.Wait()
	for i := range bodies {
		if codes[i] != 200 || bodies[i] != bodies[0] {
			t.Fatalf("request %d: %d, same body %v", i, codes[i], bodies[i] == bodies[0])
		}
	}
}

func TestPageCacheBounded(t *testing.T) {
	c := newPageCache(time.Minute, func() time.Time { return fixedNow })
	c.max = 10
	for i := 0; i < 100; i++ {
		key := fmt.Sprint("/cases?q=", i)
		_, f, leader := c.lookup(key)
		if !leader {
			t.Fatal("not leader on a miss")
		}
		c.finish(key, f, &cachedPage{status: 200, body: []byte("x")})
	}
	if c.lru.Len() != 10 || len(c.entries) != 10 || len(c.inflight) != 0 {
		t.Fatalf("lru %d entries %d inflight %d", c.lru.Len(), len(c.entries), len(c.inflight))
	}
	if p, _, _ := c.lookup("/cases?q=99"); p == nil {
		t.Error("most recent entry evicted")
	}
}
