package store

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestShortName(t *testing.T) {
	for full, want := range map[string]string{
		"Jordan Zxqwerty":             "Jordan Z.",
		"  Jordan   Zxqwerty  ":       "Jordan Z.",
		"Jordan Zxqwerty Jr.":         "Jordan Z.",
		"Jordan Zxqwerty III":         "Jordan Z.",
		"Mary Ann Zxqwerty":           "Mary Z.",
		"Mary-Jane O'Zxqwerty":        "Mary-Jane O.",
		"Jordan \"JJ\" Zxqwerty":      "Jordan Z.",
		"(Jay) Jordan Zxqwerty":       "Jordan Z.",
		"Zxqwerty, Jordan":            "Jordan Z.",
		"ZXQWERTY, Jordan Lee":        "Jordan Z.",
		"Siobhán ó zxqwerty":          "Siobhán Z.",
		"Jordan 'zxqwerty":            "Jordan Z.",
		"Jordan":                      "Jordan",
		"Jordan Z.":                   "Jordan Z.",
		"Jordan,":                     "Jordan",
		"???":                         "???",
		"":                            "",
		"Élodie Ébert-Zxqwerty":       "Élodie É.",
		"Jordan Zxqwerty <script>x":   "Jordan S.",
		"Jordan Zxqwerty 12345":       "Jordan Z.",
		"Jordan \u00a0Zxqwerty":       "Jordan Z.",
		"jordan zxqwerty":             "jordan Z.",
		"Jordan van der Zxqwerty Sr":  "Jordan Z.",
		"Jordan Zxqwerty, Jr.":        "Jordan Z.",
		"Zxqwerty,":                   "Zxqwerty",
		"Jordan Zxqwerty\x00Zxqwerty": "Jordan Z.",
	} {
		got := ShortName(full)
		if got != want {
			t.Errorf("ShortName(%q) = %q, want %q", full, got, want)
		}
		if again := ShortName(got); again != got {
			t.Errorf("ShortName not idempotent on %q: %q", got, again)
		}
		if full != "Jordan Zxqwerty\x00Zxqwerty" && strings.Contains(strings.ToLower(got), "zxqwerty") && !strings.HasPrefix(got, "Zxqwerty") {
			t.Errorf("ShortName(%q) = %q keeps the surname", full, got)
		}
	}
}

func TestForPublic(t *testing.T) {
	c := &Case{
		ID: 7, FullName: "Jordan Zxqwerty", Aliases: "JJ Zxqwerty, Jojo", FirstNameOnly: true,
		Features:      "Scar on chin. JORDAN   ZXQWERTY wears glasses.",
		Clothing:      "Jersey with 'Jordan Lee Zxqwerty' on the back",
		Circumstances: "Jordan Zxqwerty left school. Call the Zxqwerty family.",
		LastSeenPlace: "Near the house of jordan zxqwerty",
		PrimaryPhoto:  &Photo{Key: "k", Alt: "Photo of Jordan Zxqwerty"},
	}
	p := c.ForPublic()
	if p == c || p.FullName != "Jordan Z." || p.Aliases != "" || p.PublicName() != "Jordan Z." || p.PublicAliases() != "" {
		t.Fatalf("ForPublic: %+v", p)
	}
	if c.FullName != "Jordan Zxqwerty" || c.PrimaryPhoto.Alt != "Photo of Jordan Zxqwerty" {
		t.Fatal("ForPublic changed the original")
	}
	if p.Features != "Scar on chin. Jordan Z. wears glasses." || p.PrimaryPhoto.Alt != "Photo of Jordan Z." ||
		p.LastSeenPlace != "Near the house of Jordan Z." || p.Clothing != "Jersey with 'Jordan Z.' on the back" {
		t.Errorf("texts: %q / %q / %q / %q", p.Features, p.PrimaryPhoto.Alt, p.LastSeenPlace, p.Clothing)
	}
	// The copy still redacts texts read later, and masks again to itself.
	if got := p.PublicText("Update: Jordan Zxqwerty was seen."); got != "Update: Jordan Z. was seen." {
		t.Errorf("PublicText on the copy: %q", got)
	}
	if q := p.ForPublic(); q.FullName != p.FullName || q.Features != p.Features || q.PublicText("Jordan Zxqwerty") != "Jordan Z." {
		t.Errorf("ForPublic twice: %+v", q)
	}
	// Part of a longer word is not a name.
	if got := c.PublicText("XJordan Zxqwertyz"); got != "XJordan Zxqwertyz" {
		t.Errorf("inside a word: %q", got)
	}
	// What PublicText leaves (the surname alone) is listed for staff.
	leaks := c.NameLeaks([]LabelledText{{"features", c.Features}, {"circumstances", c.Circumstances}, {"clothing", c.Clothing}, {"place", "Signal Hill"}})
	if !slices.Equal(leaks, []string{"circumstances"}) {
		t.Errorf("NameLeaks = %v", leaks)
	}
	// An ordinary case is untouched, the same pointer.
	o := &Case{FullName: "Jordan Zxqwerty", Aliases: "JJ"}
	if o.ForPublic() != o || o.PublicName() != "Jordan Zxqwerty" || o.PublicAliases() != "JJ" || o.PublicText("Jordan Zxqwerty") != "Jordan Zxqwerty" || o.NameLeaks([]LabelledText{{"x", "Zxqwerty"}}) != nil {
		t.Error("a case without the option changed")
	}
}

