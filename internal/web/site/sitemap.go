package site

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"lostinnl/internal/feed"
	"lostinnl/internal/sitemap"
	"lostinnl/internal/web/kit"
)

// sitemapPartsPath is where the files of a sitemap index are served
// ("/sitemaps/1.xml" …) when the site has more than sitemap.MaxURLs URLs.
const sitemapPartsPath = "/sitemaps/"

// sitemapStatic: the public pages a crawler should know besides the cases
// (not the forms, which robots.txt keeps crawlers out of).
// Home and the listing change with the cases; the others carry no lastmod,
// since nothing records when their text last changed.
var sitemapStatic = []struct {
	path      string
	withCases bool
}{
	{"/", true}, {"/cases", true}, {"/resources", false}, {"/about", false},
	{"/privacy", false},
}

// sitemapURLs lists the static pages and every open case, and the newest
// change behind them (for Last-Modified).
func (h *handler) sitemapURLs(r *http.Request) ([]sitemap.URL, error) {
	cases, err := h.publicSnapshot(r)
	if err != nil {
		return nil, err
	}
	last := newestChange(cases)
	static := make([]sitemap.URL, 0, len(sitemapStatic))
	for _, s := range sitemapStatic {
		u := sitemap.URL{Loc: h.BaseURL + s.path}
		if s.withCases {
			u.LastMod = last
		}
		static = append(static, u)
	}
	return sitemap.Build(h.BaseURL, static, cases), nil
}

// sitemapIndex is GET /sitemap.xml: the urlset of the static pages and
// every open case (sitemap.Build leaves closed cases out), or, beyond
// sitemap.MaxURLs, the index naming /sitemaps/1.xml, /sitemaps/2.xml ….
func (h *handler) sitemapIndex(w http.ResponseWriter, r *http.Request) error {
	urls, err := h.sitemapURLs(r)
	if err != nil {
		return err
	}
	parts := sitemap.Split(urls)
	var buf bytes.Buffer
	if len(parts) <= 1 {
		if err := sitemap.Write(&buf, urls); err != nil {
			return err
		}
		serveDocument(w, r, buf.Bytes(), sitemap.ContentType, feed.ValidatorsOf(buf.Bytes(), newestMod(urls)))
		return nil
	}
	index := make([]sitemap.URL, len(parts))
	for i, p := range parts {
		index[i] = sitemap.URL{Loc: h.BaseURL + sitemapPartsPath + strconv.Itoa(i+1) + ".xml", LastMod: newestMod(p)}
	}
	if err := sitemap.WriteIndex(&buf, index); err != nil {
		return err
	}
	serveDocument(w, r, buf.Bytes(), sitemap.ContentType, feed.ValidatorsOf(buf.Bytes(), newestMod(urls)))
	return nil
}

// sitemapPart is GET /sitemaps/{file}: file n.xml of the index. 404 for
// any other name, and for a number past the last file (also when the site
// fits in one file and /sitemap.xml is the urlset itself).
func (h *handler) sitemapPart(w http.ResponseWriter, r *http.Request) error {
	num, ok := strings.CutSuffix(r.PathValue("file"), ".xml")
	n, valid := kit.ParseID(num)
	if !ok || !valid {
		return kit.ErrNotFound()
	}
	urls, err := h.sitemapURLs(r)
	if err != nil {
		return err
	}
	parts := sitemap.Split(urls)
	if len(parts) <= 1 || n > int64(len(parts)) {
		return kit.ErrNotFound()
	}
	var buf bytes.Buffer
	if err := sitemap.Write(&buf, parts[n-1]); err != nil {
		return err
	}
	serveDocument(w, r, buf.Bytes(), sitemap.ContentType, feed.ValidatorsOf(buf.Bytes(), newestMod(urls)))
	return nil
}

// newestMod is the latest lastmod of urls.
func newestMod(urls []sitemap.URL) (t time.Time) {
	for _, u := range urls {
		if u.LastMod.After(t) {
			t = u.LastMod
		}
	}
	return t
}
