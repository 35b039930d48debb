package web

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"lostinnl/internal/pagecache"
	"lostinnl/internal/store"
)

// statsRecord stores the fixed record of the stats tests: 8 still missing
// (6 in Avalon seen in 2026, 2 in Eastern seen in 2025), 5 located in
// Labrador (seen in 2024), and cases the statistics must leave out (taken
// off while missing, pending, rejected).
func statsRecord(s *testSite) {
	n := 0
	add := func(status store.Status, region, seen string) int64 {
		n++
		d, err := time.Parse("2006-01-02", seen)
		if err != nil {
			s.t.Fatal(err)
		}
		return s.addCase(status, func(c *store.Case) {
			c.Region, c.LastSeenDate = region, d
			c.FullName = fmt.Sprintf("Statsperson Number%d", n)
			c.PoliceFileNumber = fmt.Sprintf("STATS-%d", n)
		})
	}
	for range 6 {
		add(store.StatusMissing, "Avalon", "2026-11-20")
	}
	for range 2 {
		add(store.StatusMissing, "Eastern", "2025-05-01")
	}
	for range 5 {
		add(store.StatusLocated, "Labrador", "2024-08-15")
	}
	add(store.StatusArchived, "Central", "2026-01-10")
	add(store.StatusPending, "Western", "2026-01-10")
	add(store.StatusRejected, "Western", "2026-01-10")
}

// TestStatsPage: the fixed record's counts, with 1–4 shown as "fewer than
// 5" and the smallest other count of the table withheld with it, in the
// tables, the charts' text alternatives and nowhere as a number.
func TestStatsPage(t *testing.T) {
	s := newSite(t)
	statsRecord(s)
	rec := s.get("/stats")
	wantStatus(t, rec, http.StatusOK)
	body := rec.Body.String()
	checkSecurityHeaders(t, "/stats", rec.Header())
	assertNoInlineCode(t, body)
	assertMarkupRefs(t, "/stats", body)
	mustContain(t, body,
		"<h1>Open statistics</h1>", "Counted from 13 cases",
		`<th scope="row">Avalon</th><td>6</td>`,
		`<th scope="row">Eastern</th><td>fewer than 5</td>`,
		`<th scope="row">Central</th><td>0</td>`,
		`<th scope="row">Labrador</th><td>not shown</td>`, // withheld: Eastern = 13 − 6 − Labrador otherwise
		`<th scope="row">2024</th><td>not shown</td>`,
		`<th scope="row">2025</th><td>fewer than 5</td>`,
		`<th scope="row">2026</th><td>6</td>`,
		`<th scope="row">Still missing</th><td>8</td>`,
		`<th scope="row">Located</th><td>5</td>`,
		// Five located cases: the median is shown (they were located
		// moments after their report).
		"Median: <strong>less than an hour</strong>",
		`href="/stats/regions.csv"`, `href="/stats/years.csv"`, `href="/stats/status.csv"`,
		`<a href="/stats" aria-current="page">Statistics</a>`,
	)
	// The hidden counts appear nowhere: not in a table, not in a chart.
	mustNotContain(t, body, "Eastern: 2", ">2</td>", "Labrador: 5", "2024: 5")

	svgs := svgRe.FindAllString(body, -1)
	if len(svgs) != 3 {
		t.Fatalf("%d charts, want 3", len(svgs))
	}
	titles := map[string]string{}
	for _, doc := range svgs {
		title, desc := checkChart(t, doc)
		titles[title] = desc
	}
	for title, want := range map[string]string{
		"Cases by region":         "Avalon: 6; Eastern: fewer than 5; Central: 0; Western: 0; Labrador: not shown.",
		"Cases by year last seen": "2024: not shown; 2025: fewer than 5; 2026: 6.",
		"Cases by outcome":        "Still missing: 8; Located: 5.",
	} {
		if desc, ok := titles[title]; !ok || !strings.HasSuffix(desc, want) {
			t.Errorf("chart %q: desc %q, want it to end %q", title, desc, want)
		}
	}
}

