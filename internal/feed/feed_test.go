package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// parsed is the RFC 4287 shape read back with encoding/xml, namespaced,
// so a wrong namespace or a missing required element fails the test.
type parsed struct {
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
		Summary string `xml:"http://www.w3.org/2005/Atom summary"`
		Links   []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"http://www.w3.org/2005/Atom link"`
	} `xml:"http://www.w3.org/2005/Atom entry"`
}

func parse(t *testing.T, b []byte) parsed {
	t.Helper()
	var p parsed
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	if err := d.Decode(&p); err != nil {
		t.Fatalf("feed does not parse: %v\n%s", err, b)
	}
	// RFC 4287 §4.1.1: id, title, updated; an author when entries lack one.
	if p.ID == "" || p.Title == "" || len(p.Author) != 1 || p.Author[0].Name == "" {
		t.Fatalf("feed misses a required element: %+v", p)
	}
	if _, err := time.Parse(time.RFC3339, p.Updated); err != nil {
		t.Fatalf("feed updated %q: %v", p.Updated, err)
	}
	self := false
	for _, l := range p.Links {
		self = self || l.Rel == "self"
	}
	if !self {
		t.Fatal("no self link")
	}
	ids := map[string]bool{}
	for _, e := range p.Entries {
		if e.ID == "" || e.Title == "" {
			t.Fatalf("entry misses id or title: %+v", e)
		}
		if ids[e.ID] {
			t.Fatalf("duplicate entry id %s", e.ID)
		}
		ids[e.ID] = true
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
			t.Fatalf("entry updated %q: %v", e.Updated, err)
		}
	}
	return p
}

var site = Site{Name: "LostInNL", BaseURL: "https://example.test"}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func cases() []store.Case {
	age := 34
	return []store.Case{
		{ID: 1, Status: store.StatusMissing, FullName: "Wren Tiberius", Age: &age, Region: "Avalon", Community: "Pouch Cove",
			LastSeenPlace: "the ferry dock", LastSeenDate: day("2026-10-01"), Clothing: "red raincoat",
			UpdatedAt: day("2026-10-03"), PoliceFileNumber: "SECRET-ISH", Circumstances: "left a note"},
		{ID: 2, Status: store.StatusLocated, FullName: "Found Person", Region: "Avalon", LastSeenDate: day("2026-09-01"), UpdatedAt: day("2026-11-01")},
		{ID: 3, Status: store.StatusMissing, FullName: "Juniper Quill", Region: "Labrador", Community: "Nain",
			LastSeenDate: day("2026-10-05"), UpdatedAt: day("2026-10-06")},
		{ID: 4, Status: store.StatusArchived, FullName: "Archived Person", Region: "Labrador", LastSeenDate: day("2026-01-01"), UpdatedAt: day("2026-12-01")},
		{ID: 5, Status: store.StatusPending, FullName: "Pending Person", Region: "Labrador", LastSeenDate: day("2026-01-01"), UpdatedAt: day("2026-12-02")},
	}
}

func TestAllOpenOnlyMissingNewestFirst(t *testing.T) {
	b, err := Render(AllOpen(site, cases(), day("2026-01-01")))
	if err != nil {
		t.Fatal(err)
	}
	p := parse(t, b)
	if len(p.Entries) != 2 || p.Entries[0].ID != "https://example.test/cases/3" || p.Entries[1].ID != "https://example.test/cases/1" {
		t.Fatalf("entries: %+v", p.Entries)
	}
	if p.Updated != "2026-10-06T00:00:00Z" {
		t.Errorf("feed updated %s, want the newest entry's", p.Updated)
	}
	for _, bad := range []string{"Found Person", "Archived", "Pending", "SECRET-ISH", "left a note"} {
		if bytes.Contains(b, []byte(bad)) {
			t.Errorf("feed contains %q", bad)
		}
	}
	if e := p.Entries[1]; e.Title != "Missing: Wren Tiberius, 34, Pouch Cove" || !strings.Contains(e.Summary, "red raincoat") ||
		!strings.Contains(e.Summary, "Last seen October 1, 2026 at the ferry dock, Pouch Cove (Avalon).") {
		t.Errorf("entry: %+v", e)
	}
}

func TestAgeFromBirthDate(t *testing.T) {
	// Leap years must not move a birthday: born 1 March, seen 1 March.
	born := day("2000-03-01")
	c := store.Case{BirthDate: &born, LastSeenDate: day("2024-03-01")}
	if a := publicAge(&c); a == nil || *a != 24 {
		t.Errorf("age %v, want 24", a)
	}
	c.LastSeenDate = day("2024-02-29")
	if a := publicAge(&c); a == nil || *a != 23 {
		t.Errorf("age the day before %v, want 23", a)
	}
	c.PersonalWithdrawn = true
	if a := publicAge(&c); a != nil {
		t.Error("age shown after withdrawal")
	}
}

func TestRegionAndEmptyFeed(t *testing.T) {
	p := parse(t, mustRender(t, Region(site, "Labrador", cases(), day("2026-01-01"))))
	if len(p.Entries) != 1 || p.Entries[0].ID != "https://example.test/cases/3" {
		t.Fatalf("labrador: %+v", p.Entries)
	}
	p = parse(t, mustRender(t, Region(site, "Western", cases(), day("2026-02-03"))))
	if len(p.Entries) != 0 || p.Updated != "2026-02-03T00:00:00Z" {
		t.Fatalf("empty region: %+v", p)
	}
	if r, ok := RegionBySlug("labrador"); !ok || r != "Labrador" {
		t.Errorf("RegionBySlug(labrador) = %q, %v", r, ok)
	}
	for _, bad := range []string{"", "nowhere", "labrador/../x", "Avalon "} {
		if _, ok := RegionBySlug(bad); ok {
			t.Errorf("RegionBySlug(%q) accepted", bad)
		}
	}
}

func mustRender(t *testing.T, f Feed) []byte {
	t.Helper()
	b, err := Render(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCaseUpdates(t *testing.T) {
	cs := cases()
	ups := []store.Update{
		{ID: 7, CaseID: 1, Body: "Search moved to the coast.\nMore later.", CreatedAt: day("2026-10-02"), UpdatedAt: day("2026-10-02")},
		{ID: 8, CaseID: 1, Body: "Volunteers meet at 9.", CreatedAt: day("2026-10-04"), UpdatedAt: day("2026-10-04")},
		{ID: 9, CaseID: 99, Body: "another case's update", CreatedAt: day("2026-10-04"), UpdatedAt: day("2026-10-04")},
	}
	f, err := CaseUpdates(site, &cs[0], ups)
	if err != nil {
		t.Fatal(err)
	}
	p := parse(t, mustRender(t, f))
	if len(p.Entries) != 2 || p.Entries[0].ID != "https://example.test/cases/1#update-8" || p.Updated != "2026-10-04T00:00:00Z" {
		t.Fatalf("updates feed: %+v", p)
	}
	if p.Entries[1].Title != "Update on Wren Tiberius: Search moved to the coast." {
		t.Errorf("title %q", p.Entries[1].Title)
	}
	for _, i := range []int{1, 3, 4} {
		if _, err := CaseUpdates(site, &cs[i], ups); !errors.Is(err, ErrClosed) {
			t.Errorf("case status %s: err %v, want ErrClosed", cs[i].Status, err)
		}
	}
}

func TestHostileText(t *testing.T) {
	hostile := "A\x00B\x01\x0b\x1f\uFFFE<script>alert(1)</script>]]>&amp;\"'\xff\xfeC\tD"
	cs := []store.Case{{ID: 1, Status: store.StatusMissing, FullName: hostile, Community: hostile, Region: "Avalon",
		LastSeenPlace: hostile, Features: hostile, LastSeenDate: day("2026-10-01"), UpdatedAt: day("2026-10-03")}}
	b := mustRender(t, AllOpen(site, cs, day("2026-01-01")))
	p := parse(t, b)
	want := "AB<script>alert(1)</script>]]>&amp;\"'C\tD"
	if got := p.Entries[0].Title; got != "Missing: "+want+", "+want {
		t.Errorf("title round trip:\n got %q\nwant %q", got, "Missing: "+want+", "+want)
	}
	if bytes.Contains(b, []byte("<script")) || bytes.Contains(b, []byte("]]>")) || bytes.Contains(b, []byte{0}) || bytes.ContainsRune(b, 0xFFFD) {
		t.Errorf("raw markup or invalid characters in output:\n%s", b)
	}
	if got := Clean("ok\u2028 é 😀"); got != "ok\u2028 é 😀" {
		t.Errorf("Clean changed valid text: %q", got)
	}
}

func TestRefusesIncompleteFeed(t *testing.T) {
	base := AllOpen(site, cases(), day("2026-01-01"))
	for name, f := range map[string]func(*Feed){
		"no id":      func(f *Feed) { f.ID = "" },
		"no title":   func(f *Feed) { f.Title = " " },
		"no self":    func(f *Feed) { f.Self = "" },
		"no updated": func(f *Feed) { f.Updated = time.Time{} },
		"no author":  func(f *Feed) { f.Author = "" },
		"entry id":   func(f *Feed) { f.Entries = []Entry{{Title: "x", Updated: day("2026-01-01")}} },
	} {
		g := base
		f(&g)
		if _, err := Render(g); err == nil {
			t.Errorf("%s: rendered", name)
		}
	}
}

func TestValidators(t *testing.T) {
	cs := cases()
	b1 := mustRender(t, AllOpen(site, cs, day("2026-01-01")))
	v1 := ValidatorsOf(b1, day("2026-10-06").Add(1500*time.Millisecond))
	if v1.ETag[0] != '"' || v1.ETag[len(v1.ETag)-1] != '"' || len(v1.ETag) != 34 {
		t.Errorf("etag %s", v1.ETag)
	}
	if !v1.LastModified.Equal(day("2026-10-06").Add(time.Second)) {
		t.Errorf("last-modified %v, want whole seconds", v1.LastModified)
	}
	if v := ValidatorsOf(mustRender(t, AllOpen(site, cs, day("2026-01-01"))), day("2026-10-06")); v.ETag != v1.ETag {
		t.Error("same feed, different etag")
	}
	// Case 1 closes but the newest entry (case 3) is unchanged: updated
	// stays, the etag must not.
	cs[0].Status = store.StatusLocated
	b2 := mustRender(t, AllOpen(site, cs, day("2026-01-01")))
	if v := ValidatorsOf(b2, day("2026-10-06")); v.ETag == v1.ETag {
		t.Error("entry left but etag unchanged")
	}
}
