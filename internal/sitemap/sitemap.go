// Package sitemap writes sitemaps.org XML (protocol 0.9): the urlset of the
// site's static pages and every open case, in English and French with
// hreflang alternates (xhtml:link), and, beyond 50,000 URLs, the
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
	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// NS is the sitemaps.org namespace.
const NS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// MaxURLs is the protocol's limit of URLs in one file. A site with more
// serves a sitemap index (WriteIndex) naming files of at most MaxURLs each
// (Split); at our URL lengths 50,000 URLs stay far below the 50 MB limit.
const MaxURLs = 50000

// XHTMLNS is the namespace of the xhtml:link elements that name a page's
// versions in other languages (Google's hreflang sitemaps).
const XHTMLNS = "http://www.w3.org/1999/xhtml"

// URL is one page: an absolute location, when it last changed (zero: no
// lastmod), and its versions in every language, itself included
// (Alternates; empty for a sitemap index's files).
type URL struct {
	Loc        string
	LastMod    time.Time
	Alternates []Alternate
}

// Alternate is one language version of a page: hreflang "en", "fr" or
// "x-default" (the page for any other language: the English one).
type Alternate struct {
	Hreflang, Href string
}

// Page is a public page by its English path ("/about"): Build lists it
// in both languages.
type Page struct {
	Path    string
	LastMod time.Time
}

// Build lists the static pages (given by the web layer, which owns its
// routes) and then every missing case, in the order given, each in
// English and then in French (/fr/…), both naming both.
func Build(baseURL string, static []Page, cases []store.Case) []URL {
	out := make([]URL, 0, 2*(len(static)+len(cases)))
	for _, p := range static {
		out = append(out, Bilingual(baseURL, p)...)
	}
	for i := range cases {
		c := &cases[i]
		if c.Status != store.StatusMissing {
			continue
		}
		out = append(out, Bilingual(baseURL, Page{Path: "/cases/" + strconv.FormatInt(c.ID, 10), LastMod: c.UpdatedAt})...)
	}
	return out
}

// Bilingual is page p's two entries, English then French. Each lists
// both versions and x-default, as search engines want every version to
// name all the others and itself.
func Bilingual(baseURL string, p Page) []URL {
	en, fr := baseURL+i18n.Path(i18n.English, p.Path), baseURL+i18n.Path(i18n.French, p.Path)
	alts := []Alternate{{"en", en}, {"fr", fr}, {"x-default", en}}
	return []URL{{Loc: en, LastMod: p.LastMod, Alternates: alts}, {Loc: fr, LastMod: p.LastMod, Alternates: alts}}
}

type xmlURL struct {
	Loc     string    `xml:"loc"`
	LastMod string    `xml:"lastmod,omitempty"`
	Links   []xmlLink `xml:"xhtml:link"`
}

// xmlLink is written with its prefix: encoding/xml would otherwise
// declare the namespace again on every element.
type xmlLink struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

type urlset struct {
	XMLName xml.Name `xml:"urlset"`
	NS      string   `xml:"xmlns,attr"`
	XHTML   string   `xml:"xmlns:xhtml,attr,omitempty"`
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
	set := urlset{NS: NS, URLs: convert(urls)}
	for _, u := range urls {
		if len(u.Alternates) > 0 {
			set.XHTML = XHTMLNS
			break
		}
	}
	return encode(w, set)
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
		for _, a := range u.Alternates {
			x.Links = append(x.Links, xmlLink{Rel: "alternate", Hreflang: a.Hreflang, Href: feed.Clean(a.Href)})
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
