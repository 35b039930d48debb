package web

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// PageCache keeps rendered public responses (home, listings, case pages,
// resources, the API) until the content behind them changes. When a case is
// shared, thousands of phones open the same page within minutes, and search
// engines and link previews walk every case page: from the cache a page
// costs no database query and no template.
//
// Freshness does not rest on a short TTL. Every write that changes what the
// public pages show also changes the database's content revision in the same
// transaction (store.ContentRevision); each instance reads it about once a
// second and passes it to Confirm, which drops every cached page when it
// changed. An instance's own admin writes purge at once (Purge). So a change
// shows on every instance within about a second, and when the revision
// cannot be read (the database is down, or this instance is cut off from
// it), pages stop being served from the cache after ConfirmWithin, and
// visitors get what the database can give them, like without a cache.
//
// Pages are kept gzip-compressed: a case page is ~9 KB of HTML and ~3 KB
// compressed, so ten thousand of them fit in ~30 MB, and browsers (which all
// send Accept-Encoding: gzip) get the stored bytes as they are, which also
// saves their data on weak rural connections. A client that does not accept
// gzip gets the page inflated (~30 µs for a case page).
//
// The public pages hold no secret and reflect nothing a visitor sent (no
// CSRF token, no form values: those answers are never cached), so
// compressing them gives a BREACH-style attack nothing to recover.
type PageCache struct {
	ttl           time.Duration
	confirmWithin time.Duration
	maxBytes      int // compressed bodies and keys, about
	maxBody       int // largest uncompressed body kept
	now           func() time.Time

	mu        sync.Mutex
	gen       uint64 // increases on every purge; fills from older generations are dropped
	rev       int64  // last content revision seen by Confirm
	haveRev   bool
	confirmed time.Time
	entries   map[string]*list.Element // value: *cachedPage
	lru       *list.List               // front = most recently used
	bytes     int
	inflight  map[string]*cacheFill
	headers   map[string]http.Header // see internLocked

	hits, misses, bypasses atomic.Uint64
}

// PageCacheOptions configure NewPageCache; zero values take the defaults.
type PageCacheOptions struct {
	// TTL is the longest a page is kept, whatever Confirm says: a safety net
	// for writes made outside the application (an operator's SQL). Default 1 minute.
	TTL time.Duration
	// ConfirmWithin, when positive, serves cached pages only while Confirm
	// was called within this long. Zero: no confirmation needed (a single
	// instance whose writes all go through its own admin area, and tests).
	ConfirmWithin time.Duration
	// MaxBytes bounds the compressed pages kept (least recently used go
	// first). Default 32 MB.
	MaxBytes int
	// Now is the clock (tests); default time.Now.
	Now func() time.Time
}

// entryOverhead approximates what an entry costs besides its body and key
// (list element, map slot, header map, struct).
const entryOverhead = 400

func NewPageCache(o PageCacheOptions) *PageCache {
	if o.TTL <= 0 {
		o.TTL = time.Minute
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 32 << 20
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &PageCache{
		ttl: o.TTL, confirmWithin: o.ConfirmWithin, maxBytes: o.MaxBytes, maxBody: 512 << 10, now: o.Now,
		entries:  map[string]*list.Element{},
		lru:      list.New(),
		inflight: map[string]*cacheFill{},
		headers:  map[string]http.Header{},
	}
}

type cachedPage struct {
	key     string
	gen     uint64
	status  int
	header  http.Header
	gz      []byte // the body, gzip-compressed
	size    int    // length of the uncompressed body
	expires time.Time
}

func (p *cachedPage) cost() int { return len(p.gz) + len(p.key) + entryOverhead }

// cacheFill lets concurrent misses for one key wait for the first one
// instead of all querying the database at once.
type cacheFill struct {
	done chan struct{}
	gen  uint64      // the generation the leader started in
	page *cachedPage // nil when the leader's answer was not cacheable
}

// Confirm records the content revision just read from the database. A
// revision other than the last one seen drops every cached page; either
// way the cache counts as confirmed from now on (see ConfirmWithin).
func (c *PageCache) Confirm(rev int64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.haveRev && rev != c.rev {
		c.purgeLocked()
	}
	c.rev, c.haveRev = rev, true
	c.confirmed = c.now()
}

// Purge drops every cached page of this instance; the admin area calls it
// after each change, so the moderator who made it sees it at once.
func (c *PageCache) Purge() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.purgeLocked()
}