var svgRe = regexp.MustCompile(`(?s)<svg .*?</svg>`)

// checkChart parses one inline chart as XML (it must be well-formed on its
// own) and returns the texts of the title and desc naming it.
func checkChart(t *testing.T, doc string) (title, desc string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	d.Strict = true
	texts := map[string]string{} // id → text
	var labelledBy, role, cur string
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v\n%s", err, doc)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			depth++
			attr := map[string]string{}
			for _, a := range tk.Attr {
				attr[a.Name.Local] = a.Value
			}
			if depth == 1 {
				if tk.Name.Local != "svg" || tk.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("root %v", tk.Name)
				}
				labelledBy, role = attr["aria-labelledby"], attr["role"]
			}
			cur = attr["id"]
		case xml.CharData:
			if cur != "" {
				texts[cur] += string(tk)
			}
		case xml.EndElement:
			depth--
			cur = ""
		}
	}
	if role != "img" {
		t.Errorf("chart role %q, want img", role)
	}
	ids := strings.Fields(labelledBy)
	if len(ids) != 2 || texts[ids[0]] == "" || texts[ids[1]] == "" {
		t.Fatalf("chart not named and described: aria-labelledby %q, texts %q", labelledBy, texts)
	}
	return texts[ids[0]], texts[ids[1]]
}

// TestStatsCSV: one file per table, as text/csv with a file name, the
// counts as the page shows them.
func TestStatsCSV(t *testing.T) {
	s := newSite(t)
	statsRecord(s)
	for name, want := range map[string]string{
		"regions": "region,cases\r\nAvalon,6\r\nEastern,fewer than 5\r\nCentral,0\r\nWestern,0\r\nLabrador,not shown\r\n",
		"years":   "year_last_seen,cases\r\n2024,not shown\r\n2025,fewer than 5\r\n2026,6\r\n",
		"status":  "outcome,cases\r\nStill missing,8\r\nLocated,5\r\n",
	} {
		rec := s.get("/stats/" + name + ".csv")
		wantStatus(t, rec, http.StatusOK)
		hd := rec.Header()
		if ct := hd.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", name, ct)
		}
		if cd := hd.Get("Content-Disposition"); cd != `attachment; filename="lostinnl-stats-`+name+`.csv"` {
			t.Errorf("%s: Content-Disposition %q", name, cd)
		}
		if !strings.HasPrefix(hd.Get("Cache-Control"), "public") {
			t.Errorf("%s: Cache-Control %q", name, hd.Get("Cache-Control"))
		}
		if got := rec.Body.String(); got != want {
			t.Errorf("%s:\n got %q\nwant %q", name, got, want)
		}
	}
}

// TestStatsEmptyAndTiny: no public case, then fewer than 5: the page
// shows no number that could point at anyone, and no median.
func TestStatsEmptyAndTiny(t *testing.T) {
	s := newSite(t)
	body := s.get("/stats").Body.String()
	mustContain(t, body, "Counted from 0 cases", "No cases yet.", "Not shown yet: the median needs at least 5 located cases")
	for _, doc := range svgRe.FindAllString(body, -1) {
		checkChart(t, doc)
	}
	for range 3 {
		s.addCase(store.StatusLocated, nil)
	}
	body = s.get("/stats").Body.String()
	mustContain(t, body, "Counted from fewer than 5 cases", `<th scope="row">Avalon</th><td>fewer than 5</td>`,
		`<th scope="row">Located</th><td>fewer than 5</td>`, "Not shown yet")
	mustNotContain(t, body, "<td>3</td>", ": 3")
	if got := s.get("/stats/years.csv").Body.String(); got != "year_last_seen,cases\r\n2026,fewer than 5\r\n" {
		t.Errorf("years.csv %q", got)
	}
}

