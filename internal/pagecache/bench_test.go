package pagecache

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// BenchmarkServeOverBudget: random requests over four times more pages
// than the budget holds (a crawler or random visits on a large site), each
// page ~11 KB of which 8 KB is the layout every page shares, as case pages
// do. Building a page here is only writing it, so ns/op is what the cache
// itself costs a request (lookup, coding, decoding, bookkeeping);
// builds/op is the share of requests that built their page.
func BenchmarkServeOverBudget(b *testing.B) {
	const pages = 4000
	rnd := rand.New(rand.NewPCG(5, 6))
	words := func(n int) string {
		var s strings.Builder
		for range n {
			for range 3 + rnd.IntN(6) {
				s.WriteByte(byte('a' + rnd.IntN(26)))
			}
			s.WriteByte(' ')
		}
		return s.String()
	}
	layout := "<!doctype html><html><body><header>" + words(1400) + "</header>"
	bodies := make([][]byte, pages)
	for i := range bodies {
		bodies[i] = []byte(fmt.Sprintf("%s<main><h1>Case %d</h1><p>%s</p></main></body></html>", layout, i, words(500)))
	}
	c := New(Options{MaxBytes: 1 << 20, Now: func() time.Time { return testNow }})
	rt := c.NewRoute()
	builds := 0
	next := func(w http.ResponseWriter, r *http.Request) error {
		builds++
		var i int
		_, _ = fmt.Sscanf(r.URL.Path, "/cases/%d", &i)
		w.Header().Set("Cache-Control", "public, max-age=60")
		_, _ = w.Write(bodies[i])
		return nil
	}
	keys := make([]string, pages)
	reqs := make([]*http.Request, pages)
	for i := range keys {
		keys[i] = fmt.Sprint("/cases/", i)
		reqs[i] = httptest.NewRequest(http.MethodGet, keys[i], nil)
	}
	w := httptest.NewRecorder()
	for range 2 * pages { // past the first fill
		i := rnd.IntN(pages)
		w.Body.Reset()
		_ = rt.Serve(w, reqs[i], keys[i], next)
	}
	builds = 0
	b.ResetTimer()
	for range b.N {
		i := rnd.IntN(pages)
		w.Body.Reset()
		if err := rt.Serve(w, reqs[i], keys[i], next); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(builds)/float64(b.N), "builds/op")
}