func (c *PageCache) purgeLocked() {
	c.gen++
	c.entries = map[string]*list.Element{}
	c.lru.Init()
	c.bytes = 0
}

// Len returns the number of pages kept and their approximate size in bytes.
func (c *PageCache) Len() (pages, bytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len(), c.bytes
}

// PageCacheStats are the cache's counters since start, for the metrics.
type PageCacheStats struct {
	Pages, Bytes int // kept now
	// Hits were answered without building the page (including requests
	// that waited for another one building it); Misses built it; Bypasses
	// were answered without the cache because it was not confirmed.
	Hits, Misses, Bypasses uint64
}

func (c *PageCache) Stats() PageCacheStats {
	pages, size := c.Len()
	return PageCacheStats{Pages: pages, Bytes: size, Hits: c.hits.Load(), Misses: c.misses.Load(), Bypasses: c.bypasses.Load()}
}

// freshLocked reports whether cached pages may be served now.
func (c *PageCache) freshLocked(now time.Time) bool {
	return c.confirmWithin <= 0 || (c.haveRev && now.Sub(c.confirmed) < c.confirmWithin)
}

// lookup returns a fresh entry; or, on a miss, whether the caller leads the
// fill (leader) or must wait on fill. bypass means the cache may not be used
// at all right now (not confirmed recently): answer without it.
func (c *PageCache) lookup(key string) (page *cachedPage, fill *cacheFill, leader, bypass bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if !c.freshLocked(now) {
		return nil, nil, false, true
	}
	if el, ok := c.entries[key]; ok {
		p := el.Value.(*cachedPage)
		if now.Before(p.expires) {
			c.lru.MoveToFront(el)
			return p, nil, false, false
		}
		c.removeLocked(el)
	}
	if f, ok := c.inflight[key]; ok {
		return nil, f, false, false
	}
	f := &cacheFill{done: make(chan struct{}), gen: c.gen}
	c.inflight[key] = f
	return nil, f, true, false
}

func (c *PageCache) removeLocked(el *list.Element) {
	p := el.Value.(*cachedPage)
	c.lru.Remove(el)
	delete(c.entries, p.key)
	c.bytes -= p.cost()
}

// internLocked returns a header map equal to hd that other entries already
// share, if there is one: pages of a route carry the same few headers, and
// a map per page would cost ~300 bytes each. Kept maps are never changed
// (writeTo copies their values into the response's own header).
func (c *PageCache) internLocked(hd http.Header) http.Header {
	var key strings.Builder
	for _, k := range slices.Sorted(maps.Keys(hd)) {
		key.WriteString(k)
		for _, v := range hd[k] {
			key.WriteByte(0)
			key.WriteString(v)
		}
		key.WriteByte(1)
	}
	if shared, ok := c.headers[key.String()]; ok {
		return shared
	}
	if len(c.headers) < 256 { // routes × cache policies: a handful in practice
		c.headers[key.String()] = hd
	}
	return hd
}

// finish ends a fill and hands p (nil when not cacheable) to the waiting
// followers. p is kept only if no purge happened since the fill started:
// a page built from rows read before a change must not outlive the purge
// that announced the change.
func (c *PageCache) finish(key string, f *cacheFill, p *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.inflight, key)
	if p != nil && f.gen == c.gen && p.cost() <= c.maxBytes {
		p.key, p.gen = key, c.gen
		p.header = c.internLocked(p.header)
		p.expires = c.now().Add(c.ttl)
		if el, ok := c.entries[key]; ok {
			c.removeLocked(el)
		}
		for c.bytes+p.cost() > c.maxBytes && c.lru.Len() > 0 {
			c.removeLocked(c.lru.Back())
		}
		c.entries[key] = c.lru.PushFront(p)
		c.bytes += p.cost()
	}
	f.page = p
	close(f.done)
}

// Pools for compressing on a fill and for inflating for the rare client
// that does not accept gzip. A flate compressor holds ~1 MB of tables, so
// one per concurrent fill, reused.
var (
	gzipWriters = sync.Pool{New: func() any {
		zw, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression) // the level is valid
		return zw
	}}
	gzipReaders sync.Pool                                                 // *gzip.Reader
	inflateBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }} // scratch buffers for both

)