// TestStatsHostileRequests: the page and files read no query parameter:
// whatever a client adds is ignored, never a 500; unknown files are 404.
func TestStatsHostileRequests(t *testing.T) {
	s := newSite(t)
	statsRecord(s)
	want := s.get("/stats").Body.String()
	for _, target := range []string{
		"/stats?year=abc&region=%3Cscript%3E&status=all",
		"/stats?%zz=1&a=%00",
		"/stats?" + strings.Repeat("x=1&", 2000),
		"/stats?region=Avalon&region=../../etc/passwd",
	} {
		rec := s.get(target)
		wantStatus(t, rec, http.StatusOK)
		if rec.Body.String() != want {
			t.Errorf("%.60s: the page changed with an ignored parameter", target)
		}
	}
	wantStatus(t, s.get("/stats/regions.csv?format=xlsx&%zz"), http.StatusOK)
	for _, target := range []string{"/stats/", "/stats/nope.csv", "/stats/regions.CSV", "/stats/regions", "/stats/regions.csv/x", "/stats/%2e%2e/admin"} {
		if rec := s.get(target); rec.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", target, rec.Code)
		}
	}
	rec := s.post("/stats", url.Values{"x": {"1"}})
	wantStatus(t, rec, http.StatusMethodNotAllowed)
	head := s.do(httptest.NewRequest(http.MethodHead, "/stats/status.csv", nil))
	wantStatus(t, head, http.StatusOK)
}

// TestStatsPerRevision: the store is read once per content revision,
// however many pages and files are asked for, and a published case shows
// at once.
func TestStatsPerRevision(t *testing.T) {
	s := newSite(t)
	var reads atomic.Int32
	s.st.SetObserver(func(op string, _ time.Duration) {
		if op == "case_stats" {
			reads.Add(1)
		}
	})
	statsRecord(s)
	for _, p := range []string{"/stats", "/stats/regions.csv", "/stats/years.csv", "/stats", "/stats/status.csv"} {
		wantStatus(t, s.get(p), http.StatusOK)
	}
	if n := reads.Load(); n != 1 {
		t.Errorf("%d stats reads for one revision, want 1", n)
	}
	// Publish a pending report from Western: a new revision.
	id := s.addCase(store.StatusPending, func(c *store.Case) { c.Region = "Western"; c.PoliceFileNumber = "STATS-NEW" })
	if err := s.st.TransitionCase(context.Background(), id, store.StatusMissing, "", nil); err != nil {
		t.Fatal(err)
	}
	body := s.get("/stats").Body.String()
	mustContain(t, body, "Counted from 14 cases", `<th scope="row">Western</th><td>fewer than 5</td>`, `<th scope="row">Still missing</th><td>9</td>`)
	if n := reads.Load(); n != 2 {
		t.Errorf("%d stats reads after one change, want 2", n)
	}
}

// TestStatsPageCache: behind the page cache the answers are kept for the
// revision, and a write that moves it (here: the purge after a staff
// action) brings the new numbers.
func TestStatsPageCache(t *testing.T) {
	s := newSite(t, withCache(pagecache.Options{TTL: time.Hour}))
	statsRecord(s)
	first := s.get("/stats/status.csv").Body.String()
	id := s.addCase(store.StatusMissing, func(c *store.Case) { c.PoliceFileNumber = "STATS-NEW" })
	if got := s.get("/stats/status.csv").Body.String(); got != first {
		t.Errorf("cached answer changed within its revision: %q", got)
	}
	s.purge()
	if got, want := s.get("/stats/status.csv").Body.String(), "outcome,cases\r\nStill missing,9\r\nLocated,5\r\n"; got != want {
		t.Errorf("after the purge: %q, want %q (case %d published)", got, want, id)
	}
}

// TestStatsLinked: the footer links the page and the sitemap lists it.
func TestStatsLinked(t *testing.T) {
	s := newSite(t)
	mustContain(t, s.get("/").Body.String(), `<a href="/stats">Statistics</a>`)
	mustContain(t, s.get("/about").Body.String(), `<a href="/stats">open statistics</a>`)
	if _, ok := getSitemap(t, s)["https://missing.example.ca/stats"]; !ok {
		t.Error("sitemap lacks /stats")
	}
}
