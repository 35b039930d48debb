package feed

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// Site is what every feed needs to know about the site, and the language
// of the feed (issue 18): its titles, summaries and dates, and links to
// the pages in that language (/fr/…). The zero Lang is English.
type Site struct {
	Name    string // the publisher in Lang, e.g. "Missing Persons NL"
	BaseURL string // absolute, no trailing slash, e.g. "https://lostinnl.ca"
	Lang    i18n.Lang
}

func (s Site) lz() *i18n.Localizer { return i18n.For(s.Lang) }

// page is the absolute URL of an English site path p in the feed's language.
func (s Site) page(p string) string { return s.BaseURL + i18n.Path(s.Lang, p) }

// self is the absolute URL of the feed at path p in the feed's language:
// feeds are files, so a language other than English is ?lang=fr.
func (s Site) self(p string) string {
	if s.Lang == i18n.French {
		return s.BaseURL + p + "?lang=fr"
	}
	return s.BaseURL + p
}

// Paths of the feeds, for the route table and the pages'
// <link rel="alternate" type="application/atom+xml">.
const AllPath = "/feeds/cases"

// RegionPath is the path of one region's feed (the region in lower case).
func RegionPath(region string) string { return "/feeds/regions/" + strings.ToLower(region) }

// CasePath is the path of one case's updates feed.
func CasePath(id int64) string { return "/feeds/cases/" + strconv.FormatInt(id, 10) }

// RegionBySlug finds the region a path segment names (any case), so
// "/feeds/regions/avalon" serves "Avalon"; false for anything else.
func RegionBySlug(slug string) (string, bool) {
	for _, r := range store.Regions {
		if strings.EqualFold(r, slug) {
			return r, true
		}
	}
	return "", false
}

func caseURL(s Site, id int64) string { return s.page("/cases/" + strconv.FormatInt(id, 10)) }

// AllOpen is the feed of every open case. cases may hold any statuses (e.g.
// the read model's snapshot of missing and located cases): only missing
// ones become entries, so a case leaves the feed the moment it closes.
// empty is the feed's updated when no case is open (the content revision's
// time, say), since RFC 4287 requires one.
func AllOpen(s Site, cases []store.Case, empty time.Time) Feed {
	lz := s.lz()
	f := Feed{
		ID:        s.self(AllPath),
		Lang:      s.Lang,
		Title:     lz.T("{site}: missing people", "site", s.Name),
		Subtitle:  lz.T("Every open missing-person case, newest change first."),
		Self:      s.self(AllPath),
		Alternate: s.page("/cases"),
		Author:    s.Name,
	}
	fill(&f, s, cases, "", empty)
	return f
}

// Region is the feed of the open cases of one region (one of
// store.Regions; callers check it with RegionBySlug).
func Region(s Site, region string, cases []store.Case, empty time.Time) Feed {
	lz := s.lz()
	name := lz.TC("region", region) // the regions' names are in site.po
	f := Feed{
		ID:        s.self(RegionPath(region)),
		Lang:      s.Lang,
		Title:     lz.T("{site}: missing people, {region}", "site", s.Name, "region", name),
		Subtitle:  lz.T("Open missing-person cases in {region}.", "region", name),
		Self:      s.self(RegionPath(region)),
		Alternate: s.page("/cases?region=" + region),
		Author:    s.Name,
	}
	fill(&f, s, cases, region, empty)
	return f
}

func fill(f *Feed, s Site, cases []store.Case, region string, empty time.Time) {
	for i := range cases {
		c := &cases[i]
		if c.Status != store.StatusMissing || (region != "" && c.Region != region) {
			continue
		}
		f.Entries = append(f.Entries, caseEntry(s, c))
	}
	// Newest change first: readers show entries in document order.
	sortEntries(f.Entries)
	f.Updated = empty
	if len(f.Entries) > 0 {
		f.Updated = f.Entries[0].Updated
	}
}

