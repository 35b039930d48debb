package sitemap

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// readBilingual reads a urlset with its xhtml:link alternates by
// namespace, as a crawler does: a link written without the xhtml
// namespace declared would not be found.
type readBilingual struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc   string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		Links []struct {
			Rel      string `xml:"rel,attr"`
			Hreflang string `xml:"hreflang,attr"`
			Href     string `xml:"href,attr"`
		} `xml:"http://www.w3.org/1999/xhtml link"`
	} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 url"`
}

// TestBilingualAlternates: every page is listed in English and French,
// each entry names both versions and x-default (the English page), and
// the document is well-formed XML with the xhtml namespace declared once.
func TestBilingualAlternates(t *testing.T) {
	upd := time.Date(2026, 12, 1, 21, 40, 0, 0, time.UTC)
	urls := Build("https://example.test", []Page{{Path: "/"}, {Path: "/cases?region=Avalon&x=<y>"}},
		[]store.Case{{ID: 7, Status: store.StatusMissing, UpdatedAt: upd}, {ID: 8, Status: store.StatusLocated}})
	var buf bytes.Buffer
	if err := Write(&buf, urls); err != nil {
		t.Fatal(err)
	}
	// Well-formed: the whole document decodes token by token.
	dec := xml.NewDecoder(bytes.NewReader(buf.Bytes()))
	for {
		if _, err := dec.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("not well-formed: %v\n%s", err, buf.Bytes())
			}
			break
		}
	}
	if n := strings.Count(buf.String(), `xmlns:xhtml="http://www.w3.org/1999/xhtml"`); n != 1 {
		t.Errorf("xhtml namespace declared %d times\n%s", n, buf.Bytes())
	}
	var got readBilingual
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	wantLocs := []string{"https://example.test/", "https://example.test/fr/",
		"https://example.test/cases?region=Avalon&x=<y>", "https://example.test/fr/cases?region=Avalon&x=<y>",
		"https://example.test/cases/7", "https://example.test/fr/cases/7"}
	if len(got.URLs) != len(wantLocs) {
		t.Fatalf("%d URLs, want %d\n%s", len(got.URLs), len(wantLocs), buf.Bytes())
	}
	for i, u := range got.URLs {
		if u.Loc != wantLocs[i] {
			t.Errorf("url %d: loc %q, want %q", i, u.Loc, wantLocs[i])
		}
		en, fr := wantLocs[i&^1], wantLocs[i|1]
		want := map[string]string{"en": en, "fr": fr, "x-default": en}
		if len(u.Links) != len(want) {
			t.Errorf("%s: %d alternates, want %d", u.Loc, len(u.Links), len(want))
		}
		for _, l := range u.Links {
			if l.Rel != "alternate" || want[l.Hreflang] != l.Href {
				t.Errorf("%s: link %+v, want rel=alternate and %q → %q", u.Loc, l, l.Hreflang, want[l.Hreflang])
			}
		}
	}
	if strings.Contains(buf.String(), "/cases/8") {
		t.Error("a located case is listed")
	}
}

// TestIndexHasNoXHTML: the index names files, which have no languages.
func TestIndexHasNoXHTML(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteIndex(&buf, []URL{{Loc: "https://example.test/sitemaps/1.xml"}}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "xhtml") {
		t.Errorf("index mentions xhtml:\n%s", buf.Bytes())
	}
}
