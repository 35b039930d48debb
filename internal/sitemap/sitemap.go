// Package sitemap writes sitemaps.org XML (protocol 0.9): the urlset of the
// site's static pages and every open case, and, beyond 50,000 URLs, the
// sitemap index that points at several such files.
//
// It owns the format and its limits; it must not read the database or
// serve HTTP. Closed cases (located, archived) never enter: the web layer
// passes the cases it has and Build keeps the missing ones.
package sitemap

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"time"

	"lostinnl/internal/feed"
	"lostinnl/internal/store"
)

// NS is the sitemaps.org namespace.
const NS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// MaxURLs is the protocol's limit of URLs in one file. A site with more
// serves a sitemap index (WriteIndex) naming files of at most MaxURLs each
// (Split); at our URL lengths 50,000 URLs stay far below the 50 MB limit.
const MaxURLs = 50000

// URL is one page: an absolute location and when it last changed (zero:
// no lastmod).
type URL struct {
	Loc     string
	LastMod time.Time
}

// Build lists the static pages (given by the web layer, which owns its
// routes) and then every missing case, in the order given.
func Build(baseURL string, static []URL, cases []store.Case) []URL {
	out := make([]URL, 0, len(static)+len(cases))
	out = append(out, static...)
	for i := range cases {
		c := &cases[i]
		if c.Status != store.StatusMissing {
			continue
		}
		out = append(out, URL{Loc: baseURL + "/cases/" + strconv.FormatInt(c.ID, 10), LastMod: c.UpdatedAt})
	}
	return out
}

type xmlURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlset struct {
	XMLName xml.Name `xml:"urlset"`
	NS      string   `xml:"xmlns,attr"`
	URLs    []xmlURL `xml:"url"`
}

type index struct {
	XMLName  xml.Name `xml:"sitemapindex"`
	NS       string   `xml:"xmlns,attr"`
	Sitemaps []xmlURL `xml:"sitemap"`
}

// Write renders one urlset. More than MaxURLs is an error: the caller
// splits (Split) and serves an index instead.
func Write(w io.Writer, urls []URL) error {
	if len(urls) > MaxURLs {
		return fmt.Errorf("sitemap: %d URLs, more than the %d one file may hold: serve an index", len(urls), MaxURLs)
	}
	return encode(w, urlset{NS: NS, URLs: convert(urls)})
}

// WriteIndex renders a sitemap index naming the given sitemap files.
func WriteIndex(w io.Writer, sitemaps []URL) error {
	if len(sitemaps) > MaxURLs {
		return fmt.Errorf("sitemap: index of %d files, more than %d", len(sitemaps), MaxURLs)
	}
	return encode(w, index{NS: NS, Sitemaps: convert(sitemaps)})
}

// Split cuts urls into files of at most MaxURLs.
func Split(urls []URL) [][]URL {
	var out [][]URL
	for len(urls) > MaxURLs {
		out = append(out, urls[:MaxURLs])
		urls = urls[MaxURLs:]
	}
	return append(out, urls)
}

func convert(urls []URL) []xmlURL {
	out := make([]xmlURL, 0, len(urls))
	for _, u := range urls {
		x := xmlURL{Loc: feed.Clean(u.Loc)}
		if !u.LastMod.IsZero() {
			x.LastMod = u.LastMod.UTC().Truncate(time.Second).Format(time.RFC3339)
		}
		out = append(out, x)
	}
	return out
}

func encode(w io.Writer, v any) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(v); err != nil {
		return fmt.Errorf("sitemap: encode: %w", err)
	}
	buf.WriteByte('\n')
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("sitemap: write: %w", err)
	}
	return nil
}

// Path and ContentType: where the web layer serves the sitemap (or, past
// MaxURLs, the index), and as what.
const (
	Path        = "/sitemap.xml"
	ContentType = "application/xml; charset=utf-8"
)

// RobotsLine is the line robots.txt needs so crawlers find the sitemap
// (the protocol wants an absolute URL).
func RobotsLine(baseURL string) string { return "Sitemap: " + baseURL + Path }
