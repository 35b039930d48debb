package pagecache

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestFreqSketch(t *testing.T) {
	s := newFreqSketch(2048)
	if w := int(s.mask) + 1; w != 2048 || s.sample != 10*2048 {
		t.Fatalf("width %d, sample %d", w, s.sample)
	}
	if small := newFreqSketch(10); small.mask+1 != 1024 {
		t.Errorf("width for 10 keys %d, want the floor 1024", small.mask+1)
	}
	// Never under the truth, whatever else is counted; exact here, where
	// 1,000 keys share 8,192 counters.
	truth := map[string]int{}
	rnd := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		k := fmt.Sprint("/cases/", rnd.IntN(1000))
		truth[k]++
		s.add(k)
	}
	wrong := 0
	for k, n := range truth {
		got := int(s.estimate(k))
		if got < min(n, sketchMax) {
			t.Fatalf("%s: estimate %d under the true %d", k, got, n)
		}
		if got != min(n, sketchMax) {
			wrong++
		}
	}
	if wrong > len(truth)/20 {
		t.Errorf("%d of %d estimates above the truth", wrong, len(truth))
	}
	// A key never added shares all four of its counters with counted keys
	// rarely (here about (1000/2048)⁴, 6 %).
	nonzero := 0
	for i := range 1000 {
		if s.estimate(fmt.Sprint("/never/", i)) != 0 {
			nonzero++
		}
	}
	if nonzero > 150 {
		t.Errorf("%d of 1,000 keys never added estimate above 0", nonzero)
	}
	// Saturates instead of wrapping.
	for range 40 {
		s.add("/hot")
	}
	if got := s.estimate("/hot"); got != sketchMax {
		t.Errorf("/hot after 40 requests: %d, want %d", got, sketchMax)
	}
	// Halved once every sample requests: old traffic fades.
	for i := 0; s.added != 0 || i == 0; i++ {
		s.add(fmt.Sprint("/other/", i))
	}
	if got := s.estimate("/hot"); got != sketchMax/2 {
		t.Errorf("/hot after a halving: %d, want %d", got, sketchMax/2)
	}
}

// pageFor is the page built for key: the key, a space, then text of its
// own (random letters seeded by the key), about 2 KB that compress to
// about 0.6 KB.
func pageFor(key string) []byte {
	h := fnv.New64a()
	_, _ = h.Write([]byte(key))
	rnd := rand.New(rand.NewPCG(h.Sum64(), 1))
	b := append([]byte(key), ' ')
	for range 1000 {
		b = append(b, byte('a'+rnd.IntN(26)), ' ')
	}
	return b
}

// admitRoute serves pageFor(key) under keys "/p/N", counting builds.
type admitRoute struct {
	rt     *Route
	builds atomic.Int64
}

func newAdmitRoute(c *Cache) *admitRoute { return &admitRoute{rt: c.NewRoute()} }

func (a *admitRoute) get(t *testing.T, key string) {
	t.Helper()
	next := func(w http.ResponseWriter, r *http.Request) error {
		a.builds.Add(1)
		w.Header().Set("Cache-Control", "public, max-age=60")
		_, _ = w.Write(pageFor(key))
		return nil
	}
	rec := httptest.NewRecorder()
	if err := a.rt.Serve(rec, httptest.NewRequest(http.MethodGet, key, nil), key, next); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(rec.Body.String(), key) || rec.Code != http.StatusOK {
		t.Fatalf("%s answered %d %.40q", key, rec.Code, rec.Body.String())
	}
}

// TestAdmitWhenFull: while the budget has room every page is kept; once
// it is full, pages asked for once do not push out the ones kept, a page
// asked for again does, and a burst of requests for a new page is built
// once whether or not it is kept.
func TestAdmitWhenFull(t *testing.T) {
	c := New(Options{MaxBytes: 64 << 10, Now: func() time.Time { return testNow }})
	a := newAdmitRoute(c)
	// A sweep over many more pages than fit, each asked for once.
	for i := range 400 {
		a.get(t, fmt.Sprint("/p/", i))
	}
	st := c.Stats()
	if st.Pages < 20 || st.Pages >= 100 || st.Refused < 300 || st.Bytes > 64<<10 {
		t.Fatalf("after the sweep: %+v", st)
	}
	full := st.Pages
	// The pages kept are almost all among the first ones: once the budget
	// was full, pages asked for once did not evict them (but for a few
	// whose counters all happen to be shared with other pages').
	c.mu.Lock()
	var kept []string
	late := 0
	for k := range c.entries {
		var i int
		if _, err := fmt.Sscanf(k, "/p/%d", &i); err != nil {
			t.Fatalf("kept %q", k)
		}
		if i >= full+5 {
			late++
		}
		kept = append(kept, k)
	}
	c.mu.Unlock()
	if late > 10 {
		t.Errorf("%d of %d pages kept were asked for once after the budget was full", late, len(kept))
	}
	before := a.builds.Load()
	for _, k := range kept {
		a.get(t, k)
	}
	if b := a.builds.Load() - before; b != 0 {
		t.Errorf("%d of the %d pages kept were built again", b, len(kept))
	}
	// The kept pages were now asked for twice: a page asked for twice is
	// not enough to evict one, three times is, and it is kept from then on.
	for range 3 {
		a.get(t, "/p/399")
	}
	before = a.builds.Load()
	a.get(t, "/p/399")
	if b := a.builds.Load() - before; b != 0 {
		t.Errorf("/p/399, asked for a fourth time, built again")
	}
	if n, _ := c.Len(); n > full || n < full-2 {
		t.Errorf("%d pages kept, had %d", n, full)
	}
	// Pages asked for so often that their counts are saturated do not
	// keep out a page asked for as often since.
	c.mu.Lock()
	kept = kept[:0]
	for k := range c.entries {
		kept = append(kept, k)
	}
	c.mu.Unlock()
	for range 3 {
		for _, k := range kept {
			for range sketchMax {
				a.get(t, k)
			}
		}
	}
	// By its ceiling-th request at the latest (sooner when its counters
	// happen to be shared with other pages', as a sketch allows) it is
	// kept, and then answered without a build.
	isKept := func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		_, ok := c.entries["/p/fresh"]
		return ok
	}
	for i := 0; i < sketchMax && !isKept(); i++ {
		a.get(t, "/p/fresh")
	}
	if !isKept() {
		t.Fatalf("a page asked for %d times, its count at the ceiling, is not kept", sketchMax)
	}
	before = a.builds.Load()
	a.get(t, "/p/fresh")
	if b := a.builds.Load() - before; b != 0 {
		t.Errorf("%d builds for a page kept at the ceiling, want 0", b)
	}
}

