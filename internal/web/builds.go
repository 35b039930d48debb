package web

import (
	"bytes"
	"net/http"
	"runtime"
	"strconv"
	"sync"

	"lostinnl/internal/web/kit"
)

// buildSlots bounds how many public pages are built at the same moment;
// the others wait their turn in arrival order.
//
// When a case is shared, or after a change empties the page cache, far
// more requests arrive than there are cores. Built all at once, they share
// the CPU in whatever order the schedulers pick: most finish quickly and a
// few wait many times as long (10,000 cases, 64 connections, 2 cores:
// rotating searches p50 8.5 ms, p99 65 ms, when one search alone takes
// under 2 ms). Queued, each waits about as long as the others: p99 29–32 ms
// with one slot per core, for the same throughput (docs/performance.md). A slot covers the
// database reads and the rendering, never the client: the page is built
// into memory and written after the slot is released, so a slow phone
// cannot hold one.
type buildSlots chan struct{}

// newBuildSlots allows n builds at once; n ≤ 0 takes one per core, which
// suits SQLite: its queries run on our own cores, so a build never waits
// for anything but the CPU (Deps.BuildSlots).
func newBuildSlots(n int) buildSlots {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	return make(buildSlots, n)
}

var builtPages = sync.Pool{New: func() any { return new(builtPage) }}

// limit returns next run in a slot, its answer kept in memory and written
// once the slot is free again.
func (s buildSlots) limit(next kit.HandlerFunc) kit.HandlerFunc {
	if s == nil {
		return next
	}
	return func(w http.ResponseWriter, r *http.Request) error {
		select {
		case s <- struct{}{}:
		case <-r.Context().Done():
			return r.Context().Err() // the visitor left while waiting
		}
		p := builtPages.Get().(*builtPage)
		p.reset()
		err := next(p, r)
		<-s
		if err == nil {
			p.writeTo(w)
		}
		if p.body.Cap() <= 1<<20 {
			builtPages.Put(p)
		}
		return err
	}
}

// builtPage records what a handler writes. Its headers reach the response
// only with the page: an action that set some and then failed leaves the
// error page to set its own, as without the slots.
type builtPage struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (p *builtPage) reset() {
	p.header, p.status = http.Header{}, 0
	p.body.Reset()
}

func (p *builtPage) Header() http.Header { return p.header }
func (p *builtPage) WriteHeader(code int) {
	if p.status == 0 {
		p.status = code
	}
}
func (p *builtPage) Write(b []byte) (int, error) {
	p.WriteHeader(http.StatusOK)
	return p.body.Write(b)
}

func (p *builtPage) writeTo(w http.ResponseWriter) {
	if p.status == 0 {
		p.status = http.StatusOK
	}
	hd := w.Header()
	for k, v := range p.header {
		hd[k] = v
	}
	if p.status != http.StatusNoContent && p.status != http.StatusNotModified && hd.Get("Content-Length") == "" {
		hd.Set("Content-Length", strconv.Itoa(p.body.Len()))
	}
	w.WriteHeader(p.status)
	_, _ = w.Write(p.body.Bytes()) // a write error means the client left
}