// TestFirstNameOnlyStored: the option and the request are stored and
// edited on both dialects, the public reads mask the name (one row, the
// snapshot), staff reads do not, and the name order uses the short name.
func TestFirstNameOnlyStored(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mk := func(name string, fno, asked bool) int64 {
			c := &Case{Status: StatusMissing, FullName: name, Aliases: "Jojo", Sex: "male", LastSeenDate: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
				LastSeenPlace: "Park", Community: "Gander", Region: "Central", PoliceAgency: "RCMP", PoliceFileNumber: "F-" + name, PoliceVerified: true,
				Features: "Tall. " + name + " has a scar.", FirstNameOnly: fno, FirstNameRequested: asked}
			id, err := s.CreateCase(ctx, c, ReporterContact{}, []Photo{{Key: "ph" + strings.ReplaceAll(name, " ", ""), Primary: true, Width: 10, Height: 10, Alt: "Photo of " + name}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		hidden := mk("Jordan Zxqwerty", true, true)
		plain := mk("Aaron Bbb", false, false)

		staff, err := s.GetCase(ctx, hidden)
		if err != nil {
			t.Fatal(err)
		}
		if !staff.FirstNameOnly || !staff.FirstNameRequested || staff.FullName != "Jordan Zxqwerty" || staff.Aliases != "Jojo" {
			t.Fatalf("staff read: %+v", staff)
		}
		for name, get := range map[string]func(context.Context, int64) (*Case, error){"GetPublicCase": s.GetPublicCase, "GetCaseForPublic": s.GetCaseForPublic} {
			c, err := get(ctx, hidden)
			if err != nil {
				t.Fatal(err)
			}
			if c.FullName != "Jordan Z." || c.Aliases != "" || strings.Contains(c.Features, "Zxqwerty") || strings.Contains(c.PrimaryPhoto.Alt, "Zxqwerty") {
				t.Errorf("%s: %+v %+v", name, c, c.PrimaryPhoto)
			}
		}
		snap, err := s.PublicCases(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// "Jordan Z." sorts after "Aaron Bbb" either way; the check is
		// that nothing of the snapshot holds the surname.
		for _, c := range snap.Cases {
			if strings.Contains(c.FullName+c.Aliases+c.Features+c.PrimaryPhoto.Alt, "Zxqwerty") {
				t.Errorf("snapshot holds the surname: %+v", c)
			}
			if c.ID == hidden && (!c.FirstNameOnly || c.FullName != "Jordan Z.") {
				t.Errorf("snapshot: %+v", c)
			}
		}

		// Turned off by a staff save: the full name is public again; the
		// reporter's request stays as it was asked.
		staff.FirstNameOnly = false
		if err := s.UpdateCase(ctx, staff, nil); err != nil {
			t.Fatal(err)
		}
		c, err := s.GetPublicCase(ctx, hidden)
		if err != nil {
			t.Fatal(err)
		}
		if c.FullName != "Jordan Zxqwerty" || c.FirstNameOnly || !c.FirstNameRequested {
			t.Errorf("after turning it off: %+v", c)
		}
		// On again for the other case: the name order follows the short
		// name ("Aaron B." < "Jordan Zxqwerty" still, "Zed" sorts last).
		p, err := s.GetCase(ctx, plain)
		if err != nil {
			t.Fatal(err)
		}
		p.FullName, p.FirstNameOnly = "Zed Aaaaa", true
		if err := s.UpdateCase(ctx, p, nil); err != nil {
			t.Fatal(err)
		}
		list, err := s.SearchCases(ctx, CaseQuery{Sort: SortName})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Cases) != 2 || list.Cases[0].ID != hidden {
			t.Errorf("name order: %+v", list.Cases)
		}
	})
}

func TestIndexText(t *testing.T) {
	c := &Case{FullName: "Jordan Lee Zxqwerty", FirstNameOnly: true}
	p := c.ForPublic()
	for _, k := range []*Case{c, p} {
		if got := k.IndexText("Hoodie of the Zxqwerty family, worn by Jordan Zxqwerty; LEE's"); strings.Contains(strings.ToLower(got), "zxqwerty") || strings.Contains(strings.ToLower(got), "lee") || !strings.Contains(got, "Hoodie") || !strings.Contains(got, "Jordan") {
			t.Errorf("IndexText = %q", got)
		}
	}
	o := &Case{FullName: "Jordan Zxqwerty"}
	if got := o.IndexText("Zxqwerty family"); got != "Zxqwerty family" {
		t.Errorf("ordinary case: %q", got)
	}
}

// TestMergeCarriesFirstNameRequest: a merged report's request for
// first-name-only publishing is flagged on the case it joins; the option
// itself stays the moderator's.
func TestMergeCarriesFirstNameRequest(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mk := func(status Status, asked bool) int64 {
			c := &Case{Status: status, FullName: "Jordan Zxqwerty", Sex: "male", LastSeenDate: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
				LastSeenPlace: "Park", Community: "Gander", Region: "Central", PoliceAgency: "RCMP", PoliceFileNumber: "F-1", PoliceVerified: true,
				FirstNameRequested: asked}
			id, err := s.CreateCase(ctx, c, ReporterContact{}, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		into, plain, asked := mk(StatusMissing, false), mk(StatusPending, false), mk(StatusPending, true)
		if _, err := s.MergeCase(ctx, plain, into, nil); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.GetCase(ctx, into); c.FirstNameRequested || c.FirstNameOnly {
			t.Fatalf("a report without the request set it: %+v", c)
		}
		if _, err := s.MergeCase(ctx, asked, into, nil); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.GetCase(ctx, into); !c.FirstNameRequested || c.FirstNameOnly {
			t.Fatalf("after merging the request: %+v", c)
		}
	})
}

// TestFirstNameOnlyNameOrder: the public name order places a
// first-name-only case by its short name, so its position among people
// with the same first name and initial tells nothing of the surname.
func TestFirstNameOnlyNameOrder(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) { testFirstNameOnlyNameOrder(t, s) })
}

func testFirstNameOnlyNameOrder(t *testing.T, s *Store) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		fno  bool
	}{{"Jordan Zaa", false}, {"Jordan Zxqwerty", true}, {"Jordan Zzz", false}} {
		if _, err := s.CreateCase(ctx, &Case{Status: StatusMissing, FullName: c.name, FirstNameOnly: c.fno, Sex: "male",
			LastSeenDate: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), LastSeenPlace: "Park", Community: "Gander", Region: "Central",
			PoliceAgency: "RCMP", PoliceFileNumber: "F", PoliceVerified: true}, ReporterContact{}, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := s.PublicCases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range snap.Cases {
		got = append(got, c.FullName)
	}
	if want := []string{"Jordan Z.", "Jordan Zaa", "Jordan Zzz"}; !slices.Equal(got, want) {
		t.Errorf("public name order %v, want %v", got, want)
	}
}
