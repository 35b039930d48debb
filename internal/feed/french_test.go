package feed

import (
	"strings"
	"testing"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// TestFrenchFeeds: with a French Site the feeds' titles, summaries and
// dates are French, links go to the /fr pages, the self link and id carry
// ?lang=fr (a different feed from the English one), and xml:lang says so.
func TestFrenchFeeds(t *testing.T) {
	fr := Site{Name: "Personnes disparues T.-N.-L.", BaseURL: "https://example.test", Lang: i18n.French}
	b := mustRender(t, AllOpen(fr, cases(), day("2026-01-01")))
	p := parse(t, b)
	body := string(b)
	for _, want := range []string{`xml:lang="fr-CA"`, `href="https://example.test/feeds/cases?lang=fr"`, `href="https://example.test/fr/cases"`,
		"<id>https://example.test/feeds/cases?lang=fr</id>", "Personnes disparues T.-N.-L. : personnes disparues"} {
		if !strings.Contains(body, want) {
			t.Errorf("French feed lacks %q\n%s", want, body)
		}
	}
	e := p.Entries[1]
	if e.ID != "https://example.test/fr/cases/1" || e.Title != "Personne disparue : Wren Tiberius, 34, Pouch Cove" ||
		e.Summary != "Vue pour la dernière fois le 1er octobre 2026 : the ferry dock, Pouch Cove (Avalon). Vêtements : red raincoat." {
		t.Errorf("entry: %+v", e)
	}
	for _, english := range []string{"Missing:", "Last seen", "Clothing", "missing people", "Every open"} {
		if strings.Contains(body, english) {
			t.Errorf("French feed says %q", english)
		}
	}

	region := string(mustRender(t, Region(fr, "Eastern", cases(), day("2026-01-01"))))
	for _, want := range []string{"personnes disparues – Est", "région : Est", "/feeds/regions/eastern?lang=fr", `https://example.test/fr/cases?region=Eastern`} {
		if !strings.Contains(region, want) {
			t.Errorf("French region feed lacks %q\n%s", want, region)
		}
	}

	c := cases()[0]
	f, err := CaseUpdates(fr, &c, []store.Update{{ID: 9, CaseID: 1, Body: "Recherche au sentier.", UpdatedAt: day("2026-10-04"), CreatedAt: day("2026-10-04")}})
	if err != nil {
		t.Fatal(err)
	}
	one := string(mustRender(t, f))
	for _, want := range []string{"mises à jour concernant Wren Tiberius", "Mise à jour concernant Wren Tiberius : Recherche au sentier.", "/feeds/cases/1?lang=fr", "https://example.test/fr/cases/1#update-9"} {
		if !strings.Contains(one, want) {
			t.Errorf("French case feed lacks %q\n%s", want, one)
		}
	}
}

// TestEnglishFeedUnchanged: the zero Lang is English, with no ?lang in
// ids (existing subscriptions keep their feed) and xml:lang en-CA.
func TestEnglishFeedUnchanged(t *testing.T) {
	body := string(mustRender(t, AllOpen(site, cases(), day("2026-01-01"))))
	if !strings.Contains(body, `xml:lang="en-CA"`) || strings.Contains(body, "?lang=") || strings.Contains(body, "/fr/") {
		t.Errorf("English feed:\n%s", body)
	}
}

// TestPseudoFeed: every fixed text of a feed goes through the catalog.
func TestPseudoFeed(t *testing.T) {
	ps := Site{Name: "X", BaseURL: "https://example.test", Lang: i18n.Pseudo}
	cs := []store.Case{{ID: 1, Status: store.StatusMissing, FullName: "Q", Region: "Avalon", LastSeenDate: day("2026-10-01"),
		UpdatedAt: day("2026-10-03"), Build: "1", HairColour: "2", EyeColour: "3", Features: "4", Clothing: "5"}}
	f := AllOpen(ps, cs, day("2026-01-01"))
	text := f.Title + " " + f.Subtitle
	for _, e := range f.Entries {
		text += " " + e.Title + " " + e.Summary
	}
	text = strings.ReplaceAll(text, "2026", "")
	if left := i18n.Untranslated(text); len(left) > 0 {
		t.Errorf("untranslated: %q in %s", left, text)
	}
}
