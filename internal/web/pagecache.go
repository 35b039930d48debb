package web

import (
	"bytes"
	"container/list"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// pageCache keeps fully rendered public responses for a few seconds. When a
// case is shared and thousands open the same pages within minutes, this
// turns a burst into one database query per page per TTL instead of one per
// visitor. Only routes marked `cached` in the route table use it, only for
// GET, and only 200 answers whose Cache-Control is "public" are kept, so
// forms, notices (?tip=sent), errors and anything private never are.
type pageCache struct {
	ttl     time.Duration
	max     int // entries
	maxBody int // bytes per entry
	now     func() time.Time

	mu       sync.Mutex
	entries  map[string]*list.Element // value: *cachedPage
	lru      *list.List               // front = most recently used
	inflight map[string]*cacheFill
}

type cachedPage struct {
	key     string
	status  int
	header  http.Header
	body    []byte
	expires time.Time
}

// cacheFill lets concurrent misses for one key wait for the first one
// instead of all querying the database at once.
type cacheFill struct {
	done chan struct{}
	page *cachedPage // nil when the leader's answer was not cacheable
}

func newPageCache(ttl time.Duration, now func() time.Time) *pageCache {
	return &pageCache{
		ttl: ttl, max: 512, maxBody: 512 << 10, now: now,
		entries:  map[string]*list.Element{},
		lru:      list.New(),
		inflight: map[string]*cacheFill{},
	}
}

// lookup returns a fresh entry, or (when missing) whether the caller leads
// the fill (leader) or must wait on fill.
func (c *pageCache) lookup(key string) (page *cachedPage, fill *cacheFill, leader bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		p := el.Value.(*cachedPage)
		if c.now().Before(p.expires) {
			c.lru.MoveToFront(el)
			return p, nil, false
		}
		c.lru.Remove(el)
		delete(c.entries, key)
	}
	if f, ok := c.inflight[key]; ok {
		return nil, f, false
	}
	f := &cacheFill{done: make(chan struct{})}
	c.inflight[key] = f
	return nil, f, true
}

// finish ends a fill, storing p when it is cacheable (p may be nil).
func (c *pageCache) finish(key string, f *cacheFill, p *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.inflight, key)
	if p != nil {
		p.key = key
		p.expires = c.now().Add(c.ttl)
		if el, ok := c.entries[key]; ok {
			c.lru.Remove(el)
		}
		for c.lru.Len() >= c.max {
			old := c.lru.Back()
			c.lru.Remove(old)
			delete(c.entries, old.Value.(*cachedPage).key)
		}
		c.entries[key] = c.lru.PushFront(p)
	}
	f.page = p
	close(f.done)
}

func (p *cachedPage) writeTo(w http.ResponseWriter) {
	hd := w.Header()
	for k, v := range p.header {
		hd[k] = v
	}
	w.WriteHeader(p.status)
	_, _ = w.Write(p.body) // a write error means the client left
}

// captureWriter records what a handler writes, for the cache.
type captureWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (c *captureWriter) Header() http.Header { return c.header }
func (c *captureWriter) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
}
func (c *captureWriter) Write(b []byte) (int, error) {
	c.WriteHeader(http.StatusOK)
	return c.body.Write(b)
}

// cached wraps an action with the page cache.
func (h *handler) cached(next handlerFunc) handlerFunc {
	if h.cache == nil {
		return next
	}
	c := h.cache
	return func(w http.ResponseWriter, r *http.Request) error {
		if r.Method != http.MethodGet {
			return next(w, r)
		}
		key := r.URL.RequestURI()
		page, fill, leader := c.lookup(key)
		if page != nil {
			page.writeTo(w)
			return nil
		}
		if !leader {
			select {
			case <-fill.done:
				if fill.page != nil {
					fill.page.writeTo(w)
					return nil
				}
				return next(w, r) // not cacheable: answer it ourselves
			case <-r.Context().Done():
				return r.Context().Err()
			}
		}
		rec := &captureWriter{header: http.Header{}}
		var p *cachedPage
		finished := false
		defer func() {
			// A panic in the action must not leave followers waiting.
			if !finished {
				c.finish(key, fill, nil)
			}
		}()
		err := next(rec, r)
		if err == nil && rec.status == http.StatusOK && rec.body.Len() <= c.maxBody && isPublicCache(rec.header.Get("Cache-Control")) {
			p = &cachedPage{status: rec.status, header: rec.header, body: bytes.Clone(rec.body.Bytes())}
		}
		c.finish(key, fill, p)
		finished = true
		if err != nil {
			return err
		}
		// Replay what the action wrote, cached or not.
		hd := w.Header()
		for k, v := range rec.header {
			hd[k] = v
		}
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		hd.Set("Content-Length", strconv.Itoa(rec.body.Len()))
		w.WriteHeader(rec.status)
		_, _ = w.Write(rec.body.Bytes()) // a write error means the client left
		return nil
	}
}

func isPublicCache(cc string) bool {
	return len(cc) >= 6 && cc[:6] == "public"
}

// purgePageCache drops every cached page of this instance; the admin area
// calls it after a change that the public pages show.
func (h *handler) purgePageCache() {
	if h.cache == nil {
		return
	}
	c := h.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = map[string]*list.Element{}
	c.lru.Init()
}
