package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"lostinnl/internal/web/kit"
)

// The page cache itself (keeping, compressing, confirming against the
// content revision) is internal/pagecache; this file holds what needs the
// routes: which query parameters a page's key keeps, and the purge after a
// write route.

// cached wraps an action with the page cache. params are the query
// parameters the action reads (see cacheKey).
//
// A page that must be built is built in one of the build slots (builds.go),
// with the page cache or without it.
func (h *handler) cached(next kit.HandlerFunc, params ...string) kit.HandlerFunc {
	built := h.builds.limit(next)
	if h.cache == nil {
		return func(w http.ResponseWriter, r *http.Request) error {
			if r.Method != http.MethodGet {
				return next(w, r)
			}
			return built(w, r)
		}
	}
	route := h.cache.NewRoute() // this route's compression dictionary
	return func(w http.ResponseWriter, r *http.Request) error {
		if r.Method != http.MethodGet {
			return next(w, r)
		}
		inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
		if inm != "" || ims != "" {
			// The cache replays whole answers; a page that carries an
			// ETag or Last-Modified (posters, share pictures, feeds,
			// the sitemap, PFIF) still owes a revalidating client its
			// 304.
			w = &conditionalWriter{ResponseWriter: w, inm: inm, ims: ims}
		}
		return route.Serve(w, r, h.langCacheKey(r, cacheKey(r.URL, params)), built)
	}
}

// conditionalWriter turns a 200 whose ETag matches If-None-Match into a
// 304 without a body (RFC 9110 §13.1.2: weak comparison), and, when the
// request has no If-None-Match (§13.2.2: it takes precedence), a 200 whose
// Last-Modified is not after If-Modified-Since.
type conditionalWriter struct {
	http.ResponseWriter
	inm, ims    string
	wrote, skip bool
}

// notModified: do the request's conditions hold for the answer's
// validators?
func (c *conditionalWriter) notModified(hd http.Header) bool {
	if c.inm != "" {
		return etagListMatches(c.inm, hd.Get("ETag"))
	}
	lm, err := http.ParseTime(hd.Get("Last-Modified"))
	if err != nil {
		return false
	}
	since, err := http.ParseTime(c.ims)
	return err == nil && !lm.After(since)
}

func (c *conditionalWriter) WriteHeader(code int) {
	if c.wrote {
		return
	}
	c.wrote = true
	hd := c.Header()
	if code == http.StatusOK && c.notModified(hd) {
		c.skip = true
		hd.Del("Content-Length")
		hd.Del("Content-Type")
		c.ResponseWriter.WriteHeader(http.StatusNotModified)
		return
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *conditionalWriter) Write(b []byte) (int, error) {
	if !c.wrote {
		c.WriteHeader(http.StatusOK)
	}
	if c.skip {
		return len(b), nil
	}
	return c.ResponseWriter.Write(b)
}

// etagListMatches: does an If-None-Match list name etag (ignoring W/)?
func etagListMatches(list, etag string) bool {
	if etag == "" {
		return false
	}
	etag = strings.TrimPrefix(etag, "W/")
	for _, tag := range strings.Split(list, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
			return true
		}
	}
	return false
}

// cacheKey is the URL's path and those of its query pairs whose name is
// one of params, in their order: the page is the same without the others,
// since the action never reads them. A name is compared unescaped, as the
// action will read it ("%71=x" is q).
func cacheKey(u *url.URL, params []string) string {
	path := u.EscapedPath()
	if u.RawQuery == "" {
		return path
	}
	var key strings.Builder
	key.WriteString(path)
	sep := byte('?')
	for rest := u.RawQuery; rest != ""; {
		var kv string
		kv, rest, _ = strings.Cut(rest, "&")
		k, _, _ := strings.Cut(kv, "=")
		if name, err := url.QueryUnescape(k); err != nil || !slices.Contains(params, name) {
			continue
		}
		key.WriteByte(sep)
		key.WriteString(kv)
		sep = '&'
	}
	return key.String()
}

// purgePageCache drops every cached page of this instance; the admin area
// calls it after a change that the public pages show.
func (h *handler) purgePageCache() { h.cache.Purge() }

// purgesAfter runs a write route's handler and then drops this instance's
// pages if the write changed public content (kit.Route.Purges): only after a
// successful handler, and only when the content revision moved — a
// validation error, "nothing was changed" or a write no public page shows
// keeps the cache. When the revision cannot be read, the pages are dropped
// anyway: a needless rebuild is better than a stale page.
func (h *handler) purgesAfter(fn kit.HandlerFunc) kit.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := fn(w, r); err != nil {
			return err
		}
		// The read model checks the revision now rather than at its next
		// tick, so this instance shows its own change at once.
		h.Model.Nudge()
		rev, err := h.Store.ContentRevision(r.Context())
		if err != nil {
			h.cache.Purge()
			return nil
		}
		// Until the model has rebuilt, the case page reads the database
		// (kit.Env.OwnWritesShown). The cache is not moved to rev: a page
		// built from the previous snapshot meanwhile would be kept as
		// current. It is dropped now if the write changed public content,
		// and again when the model's revision moves (the cache's watcher
		// follows the model).
		if before := h.Model.Revision(); rev != before {
			h.NoteWrite(rev, before)
			h.cache.Purge()
		}
		return nil
	}
}
