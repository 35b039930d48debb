// Package pagecache owns the page cache: rendered public responses (status,
// headers, body) kept in memory under string keys, compressed with a
// per-route dictionary, bounded in bytes, with one fill per key at a time,
// and dropped when the content revision it is confirmed against changes
// (Confirm, Watch) or when told to (Purge).
//
// It must not know about routes, handlers, templates or the store: the web
// layer decides which routes are cached, builds the key from the query
// parameters a page reads, and passes in the revision (a number) and the
// function that reads it. It keeps only what the response itself marks as
// public (Cache-Control), so a private answer is never kept by mistake.
package pagecache

import (
	"bytes"
	"container/list"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Cache keeps rendered public responses (home, listings, case pages,
// resources, the API) until the content behind them changes. When a case is
// shared, thousands of phones open the same page within minutes, and search
// engines and link previews walk every case page: from the cache a page
// costs no database query and no template.
//
// Freshness does not rest on a short TTL. Every write that changes what the
// public pages show also changes the database's content revision in the same
// transaction (the store's ContentRevision); each instance reads it about
// once a second and passes it to Confirm (or Watch does), which drops every
// cached page when it changed. An instance's own admin writes purge at once (Purge). So a change
// shows on every instance within about a second, and when the revision
// cannot be read (the database is down, or this instance is cut off from
// it), pages stop being served from the cache after ConfirmWithin, and
// visitors get what the database can give them, like without a cache.
//
// Pages are kept as copies from a dictionary (copycode.go): the first
// page the route kept, and after it any page of a kind it did not fit
// (routeDict.extended). Pages of one route share most of their HTML
// (layout, labels, the tip form), so a case page of ~10 KB keeps in
// ~0.8 KB instead of ~3 KB with plain gzip, ten thousand of them with
// their keys and bookkeeping in ~12 MB, and answering it is copying
// from the dictionary (~1 µs).
// Answers leave the cache uncompressed; the compress package gzips them for
// clients that accept it, and in production nginx does.
//
// The web layer keeps pages under their URL without the query parameters
// the page does not read (web's cacheKey): the fbclid or utm_ tags that
// social media add to a shared link, or a random parameter meant to bust
// the cache, all get the one kept page, and cannot fill the memory budget.
type Cache struct {
	ttl           time.Duration
	confirmWithin time.Duration
	maxBytes      int // compressed bodies, keys and bookkeeping, about
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

	freq *freqSketch // how often each key was asked for lately (admit)

	hits, misses, bypasses, refused atomic.Uint64
}

// Options configure New; zero values take the defaults.
type Options struct {
	// TTL is the longest a page is kept, whatever Confirm says: a safety net
	// for writes made outside the application (an operator's SQL). Default 1 minute.
	TTL time.Duration
	// ConfirmWithin, when positive, serves cached pages only while Confirm
	// was called within this long. Zero: no confirmation needed (a single
	// instance whose writes all go through its own admin area, and tests).
	ConfirmWithin time.Duration
	// MaxBytes bounds the compressed pages kept (least recently used go
	// first). Default 20 MB.
	MaxBytes int
	// Now is the clock (tests); default time.Now.
	Now func() time.Time
}

// EntryOverhead approximates what a kept page costs besides its compressed
// body and key (list element, map slot, header map, struct); Len and
// MaxBytes count it.
const EntryOverhead = 400

// New returns an empty cache (the web layer takes it in Deps.PageCache).
func New(o Options) *Cache {
	if o.TTL <= 0 {
		o.TTL = time.Minute
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 20 << 20
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Cache{
		ttl: o.TTL, confirmWithin: o.ConfirmWithin, maxBytes: o.MaxBytes, maxBody: 512 << 10, now: o.Now,
		entries:  map[string]*list.Element{},
		lru:      list.New(),
		inflight: map[string]*cacheFill{},
		headers:  map[string]http.Header{},
		// A kept page costs about 1 KB (its compressed body, key and
		// bookkeeping). The sketch has two counters a row for each
		// (rounded up to a power of two): the pages asked for can be
		// many times those that fit (a crawler walking 100,000 case
		// pages), and a sketch much narrower than the keys it counts
		// overestimates them at random, which admits pages for the
		// noise. 256 KB for 20 MB.
		freq: newFreqSketch(2 * o.MaxBytes / 1024),
	}
}

type cachedPage struct {
	key    string
	status int
	header http.Header
	z      []byte     // the body, coded against dict (copycode.go)
	dict   *routeDict // nil: no dictionary
	// raw: z is the body as built, not compressed; such a page is only
	// handed to the requests that waited for its build, never kept (the
	// cache was full of pages asked for more often: admit).
	raw     bool
	size    int // length of the uncompressed body
	expires time.Time
}

func (p *cachedPage) cost() int { return len(p.z) + len(p.key) + EntryOverhead }

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
func (c *Cache) Confirm(rev int64) {
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
func (c *Cache) Purge() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.purgeLocked()
}

func (c *Cache) purgeLocked() {
	c.gen++
	c.entries = map[string]*list.Element{}
	c.lru.Init()
	c.bytes = 0
}

// Len returns the number of pages kept and their approximate size in bytes.
func (c *Cache) Len() (pages, bytes int) {
	if c == nil {
		return 0, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len(), c.bytes
}

// Stats are the cache's counters since start, for the metrics.
type Stats struct {
	Pages, Bytes int // kept now
	// Hits were answered without building the page (including requests
	// that waited for another one building it); Misses built it; Bypasses
	// were answered without the cache because it was not confirmed.
	Hits, Misses, Bypasses uint64
	// Refused counts misses whose page was not kept because the cache was
	// full of pages asked for at least as often (see admit).
	Refused uint64
}

// Stats returns the size and counters now (the cache must not be nil).
func (c *Cache) Stats() Stats {
	pages, size := c.Len()
	return Stats{Pages: pages, Bytes: size, Hits: c.hits.Load(), Misses: c.misses.Load(), Bypasses: c.bypasses.Load(),
		Refused: c.refused.Load()}
}

// freshLocked reports whether cached pages may be served now.
func (c *Cache) freshLocked(now time.Time) bool {
	return c.confirmWithin <= 0 || (c.haveRev && now.Sub(c.confirmed) < c.confirmWithin)
}

// lookup returns a fresh entry; or, on a miss, whether the caller leads the
// fill (leader) or must wait on fill. bypass means the cache may not be used
// at all right now (not confirmed recently): answer without it.
func (c *Cache) lookup(key string) (page *cachedPage, fill *cacheFill, leader, bypass bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if !c.freshLocked(now) {
		return nil, nil, false, true
	}
	c.freq.add(key)
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

func (c *Cache) removeLocked(el *list.Element) {
	p := el.Value.(*cachedPage)
	c.lru.Remove(el)
	delete(c.entries, p.key)
	c.bytes -= p.cost()
}

// internLocked returns a header map equal to hd that other entries already
// share, if there is one: pages of a route carry the same few headers, and
// a map per page would cost ~300 bytes each. Kept maps are never changed
// (writeTo copies their values into the response's own header).
func (c *Cache) internLocked(hd http.Header) http.Header {
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
func (c *Cache) finish(key string, f *cacheFill, p *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.inflight, key)
	if p != nil && !p.raw && f.gen == c.gen && p.cost() <= c.maxBytes {
		p.key = key
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

// routeDict is a route's dictionary, indexed for coding pages against it
// (copycode.go).
type routeDict struct {
	gen   uint64 // the cache generation it was taken in
	dict  []byte
	table []uint16 // dictTable(dict), 32 KB
}

// scratchBufs hold a page being coded or decoded.
var scratchBufs = sync.Pool{New: func() any { return new([]byte) }}

// putScratch returns buf to scratchBufs, unless one huge page made it too
// large to keep.
func putScratch(buf *[]byte) {
	if cap(*buf) <= 1<<20 {
		scratchBufs.Put(buf)
	}
}

// maxDict bounds a dictionary: copy positions have two bytes (maxRef),
// and half of them are left to the page itself.
const maxDict = 32 << 10

func newRouteDict(page []byte, gen uint64) *routeDict {
	if len(page) > maxDict {
		page = page[len(page)-maxDict:]
	}
	return indexedDict(bytes.Clone(page), gen)
}

func indexedDict(dict []byte, gen uint64) *routeDict {
	return &routeDict{gen: gen, dict: dict, table: dictTable(dict)}
}

// parts is d's bytes and table, both nil for no dictionary (d nil).
func (d *routeDict) parts() ([]byte, []uint16) {
	if d == nil {
		return nil, nil
	}
	return d.dict, d.table
}

// poorFit is the coded share of a page, in percent, above which the
// route's dictionary does not fit the page: a case page coded with
// another case page keeps 7–8 % of its bytes, with the short "located"
// notice as the dictionary 25–30 %.
const poorFit = 15

// extended returns the dictionary to use from now on when page, which
// coded to zlen bytes with d, is of a kind d does not cover (nil:
// keep d). Which page a route keeps first is chance: when it was a short
// notice (a located case, an empty listing), every full page would cost
// four times the memory, and the budget would hold a fifth of the pages.
// The page is added after d's bytes rather than replacing them, so both
// kinds keep coding well, up to maxDict.
func (d *routeDict) extended(page []byte, zlen int) *routeDict {
	if zlen*100 <= len(page)*poorFit || len(d.dict)+len(page) > maxDict {
		return nil
	}
	return indexedDict(append(slices.Clip(d.dict), page...), d.gen)
}

// compress returns body coded against d (nil: no dictionary), in a slice
// of exactly its length (spare capacity × ten thousand pages).
func compress(d *routeDict, body []byte) []byte {
	dict, table := d.parts()
	buf := scratchBufs.Get().(*[]byte)
	defer putScratch(buf)
	*buf = encodeCopies((*buf)[:0], dict, table, body)
	return bytes.Clone(*buf)
}

// decode appends p's body to dst.
func (p *cachedPage) decode(dst []byte) ([]byte, error) {
	dict, _ := p.dict.parts()
	return decodeCopies(dst, dict, p.z, p.size)
}

// writeTo answers with p.
func (p *cachedPage) writeTo(w http.ResponseWriter) error {
	body := p.z
	if !p.raw {
		buf := scratchBufs.Get().(*[]byte)
		defer putScratch(buf)
		var err error
		if *buf, err = p.decode((*buf)[:0]); err != nil {
			return err // cannot happen for bytes we coded; the caller renders instead
		}
		body = *buf
	}
	hd := w.Header()
	for k, v := range p.header {
		hd[k] = v
	}
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(p.status)
	_, _ = w.Write(body) // a write error means the client left
	return nil
}

// Recorder records what a handler writes (status, headers, body) so that
// it can be answered later with Replay. The cache fills pages through one;
// the web layer builds pages in one, so that no client is written to while
// a build slot is held.
type Recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder { return &Recorder{header: http.Header{}} }

// Reset empties c for another handler. The header map is a new one: the
// last one may be kept by whoever took the answer (the cache keeps it).
func (c *Recorder) Reset() {
	c.header, c.status = http.Header{}, 0
	if c.body.Cap() > 1<<20 {
		c.body = bytes.Buffer{} // one huge answer must not stay pooled
	}
	c.body.Reset()
}

func (c *Recorder) Header() http.Header { return c.header }
func (c *Recorder) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
}
func (c *Recorder) Write(b []byte) (int, error) {
	c.WriteHeader(http.StatusOK)
	return c.body.Write(b)
}

// Replay answers w with what was recorded, its length in Content-Length.
func (c *Recorder) Replay(w http.ResponseWriter) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	hd := w.Header()
	for k, v := range c.header {
		hd[k] = v
	}
	if c.status != http.StatusNoContent && c.status != http.StatusNotModified {
		hd.Set("Content-Length", strconv.Itoa(c.body.Len()))
	}
	w.WriteHeader(c.status)
	_, _ = w.Write(c.body.Bytes()) // a write error means the client left
}

// Route is one route's share of the cache: the compression dictionary
// that its pages have in common. Make one per route (NewRoute) and serve
// all of that route's requests through it.
type Route struct {
	c    *Cache
	dict atomic.Pointer[routeDict] // from the route's first kept page, extended by others (routeDict.extended)
}

// NewRoute returns a route of c.
func (c *Cache) NewRoute() *Route { return &Route{c: c} }

// Serve answers r with the page kept under key, or runs next to build it
// (only one request per key builds at once; the others wait for it) and
// keeps its answer when it is a 200 whose Cache-Control starts "public".
// An error from next is returned as it is, for the web layer to render.
func (rt *Route) Serve(w http.ResponseWriter, r *http.Request, key string, next func(http.ResponseWriter, *http.Request) error) error {
	c, dict := rt.c, &rt.dict
	page, fill, leader, bypass := c.lookup(key)
	if bypass {
		c.bypasses.Add(1)
		return next(w, r)
	}
	if page != nil {
		if page.writeTo(w) == nil {
			c.hits.Add(1)
			return nil
		}
		c.misses.Add(1)
		return next(w, r)
	}
	if !leader {
		select {
		case <-fill.done:
			if fill.page != nil && fill.page.writeTo(w) == nil {
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
	rec := NewRecorder()
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
	body := rec.body.Bytes()
	cacheable := err == nil && rec.status == http.StatusOK && len(body) <= c.maxBody && isPublicCache(rec.header.Get("Cache-Control"))
	if cacheable && !c.admit(key) {
		// Not kept, but the requests that came while it was built still
		// get it: one build for a burst, as for a page that is kept.
		p = &cachedPage{status: rec.status, header: rec.header, z: body, raw: true, size: len(body)}
	} else if cacheable {
		d := dict.Load()
		if d == nil || d.gen != fill.gen {
			// The route's first page kept since the last purge becomes
			// its dictionary: public HTML (or JSON) like every page it
			// will help keep, and nothing older than the last change.
			dict.CompareAndSwap(d, newRouteDict(body, fill.gen))
			d = dict.Load()
		}
		z := compress(d, body)
		if d2 := d.extended(body, len(z)); d2 != nil {
			dict.CompareAndSwap(d, d2)
		}
		p = &cachedPage{status: rec.status, header: rec.header, z: z, dict: d, size: len(body)}
	}
	c.finish(key, fill, p)
	finished = true
	if err != nil {
		return err
	}
	rec.Replay(w)
	return nil
}

func isPublicCache(cc string) bool {
	return len(cc) >= 6 && cc[:6] == "public"
}