// compress returns body gzip-compressed, in a slice of exactly its length
// (ten thousand pages kept: spare capacity would cost megabytes).
func compress(body []byte) []byte {
	out := inflateBufs.Get().(*bytes.Buffer)
	out.Reset()
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(out)
	_, _ = zw.Write(body) // writes to a bytes.Buffer do not fail
	_ = zw.Close()
	gzipWriters.Put(zw)
	gz := bytes.Clone(out.Bytes())
	if out.Cap() <= 1<<20 {
		inflateBufs.Put(out)
	}
	return gz
}

// inflate writes p's body uncompressed into buf.
func (p *cachedPage) inflate(buf *bytes.Buffer) error {
	src := bytes.NewReader(p.gz)
	zr, _ := gzipReaders.Get().(*gzip.Reader)
	var err error
	if zr == nil {
		zr, err = gzip.NewReader(src)
	} else {
		err = zr.Reset(src)
	}
	if err != nil {
		return err
	}
	buf.Grow(p.size)
	_, err = io.Copy(buf, zr)
	gzipReaders.Put(zr)
	return err
}

// writeTo answers r with p: the stored gzip bytes when the client accepts
// gzip, the inflated body otherwise.
func (p *cachedPage) writeTo(w http.ResponseWriter, r *http.Request) error {
	body := p.gz
	gz := acceptsGzip(r)
	if !gz {
		buf := inflateBufs.Get().(*bytes.Buffer)
		buf.Reset()
		defer func() {
			if buf.Cap() <= 1<<20 {
				inflateBufs.Put(buf)
			}
		}()
		if err := p.inflate(buf); err != nil {
			return err // cannot happen for bytes we compressed; the caller renders instead
		}
		body = buf.Bytes()
	}
	hd := w.Header()
	for k, v := range p.header {
		hd[k] = v
	}
	setCachedHeaders(hd, gz, len(body))
	w.WriteHeader(p.status)
	_, _ = w.Write(body) // a write error means the client left
	return nil
}

// setCachedHeaders marks an answer of a cached route: it varies with
// Accept-Encoding (a shared cache on the way must not give gzip to a client
// that did not ask for it).
func setCachedHeaders(hd http.Header, gz bool, n int) {
	hd.Set("Vary", "Accept-Encoding")
	if gz {
		hd.Set("Content-Encoding", "gzip")
	}
	hd.Set("Content-Length", strconv.Itoa(n))
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
		page, fill, leader, bypass := c.lookup(key)
		if bypass {
			c.bypasses.Add(1)
			return next(w, r)
		}
		if page != nil {
			if page.writeTo(w, r) == nil {
				c.hits.Add(1)
				return nil
			}
			c.misses.Add(1)
			return next(w, r)
		}
		if !leader {
			select {
			case <-fill.done:
				if fill.page != nil && fill.page.writeTo(w, r) == nil {
					c.hits.Add(1)
					return nil
				}
				c.misses.Add(1)
				return next(w, r) // not cacheable: answer it ourselves
			case <-r.Context().Done():
				return r.Context().Err()
			}
		}
		c.misses.Add(1)
		rec := &captureWriter{header: http.Header{}}
		finished := false
		defer func() {
			// A panic in the action must not leave followers waiting.
			if !finished {
				c.finish(key, fill, nil)
			}
		}()
		err := next(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		var p *cachedPage
		if err == nil && rec.status == http.StatusOK && rec.body.Len() <= c.maxBody && isPublicCache(rec.header.Get("Cache-Control")) {
			p = &cachedPage{status: rec.status, header: rec.header, gz: compress(rec.body.Bytes()), size: rec.body.Len()}
		}
		c.finish(key, fill, p)
		finished = true
		if err != nil {
			return err
		}
		// Answer what the action wrote: as the cache would if it is
		// cacheable (compressed for clients that take it), as is otherwise.
		hd := w.Header()
		for k, v := range rec.header {
			hd[k] = v
		}
		body := rec.body.Bytes()
		if p != nil {
			gz := acceptsGzip(r)
			if gz {
				body = p.gz
			}
			setCachedHeaders(hd, gz, len(body))
		} else {
			hd.Set("Content-Length", strconv.Itoa(len(body)))
		}
		w.WriteHeader(rec.status)
		_, _ = w.Write(body) // a write error means the client left
		return nil
	}
}

func isPublicCache(cc string) bool {
	return len(cc) >= 6 && cc[:6] == "public"
}

// purgePageCache drops every cached page of this instance; the admin area
// calls it after a change that the public pages show.
func (h *handler) purgePageCache() { h.cache.Purge() }
