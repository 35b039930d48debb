package spread

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"lostinnl/internal/sitemap"
	"lostinnl/internal/web/kit"
)

// TestSitemapDocumentSplits: past sitemap.MaxURLs, /sitemap.xml is an
// index naming /sitemaps/1.xml … and each file holds its share; up to it,
// /sitemap.xml is the urlset and there are no files. (Through the whole
// handler this would take 50,001 stored cases.)
func TestSitemapDocumentSplits(t *testing.T) {
	h := &handler{Env: &kit.Env{BaseURL: "https://missing.example.ca"}}
	urls := func(n int) []sitemap.URL {
		out := make([]sitemap.URL, n)
		for i := range out {
			out[i] = sitemap.URL{Loc: fmt.Sprintf("https://missing.example.ca/cases/%d", i+1),
				LastMod: time.Date(2026, 1, 1, 0, 0, i%3600, 0, time.UTC)}
		}
		return out
	}
	type loc struct {
		Loc     string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		LastMod string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
	}
	count := func(body []byte) (root string, locs []loc) {
		t.Helper()
		var doc struct {
			XMLName xml.Name
			URLs    []loc `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 url"`
			Maps    []loc `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemap"`
		}
		if err := xml.Unmarshal(body, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.XMLName.Space != sitemap.NS {
			t.Fatalf("namespace %q", doc.XMLName.Space)
		}
		return doc.XMLName.Local, append(doc.URLs, doc.Maps...)
	}
	notFound := func(err error) bool {
		var he *kit.HTTPError
		return errors.As(err, &he) && he.Status == http.StatusNotFound
	}

	full := urls(sitemap.MaxURLs)
	body, err := h.sitemapDocument(full, 0)
	if err != nil {
		t.Fatal(err)
	}
	if root, locs := count(body); root != "urlset" || len(locs) != sitemap.MaxURLs {
		t.Fatalf("%d URLs: %s with %d entries", sitemap.MaxURLs, root, len(locs))
	}
	if _, err := h.sitemapDocument(full, 1); !notFound(err) {
		t.Fatalf("a part of a single-file sitemap: %v, want 404", err)
	}

	over := urls(sitemap.MaxURLs + 1)
	body, err = h.sitemapDocument(over, 0)
	if err != nil {
		t.Fatal(err)
	}
	root, index := count(body)
	if root != "sitemapindex" || len(index) != 2 ||
		index[0].Loc != "https://missing.example.ca/sitemaps/1.xml" || index[1].Loc != "https://missing.example.ca/sitemaps/2.xml" || index[0].LastMod == "" {
		t.Fatalf("index: %s %+v", root, index)
	}
	seen := 0
	for part, want := range map[int64]int{1: sitemap.MaxURLs, 2: 1} {
		body, err := h.sitemapDocument(over, part)
		if err != nil {
			t.Fatal(err)
		}
		root, locs := count(body)
		if root != "urlset" || len(locs) != want {
			t.Errorf("part %d: %s with %d URLs, want %d", part, root, len(locs), want)
		}
		seen += len(locs)
	}
	if seen != len(over) {
		t.Errorf("the parts hold %d URLs, want %d", seen, len(over))
	}
	if _, err := h.sitemapDocument(over, 3); !notFound(err) {
		t.Fatalf("part 3 of 2: %v, want 404", err)
	}
}
