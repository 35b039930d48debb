package web

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/feed"
	"lostinnl/internal/pagecache"
	"lostinnl/internal/pfif"
	"lostinnl/internal/sitemap"
	"lostinnl/internal/store"
)

// atomDoc is RFC 4287's shape read back with encoding/xml, namespaced, so
// a wrong namespace or a missing required element fails (as in
// internal/feed's tests).
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"http://www.w3.org/2005/Atom id"`
	Title   string   `xml:"http://www.w3.org/2005/Atom title"`
	Updated string   `xml:"http://www.w3.org/2005/Atom updated"`
	Author  []struct {
		Name string `xml:"http://www.w3.org/2005/Atom name"`
	} `xml:"http://www.w3.org/2005/Atom author"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"http://www.w3.org/2005/Atom link"`
	Entries []struct {
		ID      string `xml:"http://www.w3.org/2005/Atom id"`
		Title   string `xml:"http://www.w3.org/2005/Atom title"`
		Updated string `xml:"http://www.w3.org/2005/Atom updated"`
	} `xml:"http://www.w3.org/2005/Atom entry"`
}

// getAtom fetches path and parses it as an Atom feed with the elements
// RFC 4287 requires (id, title, updated, author, and our self link), each
// entry with id, title and updated; it returns the entries' ids.
func getAtom(t *testing.T, s *testSite, path string) []string {
	t.Helper()
	rec := s.get(path)
	wantStatus(t, rec, http.StatusOK)
	if ct := rec.Header().Get("Content-Type"); ct != feed.ContentType {
		t.Fatalf("%s: Content-Type %q", path, ct)
	}
	var f atomDoc
	d := xml.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	d.Strict = true
	if err := d.Decode(&f); err != nil {
		t.Fatalf("%s does not parse as Atom: %v\n%s", path, err, rec.Body)
	}
	if f.ID == "" || f.Title == "" || len(f.Author) != 1 || f.Author[0].Name == "" {
		t.Fatalf("%s misses a required element: %+v", path, f)
	}
	if _, err := time.Parse(time.RFC3339, f.Updated); err != nil {
		t.Fatalf("%s updated %q: %v", path, f.Updated, err)
	}
	self := ""
	for _, l := range f.Links {
		if l.Rel == "self" {
			self = l.Href
		}
	}
	if self != "https://missing.example.ca"+path && !strings.EqualFold(self, "https://missing.example.ca"+path) {
		t.Fatalf("%s: self link %q", path, self)
	}
	var ids []string
	for _, e := range f.Entries {
		if e.ID == "" || e.Title == "" {
			t.Fatalf("%s: entry without id or title: %+v", path, e)
		}
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
			t.Fatalf("%s: entry updated %q: %v", path, e.Updated, err)
		}
		ids = append(ids, e.ID)
	}
	slices.Sort(ids)
	return ids
}

func caseURLs(ids ...int64) []string {
	var out []string
	for _, id := range ids {
		out = append(out, fmt.Sprintf("https://missing.example.ca/cases/%d", id))
	}
	slices.Sort(out)
	return out
}

// getSitemap returns the locs of /sitemap.xml (a urlset) and the lastmod
// of each.
func getSitemap(t *testing.T, s *testSite) map[string]string {
	t.Helper()
	rec := s.get(sitemap.Path)
	wantStatus(t, rec, http.StatusOK)
	var set struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []struct {
			Loc     string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
			LastMod string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
		} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 url"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &set); err != nil {
		t.Fatalf("sitemap does not parse: %v\n%s", err, rec.Body)
	}
	out := map[string]string{}
	for _, u := range set.URLs {
		out[u.Loc] = u.LastMod
	}
	return out
}

// getPFIF parses a PFIF export with the package's own defensive reader.
func getPFIF(t *testing.T, s *testSite, path string) map[string]pfif.Person {
	t.Helper()
	rec := s.get(path)
	wantStatus(t, rec, http.StatusOK)
	if ct := rec.Header().Get("Content-Type"); ct != pfif.ContentType {
		t.Fatalf("%s: Content-Type %q", path, ct)
	}
	persons, err := pfif.Parse(bytes.NewReader(rec.Body.Bytes()), pfif.Limits{})
	if err != nil {
		t.Fatalf("%s does not parse as PFIF 1.4: %v\n%s", path, err, rec.Body)
	}
	out := map[string]pfif.Person{}
	for _, p := range persons {
		out[p.RecordID] = p
	}
	return out
}

func recordID(id int64) string { return pfif.RecordID("missing.example.ca", id) }

// confirmRevision does what the page cache's revision watcher does every
// second: read the content revision and hand it to the cache.
func confirmRevision(t *testing.T, s *testSite) {
	t.Helper()
	rev, err := s.st.ContentRevision(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s.web.cache.Confirm(rev)
}

// TestFeedsSitemapPFIFOpenCasesOnly: the feeds and the sitemap carry open
// cases only, PFIF carries them as records and located cases as expiry
// records; a case marked located (in the store, as another instance
// would) leaves them all once the page cache sees the new revision.
func TestFeedsSitemapPFIFOpenCasesOnly(t *testing.T) {
	s := newSite(t, withCache(pagecache.Options{}))
	open := s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Avery Avalon" })
	lab := s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Lee Labrador"; c.Region = "Labrador" })
	located := s.addCase(store.StatusLocated, func(c *store.Case) { c.FullName = "Lou Located" })
	pending := s.addCase(store.StatusPending, func(c *store.Case) { c.FullName = "Pat Pending" })
	archived := s.addCase(store.StatusArchived, func(c *store.Case) { c.FullName = "Arlo Archived" })
	confirmRevision(t, s)

	if got, want := getAtom(t, s, feed.AllPath), caseURLs(open, lab); !slices.Equal(got, want) {
		t.Errorf("all-cases feed entries %v, want %v", got, want)
	}
	if got, want := getAtom(t, s, "/feeds/regions/avalon"), caseURLs(open); !slices.Equal(got, want) {
		t.Errorf("Avalon feed entries %v, want %v", got, want)
	}
	// Any case of the region's name; the self link is the canonical one.
	rec := s.get("/feeds/regions/LABRADOR")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), "Lee Labrador", `href="https://missing.example.ca/feeds/regions/labrador"`)
	mustNotContain(t, rec.Body.String(), "Avery Avalon")
	getAtom(t, s, feed.CasePath(open))
	for id, want := range map[int64]int{located: http.StatusGone, archived: http.StatusGone, pending: http.StatusNotFound, 987654: http.StatusNotFound} {
		if rec := s.get(feed.CasePath(id)); rec.Code != want {
			t.Errorf("%s: %d, want %d", feed.CasePath(id), rec.Code, want)
		}
	}

	sm := getSitemap(t, s)
	for _, id := range []int64{open, lab} {
		if lm, ok := sm[caseURLs(id)[0]]; !ok || lm == "" {
			t.Errorf("sitemap lacks open case %d with a lastmod (%q)", id, lm)
		}
	}
	for _, id := range []int64{located, pending, archived} {
		if _, ok := sm[caseURLs(id)[0]]; ok {
			t.Errorf("sitemap lists case %d, which is not open", id)
		}
	}
	for _, p := range []string{"/", "/cases", "/resources", "/about", "/privacy"} {
		if _, ok := sm["https://missing.example.ca"+p]; !ok {
			t.Errorf("sitemap lacks %s", p)
		}
	}
	if sm["https://missing.example.ca/"] == "" {
		t.Error("the home page has no lastmod")
	}

	recs := getPFIF(t, s, pfif.PersonsPath)
	if len(recs) != 3 {
		t.Errorf("PFIF export has %d records, want 3 (two open, one expired)", len(recs))
	}
	if p := recs[recordID(open)]; p.FullName != "Avery Avalon" || !p.ExpiryDate.IsZero() {
		t.Errorf("open case record: %+v", p)
	}
	checkExpired := func(recs map[string]pfif.Person, id int64) {
		t.Helper()
		p, ok := recs[recordID(id)]
		if !ok {
			t.Fatalf("no PFIF record for closed case %d", id)
		}
		if p.FullName != "" || p.Description != "" || p.PhotoURL != "" || p.ExpiryDate.IsZero() || p.ExpiryDate.After(time.Now()) {
			t.Errorf("closed case %d is not an expiry record: %+v", id, p)
		}
	}
	checkExpired(recs, located)
	for _, id := range []int64{pending, archived} {
		if _, ok := recs[recordID(id)]; ok {
			t.Errorf("PFIF export has case %d", id)
		}
	}
	if p := getPFIF(t, s, pfif.CasePath(open))[recordID(open)]; p.FullName != "Avery Avalon" {
		t.Errorf("per-case PFIF record: %+v", p)
	}
	checkExpired(getPFIF(t, s, pfif.CasePath(located)), located)
	for id, want := range map[int64]int{archived: http.StatusGone, pending: http.StatusNotFound, 987654: http.StatusNotFound} {
		if rec := s.get(pfif.CasePath(id)); rec.Code != want {
			t.Errorf("%s: %d, want %d", pfif.CasePath(id), rec.Code, want)
		}
	}

	// The case is found. The pages kept so far are answered until the
	// cache sees the new revision: proof that they are cached, and that
	// the revision is what takes them down.
	if err := s.st.TransitionCase(context.Background(), open, store.StatusLocated, "found", nil); err != nil {
		t.Fatal(err)
	}
	if got := getAtom(t, s, feed.AllPath); !slices.Contains(got, caseURLs(open)[0]) {
		t.Fatalf("the all-cases feed is not cached (entries %v)", got)
	}
	confirmRevision(t, s)
	if got, want := getAtom(t, s, feed.AllPath), caseURLs(lab); !slices.Equal(got, want) {
		t.Errorf("after located: all-cases feed entries %v, want %v", got, want)
	}
	if got := getAtom(t, s, "/feeds/regions/avalon"); len(got) != 0 {
		t.Errorf("after located: Avalon feed entries %v, want none", got)
	}
	wantStatus(t, s.get(feed.CasePath(open)), http.StatusGone)
	if _, ok := getSitemap(t, s)[caseURLs(open)[0]]; ok {
		t.Error("after located: the sitemap still lists the case")
	}
	checkExpired(getPFIF(t, s, pfif.PersonsPath), open)
	checkExpired(getPFIF(t, s, pfif.CasePath(open)), open)
}

// TestFeedsConditionalGet: every new document answers If-None-Match and
// If-Modified-Since with 304, whether built now or replayed by the page
// cache, and If-None-Match takes precedence (RFC 9110 §13.2.2).
func TestFeedsConditionalGet(t *testing.T) {
	for _, cached := range []bool{false, true} {
		t.Run(fmt.Sprintf("cache=%v", cached), func(t *testing.T) {
			var mods []func(*Deps)
			if cached {
				mods = append(mods, withCache(pagecache.Options{}))
			}
			s := newSite(t, mods...)
			id := s.addCase(store.StatusMissing, nil)
			located := s.addCase(store.StatusLocated, nil)
			for _, path := range []string{feed.AllPath, "/feeds/regions/avalon", feed.CasePath(id), sitemap.Path, pfif.PersonsPath, pfif.CasePath(id), pfif.CasePath(located)} {
				first := s.get(path)
				wantStatus(t, first, http.StatusOK)
				etag, lm := first.Header().Get("ETag"), first.Header().Get("Last-Modified")
				if !strings.HasPrefix(etag, `"`) || lm == "" {
					t.Fatalf("%s: ETag %q, Last-Modified %q", path, etag, lm)
				}
				lmTime, err := http.ParseTime(lm)
				if err != nil {
					t.Fatalf("%s: Last-Modified %q: %v", path, lm, err)
				}
				if cc := first.Header().Get("Cache-Control"); !strings.HasPrefix(cc, "public") {
					t.Errorf("%s: Cache-Control %q", path, cc)
				}
				// Twice: the second may come from the cache.
				for range 2 {
					check := func(name string, hdr map[string]string, want int) {
						t.Helper()
						req := httptest.NewRequest(http.MethodGet, path, nil)
						for k, v := range hdr {
							req.Header.Set(k, v)
						}
						rec := s.do(req)
						if rec.Code != want {
							t.Fatalf("%s %s: %d, want %d", path, name, rec.Code, want)
						}
						if want == http.StatusNotModified && rec.Body.Len() != 0 {
							t.Errorf("%s %s: 304 with a body", path, name)
						}
						if want == http.StatusOK && !bytes.Equal(rec.Body.Bytes(), first.Body.Bytes()) {
							t.Errorf("%s %s: another body than the first answer", path, name)
						}
					}
					check("If-None-Match", map[string]string{"If-None-Match": etag}, http.StatusNotModified)
					check("If-None-Match list", map[string]string{"If-None-Match": `"x", ` + etag}, http.StatusNotModified)
					check("other If-None-Match", map[string]string{"If-None-Match": `"other"`}, http.StatusOK)
					check("If-Modified-Since", map[string]string{"If-Modified-Since": lm}, http.StatusNotModified)
					check("later If-Modified-Since", map[string]string{"If-Modified-Since": lmTime.Add(time.Hour).Format(http.TimeFormat)}, http.StatusNotModified)
					check("earlier If-Modified-Since", map[string]string{"If-Modified-Since": lmTime.Add(-time.Second).Format(http.TimeFormat)}, http.StatusOK)
					check("bad If-Modified-Since", map[string]string{"If-Modified-Since": "yesterday"}, http.StatusOK)
					check("other If-None-Match wins", map[string]string{"If-None-Match": `"other"`, "If-Modified-Since": lm}, http.StatusOK)
				}
			}
		})
	}
}

