package web

import (
	"container/list"
	"math"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// ipLimiter is a per-client-IP token bucket for public form posts. The map
// is bounded: when full, the least recently seen client is forgotten (which
// at worst gives that client a fresh bucket), so a flood of addresses cannot
// grow memory without limit.
type ipLimiter struct {
	mu      sync.Mutex
	limit   rate.Limit
	burst   int
	max     int
	now     func() time.Time
	entries map[netip.Addr]*list.Element
	lru     *list.List // front = most recently seen
}

type limiterEntry struct {
	addr netip.Addr
	lim  *rate.Limiter
}

func newIPLimiter(perMinute float64, burst, maxEntries int, now func() time.Time) *ipLimiter {
	return &ipLimiter{
		limit:   rate.Limit(perMinute / 60),
		burst:   burst,
		max:     maxEntries,
		now:     now,
		entries: make(map[netip.Addr]*list.Element),
		lru:     list.New(),
	}
}

// allow takes one token for addr. When none is left it returns false and
// how long until one is.
func (l *ipLimiter) allow(addr netip.Addr) (bool, time.Duration) {
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
		lim = el.Value.(*limiterEntry).lim
	} else {
		for l.lru.Len() >= l.max {
			old := l.lru.Back()
			l.lru.Remove(old)
			delete(l.entries, old.Value.(*limiterEntry).addr)
		}
		lim = rate.NewLimiter(l.limit, l.burst)
		l.entries[addr] = l.lru.PushFront(&limiterEntry{addr: addr, lim: lim})
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

func (l *ipLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lru.Len()
}

// rateLimited guards a public form post with the per-IP limit; over the
// limit the visitor gets the 429 page with Retry-After.
func (h *handler) rateLimited(next handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ok, wait := h.limiter.allow(h.clientIP(r))
		if !ok {
			if h.onRateLimited != nil {
				h.onRateLimited(formName(r))
			}
			secs := int(math.Ceil(wait.Seconds()))
			if secs < 1 {
				secs = 1
			}
			return &httpError{status: http.StatusTooManyRequests, retryAfter: secs}
		}
		return next(w, r)
	}
}

// formName names a public form for metrics by its path, so the label set
// stays bounded whatever the request says.
func formName(r *http.Request) string {
	switch {
	case r.URL.Path == "/submit":
		return "report"
	case r.URL.Path == "/contact":
		return "contact"
	case strings.HasPrefix(r.URL.Path, "/cases/"):
		return "tip"
	case strings.HasPrefix(r.URL.Path, "/report/"):
		return "report_link"
	}
	return "other"
}

// formRejected reports a refused form submission to the metrics hook.
func (h *handler) formRejected(form, reason string) {
	if h.onFormRejected != nil {
		h.onFormRejected(form, reason)
	}
}