// TestAdmitBurst: 32 requests at once for a page the full cache does not
// keep yet (a case just shared) make one build, and the next request
// finds the page kept.
func TestAdmitBurst(t *testing.T) {
	c := New(Options{MaxBytes: 32 << 10, Now: func() time.Time { return testNow }})
	rt := c.NewRoute()
	var builds atomic.Int64
	release := make(chan struct{})
	next := func(w http.ResponseWriter, r *http.Request) error {
		builds.Add(1)
		if r.URL.Path == "/burst" {
			<-release
		}
		w.Header().Set("Cache-Control", "public, max-age=60")
		_, _ = w.Write(pageFor(r.URL.Path))
		return nil
	}
	serve := func(key string) string {
		rec := httptest.NewRecorder()
		if err := rt.Serve(rec, httptest.NewRequest(http.MethodGet, key, nil), key, next); err != nil {
			t.Error(err)
		}
		return rec.Body.String()
	}
	for i := range 200 { // full of pages asked for twice
		serve(fmt.Sprint("/p/", i))
		serve(fmt.Sprint("/p/", i))
	}
	if st := c.Stats(); st.Refused == 0 {
		t.Fatalf("the cache never refused a page: %+v", st)
	}
	first := builds.Load()
	var wg sync.WaitGroup
	bodies := make([]string, 32)
	for i := range bodies {
		wg.Go(func() { bodies[i] = serve("/burst") })
	}
	// Let a few requests arrive (and count) before the build ends: more
	// than the pages kept were asked for. Those that come after it ends
	// find the page kept.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		c.mu.Lock()
		f, n := c.inflight["/burst"], c.freq.estimate("/burst")
		c.mu.Unlock()
		if f != nil && n >= 3 {
			break
		}
	}
	close(release)
	wg.Wait()
	if b := builds.Load() - first; b != 1 {
		t.Errorf("%d builds for 32 requests at once, want 1", b)
	}
	for i, b := range bodies {
		if !strings.HasPrefix(b, "/burst ") || len(b) != len(bodies[0]) {
			t.Fatalf("request %d got %.20q (%d bytes)", i, b, len(b))
		}
	}
	serve("/burst")
	if b := builds.Load() - first; b != 1 {
		t.Errorf("/burst built again after the burst: not kept")
	}
}

// TestAdmitConcurrent: many clients over more pages than fit, some asked
// for far more often than others; the budget holds, the bookkeeping
// agrees with itself, and the pages asked for most are the ones kept.
func TestAdmitConcurrent(t *testing.T) {
	c := New(Options{MaxBytes: 48 << 10, Now: func() time.Time { return testNow }})
	a := newAdmitRoute(c)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(g), 9))
			for range 300 {
				key := fmt.Sprint("/p/", rnd.IntN(500))
				if rnd.IntN(2) == 0 {
					key = fmt.Sprint("/hot/", rnd.IntN(10))
				}
				a.get(t, key)
			}
		})
	}
	wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bytes > c.maxBytes || len(c.entries) != c.lru.Len() || len(c.inflight) != 0 {
		t.Fatalf("%d bytes of %d, %d entries, %d in the list, %d in flight", c.bytes, c.maxBytes, len(c.entries), c.lru.Len(), len(c.inflight))
	}
	hot := 0
	for k := range c.entries {
		if strings.HasPrefix(k, "/hot/") {
			hot++
		}
	}
	if hot < 9 {
		t.Errorf("%d of the 10 pages asked for most are kept (%d pages kept)", hot, len(c.entries))
	}
}