// TestFeedsHostilePaths: odd paths are 404 (or the mux's redirect to a
// clean path that is), never a server error.
func TestFeedsHostilePaths(t *testing.T) {
	s := newSite(t, withCache(pagecache.Options{}))
	s.addCase(store.StatusMissing, nil)
	for _, p := range []string{
		"/feeds/regions/x", "/feeds/regions/%00", "/feeds/regions/avalon%00", "/feeds/regions/avalon%2F..",
		"/feeds/regions/" + strings.Repeat("a", 5000), "/feeds/regions/all",
		"/feeds/cases/%00", "/feeds/cases/0", "/feeds/cases/-1", "/feeds/cases/01", "/feeds/cases/1e3",
		"/feeds/cases/9223372036854775807", "/feeds/cases/99999999999999999999999999", "/feeds/cases/1%2F2",
		"/pfif/1.4/persons/1", "/pfif/1.4/persons/%00.xml", "/pfif/1.4/persons/1.xml.xml", "/pfif/1.4/persons/.xml",
		"/pfif/1.4/persons/99999999999999999999999999.xml", "/pfif/1.4/persons/9223372036854775807.xml",
		"/sitemaps/1.xml", "/sitemaps/0.xml", "/sitemaps/x.xml", "/sitemaps/%00",
	} {
		if rec := s.get(p); rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, rec.Code)
		}
	}
	// Dot segments: the mux redirects to the cleaned path, which is 404.
	for _, p := range []string{"/feeds/regions/../x", "/feeds/cases/../../etc/passwd", "/pfif/1.4/persons/../persons.xml/.."} {
		rec := s.get(p)
		if rec.Code == http.StatusNotFound {
			continue
		}
		if rec.Code != http.StatusMovedPermanently {
			t.Errorf("%s: %d, want 404 or a redirect", p, rec.Code)
			continue
		}
		if to := rec.Header().Get("Location"); s.get(to).Code != http.StatusNotFound {
			t.Errorf("%s redirects to %s, which is not 404", p, to)
		}
	}
}

