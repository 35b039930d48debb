// Package ratelimit owns the per-client-IP token buckets that bound how
// often one visitor may post a public form.
//
// It only counts: it knows nothing of HTTP, routes, forms or how a client
// address is found (the web layer passes the address it trusts and answers
// 429 itself), and it keeps no state outside this process, so with several
// instances each one counts its own share (docs/operations.md).
package ratelimit

import (
	"container/list"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// PerIP is a per-client-IP token bucket. The map is bounded: when full, the
// least recently seen client is forgotten (which at worst gives that client
// a fresh bucket), so a flood of addresses cannot grow memory without limit.
type PerIP struct {
	mu      sync.Mutex
	limit   rate.Limit
	burst   int
	max     int
	now     func() time.Time
	entries map[netip.Addr]*list.Element
	lru     *list.List // front = most recently seen
}

type entry struct {
	addr netip.Addr
	lim  *rate.Limiter
}

// New returns a limiter allowing perMinute tokens a minute with bursts of
// burst per client, remembering at most maxEntries clients; now is the clock.
func New(perMinute float64, burst, maxEntries int, now func() time.Time) *PerIP {
	return &PerIP{
		limit:   rate.Limit(perMinute / 60),
		burst:   burst,
		max:     maxEntries,
		now:     now,
		entries: make(map[netip.Addr]*list.Element),
		lru:     list.New(),
	}
}

// Allow takes one token for addr. When none is left it returns false and
// how long until one is.
func (l *PerIP) Allow(addr netip.Addr) (bool, time.Duration) {
	// IPv6 clients usually own a whole /64; limit by it so rotating the
	// interface id does not buy a fresh bucket.
	if addr.Is6() {
		p, err := addr.Prefix(64)
		if err == nil {
			addr = p.Addr()
		}
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	var lim *rate.Limiter
	if el, ok := l.entries[addr]; ok {
		l.lru.MoveToFront(el)
		lim = el.Value.(*entry).lim
	} else {
		for l.lru.Len() >= l.max {
			old := l.lru.Back()
			l.lru.Remove(old)
			delete(l.entries, old.Value.(*entry).addr)
		}
		lim = rate.NewLimiter(l.limit, l.burst)
		l.entries[addr] = l.lru.PushFront(&entry{addr: addr, lim: lim})
	}
	res := lim.ReserveN(now, 1)
	if !res.OK() {
		return false, time.Minute
	}
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// Len returns the number of clients remembered.
func (l *PerIP) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lru.Len()
}
