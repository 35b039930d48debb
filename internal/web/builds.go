package web

import (
	"net/http"
	"runtime"
	"sync"

	"lostinnl/internal/pagecache"
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

// newBuildSlots allows n builds at once; n ≤ 0 takes one per P. The server
// passes one per core (cli's buildSlots), which suits SQLite: its queries
// run on our own cores, so a build never waits for anything but the CPU
// (Deps.BuildSlots).
func newBuildSlots(n int) buildSlots {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	return make(buildSlots, n)
}

var builtPages = sync.Pool{New: func() any { return pagecache.NewRecorder() }}

// limit returns next run in a slot, its answer kept in memory and written
// once the slot is free again. A build that fails leaves none of its
// headers: the error page sets its own, as without the slots.
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
		p := builtPages.Get().(*pagecache.Recorder)
		p.Reset()
		err := next(p, r)
		<-s
		if err == nil {
			p.Replay(w)
		}
		builtPages.Put(p)
		return err
	}
}