func TestRobotsNamesSitemap(t *testing.T) {
	s := newSite(t)
	rec := s.get("/robots.txt")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), "\nSitemap: https://missing.example.ca/sitemap.xml\n")
	wantStatus(t, s.get(sitemap.Path), http.StatusOK)
}

// TestFeedLinksOnPages: home, the listing and an open case's page name
// their feeds with <link rel="alternate">, and each link serves a feed; a
// located case's page names none.
func TestFeedLinksOnPages(t *testing.T) {
	s := newSite(t)
	open := s.addCase(store.StatusMissing, nil)
	located := s.addCase(store.StatusLocated, nil)
	re := regexp.MustCompile(`<link rel="alternate" type="application/atom\+xml" title="([^"]+)" href="([^"]+)">`)
	links := func(path string) []string {
		t.Helper()
		rec := s.get(path)
		wantStatus(t, rec, http.StatusOK)
		var out []string
		for _, m := range re.FindAllStringSubmatch(rec.Body.String(), -1) {
			out = append(out, m[2])
			getAtom(t, s, m[2])
		}
		if n := strings.Count(rec.Body.String(), `rel="alternate"`); n != len(out) {
			t.Errorf("%s: %d alternate links, %d of them well formed", path, n, len(out))
		}
		return out
	}
	for path, want := range map[string][]string{
		"/":                               {feed.AllPath},
		"/cases":                          {feed.AllPath},
		"/cases?region=Labrador":          {feed.AllPath, "/feeds/regions/labrador"},
		"/cases?region=Nowhere":           {feed.AllPath},
		fmt.Sprintf("/cases/%d", open):    {feed.CasePath(open)},
		fmt.Sprintf("/cases/%d", located): nil,
	} {
		if got := links(path); !slices.Equal(got, want) {
			t.Errorf("%s: feed links %v, want %v", path, got, want)
		}
	}
}
