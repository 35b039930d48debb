package spread

import (
	"bytes"
	"net/http"
	"time"

	"lostinnl/internal/feed"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// siteName is the publisher named in feeds and PFIF records, as the pages'
// titles name the site.
const siteName = "Missing Persons NL"

// feedSite is what the feed builders need to know about the site, in the
// request's language (lang=fr: web/querylang.go).
func (h *handler) feedSite(r *http.Request) feed.Site {
	lz := kit.L(r)
	return feed.Site{Name: lz.T("Missing Persons NL"), BaseURL: h.BaseURL, Lang: lz.Lang()}
}

// newestChange is the latest UpdatedAt of any case in the snapshot, open or
// closed. It is the feeds' and the sitemap's Last-Modified: a case leaving
// a document (located) moves its own UpdatedAt forward, so the document's
// Last-Modified moves too and an If-Modified-Since client never keeps a
// copy that still lists a found person. zero when there is no case.
func newestChange(cases []store.Case) time.Time {
	var t time.Time
	for i := range cases {
		if cases[i].UpdatedAt.After(t) {
			t = cases[i].UpdatedAt
		}
	}
	return t
}

// serveDocument writes a rendered machine-readable document (feed,
// sitemap, PFIF) with its validators. http.ServeContent answers
// If-None-Match and If-Modified-Since with 304 when this request builds the
// page; a page the page cache replays gets its 304 from the cache's
// wrapper (web/pagecache.go). CacheShort: a closed case is gone from every
// copy within a minute.
func serveDocument(w http.ResponseWriter, r *http.Request, body []byte, contentType string, v feed.Validators) {
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("Cache-Control", kit.CacheShort)
	hd.Set("ETag", v.ETag)
	hd.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", v.LastModified, bytes.NewReader(body))
}

// publicSnapshot reads every public case (missing and located) in one
// query: the input of the feeds, the sitemap and the PFIF export.
func (h *handler) publicSnapshot(r *http.Request) ([]store.Case, error) {
	snap, err := h.Store.PublicCases(r.Context())
	if err != nil {
		return nil, err
	}
	return snap.Cases, nil
}

// renderFeed renders f and serves it; lastMod (the newest change behind
// the feed, see newestChange) becomes its updated when later than what
// the entries give, so removing an entry updates the feed.
func renderFeed(w http.ResponseWriter, r *http.Request, f feed.Feed, lastMod time.Time) error {
	if lastMod.After(f.Updated) {
		f.Updated = lastMod
	}
	if f.Updated.IsZero() {
		// No case at all yet: RFC 4287 still needs an updated.
		f.Updated = time.Unix(0, 0).UTC()
	}
	body, err := feed.Render(f)
	if err != nil {
		return err
	}
	serveDocument(w, r, body, feed.ContentType, feed.ValidatorsOf(body, f.Updated))
	return nil
}
