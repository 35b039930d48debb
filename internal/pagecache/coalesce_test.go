package pagecache

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// 64 clients asking for one listing at once after a content change cause
// one build of it: the page cache's one fill per key.
func TestConcurrentMissesBuildOnce(t *testing.T) {
	builds := 0
	var mu sync.Mutex
	release := make(chan struct{})
	c := New(Options{})
	c.Confirm(1)
	route := c.NewRoute()
	build := func(w http.ResponseWriter, r *http.Request) error {
		mu.Lock()
		builds++
		mu.Unlock()
		<-release
		w.Header().Set("Cache-Control", "public, max-age=30")
		_, err := io.WriteString(w, "the listing")
		return err
	}
	var wg sync.WaitGroup
	var started sync.WaitGroup
	bodies := make([]string, 64)
	for i := range 64 {
		wg.Add(1)
		started.Add(1)
		go func() {
			defer wg.Done()
			rec := httptest.NewRecorder()
			started.Done()
			if err := route.Serve(rec, httptest.NewRequest(http.MethodGet, "/cases", nil), "/cases", build); err != nil {
				t.Error(err)
			}
			bodies[i] = rec.Body.String()
		}()
	}
	started.Wait()
	close(release)
	wg.Wait()
	for i, b := range bodies {
		if b != "the listing" {
			t.Fatalf("client %d got %q", i, b)
		}
	}
	// Whether a client arrived while the page was being built (it waits
	// for that build) or after (the page is kept by then), none builds it
	// again.
	if st := c.Stats(); builds != 1 || st.Misses != 1 || st.Hits != 63 {
		t.Fatalf("%d builds for 64 concurrent requests (misses %d, hits %d)", builds, st.Misses, st.Hits)
	}
}
