package spread

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
	{"/stats", true},
	{"/map", true}, // the map of open cases (internal/web/maps)
}

// sitemapURLs lists the static pages and every open case, each in
// English and French (sitemap.Build), and the newest change behind them
// (for Last-Modified).
func (h *handler) sitemapURLs(r *http.Request) ([]sitemap.URL, error) {
	cases, err := h.publicSnapshot(r)
	if err != nil {
		return nil, err
	}
	last := newestChange(cases)
	static := make([]sitemap.Page, 0, len(sitemapStatic))
	for _, s := range sitemapStatic {
		p := sitemap.Page{Path: s.path}
		if s.withCases {
			p.LastMod = last
		}
		static = append(static, p)
	}
	return sitemap.Build(h.BaseURL, static, cases), nil
}

// sitemapIndex is GET /sitemap.xml: the urlset of the static pages and
// every open case (sitemap.Build leaves closed cases out), or, beyond
// sitemap.MaxURLs, the index naming /sitemaps/1.xml, /sitemaps/2.xml ….
func (h *handler) sitemapIndex(w http.ResponseWriter, r *http.Request) error {
	return h.serveSitemap(w, r, 0)
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
	return h.serveSitemap(w, r, n)
}

func (h *handler) serveSitemap(w http.ResponseWriter, r *http.Request, part int64) error {
	urls, err := h.sitemapURLs(r)
	if err != nil {
		return err
	}
	body, err := h.sitemapDocument(urls, part)
	if err != nil {
		return err
	}
	serveDocument(w, r, body, sitemap.ContentType, feed.ValidatorsOf(body, newestMod(urls)))
	return nil
}

// sitemapDocument renders part (0: /sitemap.xml, n: /sitemaps/n.xml) of
// the sitemap of urls: one urlset when they fit in one file, else the
// index at 0 and the files at 1…; a part that does not exist is 404.
func (h *handler) sitemapDocument(urls []sitemap.URL, part int64) ([]byte, error) {
	parts := sitemap.Split(urls)
	var buf bytes.Buffer
	switch {
	case len(parts) <= 1 && part == 0:
		if err := sitemap.Write(&buf, urls); err != nil {
			return nil, err
		}
	case len(parts) <= 1 || part > int64(len(parts)):
		return nil, kit.ErrNotFound()
	case part == 0:
		index := make([]sitemap.URL, len(parts))
		for i, p := range parts {
			index[i] = sitemap.URL{Loc: h.BaseURL + sitemapPartsPath + strconv.Itoa(i+1) + ".xml", LastMod: newestMod(p)}
		}
		if err := sitemap.WriteIndex(&buf, index); err != nil {
			return nil, err
		}
	default:
		if err := sitemap.Write(&buf, parts[part-1]); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
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
