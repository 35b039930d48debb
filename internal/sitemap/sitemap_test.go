package sitemap

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/store"
)

type readSet struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		LastMod string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
	} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 url"`
}

func TestBuildKeepsOnlyOpenCases(t *testing.T) {
	upd := time.Date(2026, 10, 3, 14, 5, 6, 700, time.FixedZone("NST", -3*3600-1800))
	cs := []store.Case{
		{ID: 1, Status: store.StatusMissing, UpdatedAt: upd},
		{ID: 2, Status: store.StatusLocated, UpdatedAt: upd},
		{ID: 3, Status: store.StatusArchived, UpdatedAt: upd},
		{ID: 4, Status: store.StatusPending, UpdatedAt: upd},
		{ID: 5, Status: store.StatusRejected, UpdatedAt: upd},
		{ID: 6, Status: store.StatusMissing, UpdatedAt: upd},
	}
	urls := Build("https://example.test", []Page{{Path: "/"}, {Path: "/about", LastMod: upd}}, cs)
	var buf bytes.Buffer
	if err := Write(&buf, urls); err != nil {
		t.Fatal(err)
	}
	var got readSet
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, buf.Bytes())
	}
	var locs []string
	for _, u := range got.URLs {
		locs = append(locs, u.Loc+" "+u.LastMod)
	}
	want := []string{"https://example.test/ ", "https://example.test/fr/ ",
		"https://example.test/about 2026-10-03T17:35:06Z", "https://example.test/fr/about 2026-10-03T17:35:06Z",
		"https://example.test/cases/1 2026-10-03T17:35:06Z", "https://example.test/fr/cases/1 2026-10-03T17:35:06Z",
		"https://example.test/cases/6 2026-10-03T17:35:06Z", "https://example.test/fr/cases/6 2026-10-03T17:35:06Z"}
	if strings.Join(locs, "|") != strings.Join(want, "|") {
		t.Errorf("got %q\nwant %q", locs, want)
	}
	if strings.Contains(buf.String(), "<lastmod></lastmod>") {
		t.Error("empty lastmod written")
	}
}

func TestEscaping(t *testing.T) {
	loc := "https://example.test/cases?region=Avalon&q=<x>'\"\x01"
	var buf bytes.Buffer
	if err := Write(&buf, []URL{{Loc: loc}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "region=Avalon&amp;q=&lt;x&gt;") || strings.Contains(buf.String(), "\x01") {
		t.Errorf("not escaped: %s", buf.String())
	}
	var got readSet
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil || got.URLs[0].Loc != "https://example.test/cases?region=Avalon&q=<x>'\"" {
		t.Errorf("round trip: %v %+v", err, got)
	}
}

func TestLimitAndIndex(t *testing.T) {
	urls := make([]URL, MaxURLs+1)
	for i := range urls {
		urls[i] = URL{Loc: fmt.Sprintf("https://example.test/cases/%d", i)}
	}
	if err := Write(&bytes.Buffer{}, urls); err == nil || !strings.Contains(err.Error(), "index") {
		t.Fatalf("over the limit: %v", err)
	}
	if err := Write(&bytes.Buffer{}, urls[:MaxURLs]); err != nil {
		t.Fatalf("at the limit: %v", err)
	}
	parts := Split(urls)
	if len(parts) != 2 || len(parts[0]) != MaxURLs || len(parts[1]) != 1 || parts[1][0].Loc != urls[MaxURLs].Loc {
		t.Fatalf("split: %d parts", len(parts))
	}
	if got := Split(nil); len(got) != 1 || len(got[0]) != 0 {
		t.Errorf("split of nothing: %v", got)
	}
	var buf bytes.Buffer
	if err := WriteIndex(&buf, []URL{{Loc: "https://example.test/sitemap-1.xml"}, {Loc: "https://example.test/sitemap-2.xml"}}); err != nil {
		t.Fatal(err)
	}
	var idx struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
		Maps    []string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemap>loc"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &idx); err != nil || len(idx.Maps) != 2 {
		t.Fatalf("index: %v %+v", err, idx)
	}
}

func TestRobotsLine(t *testing.T) {
	if got := RobotsLine("https://example.test"); got != "Sitemap: https://example.test/sitemap.xml" {
		t.Errorf("%q", got)
	}
}