func sortEntries(es []Entry) {
	slices.SortStableFunc(es, func(a, b Entry) int {
		if c := b.Updated.Compare(a.Updated); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// caseEntry is one open case: what its listing card shows, no more.
func caseEntry(s Site, c *store.Case) Entry {
	title := c.FullName
	if age := publicAge(c); age != nil {
		title += ", " + strconv.Itoa(*age)
	}
	if c.Community != "" {
		title += ", " + c.Community
	}
	e := Entry{
		ID:       caseURL(s, c.ID),
		Title:    s.lz().TC("feed", "Missing: {person}", "person", title),
		Link:     caseURL(s, c.ID),
		Updated:  c.UpdatedAt,
		Summary:  summary(s.lz(), c),
		Category: c.Region,
	}
	if !c.CreatedAt.IsZero() {
		e.Published = c.CreatedAt
	}
	return e
}

func publicAge(c *store.Case) *int {
	if c.PersonalWithdrawn {
		return nil
	}
	if n, ok := c.AgeWhenLastSeen(); ok {
		return &n
	}
	return nil
}

// summary: when and where last seen, and the description the card shows,
// in lz's language (the description itself is as entered).
func summary(lz *i18n.Localizer, c *store.Case) string {
	var parts []string
	place := c.LastSeenPlace
	if c.Community != "" && c.Community != place {
		if place != "" {
			place += ", "
		}
		place += c.Community
	}
	if c.Region != "" {
		place += " (" + lz.TC("region", c.Region) + ")"
	}
	parts = append(parts, lz.TC("feed", "Last seen {date} at {place}.", "date", lz.Date(c.LastSeenDate), "place", strings.TrimSpace(place)))
	if !c.PersonalWithdrawn {
		for _, d := range []struct{ label, v string }{
			{lz.TC("feed", "Build"), c.Build}, {lz.TC("feed", "Hair"), c.HairColour}, {lz.TC("feed", "Eyes"), c.EyeColour},
			{lz.TC("feed", "Distinguishing features"), c.Features}, {lz.TC("feed", "Clothing"), c.Clothing},
		} {
			if v := strings.TrimSpace(d.v); v != "" {
				parts = append(parts, lz.TC("feed", "{label}: {value}.", "label", d.label, "value", v))
			}
		}
	}
	return strings.Join(parts, " ")
}

// CaseUpdates is one open case's public timeline. A case that is not
// missing has no feed (ErrClosed), so a closed case's updates stop
// travelling with it.
func CaseUpdates(s Site, c *store.Case, updates []store.Update) (Feed, error) {
	if c.Status != store.StatusMissing {
		return Feed{}, ErrClosed
	}
	lz := s.lz()
	f := Feed{
		ID:        s.self(CasePath(c.ID)),
		Lang:      s.Lang,
		Title:     lz.T("{site}: updates on {person}", "site", s.Name, "person", c.FullName),
		Self:      s.self(CasePath(c.ID)),
		Alternate: caseURL(s, c.ID),
		Author:    s.Name,
		Updated:   c.UpdatedAt,
	}
	for _, u := range updates {
		if u.CaseID != c.ID {
			continue
		}
		// The id names the update and stays stable across edits; the case
		// page has no per-update anchor, so the link is the page.
		f.Entries = append(f.Entries, Entry{
			ID:        caseURL(s, c.ID) + "#update-" + strconv.FormatInt(u.ID, 10),
			Title:     lz.TC("feed", "Update on {person}: {text}", "person", c.FullName, "text", firstLine(u.Body)),
			Link:      caseURL(s, c.ID),
			Updated:   u.UpdatedAt,
			Published: u.CreatedAt,
			Summary:   u.Body,
		})
	}
	sortEntries(f.Entries)
	if len(f.Entries) > 0 && f.Entries[0].Updated.After(f.Updated) {
		f.Updated = f.Entries[0].Updated
	}
	return f, nil
}

// firstLine is the start of an update's text, for its title.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	const max = 80
	if r := []rune(s); len(r) > max {
		s = strings.TrimSpace(string(r[:max])) + "…"
	}
	return s
}
