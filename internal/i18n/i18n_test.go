package i18n

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestCatalogsLoad(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	if n := len(catalogs[French].entries); n < 5 {
		t.Fatalf("French catalog has %d messages", n)
	}
}

func TestTranslate(t *testing.T) {
	fr, en := For(French), For(English)
	if got := fr.T("{date} at {time}", "date", "1er mai 2026", "time", "9\u00a0h"); got != "1er mai 2026 à 9\u00a0h" {
		t.Errorf("fr T = %q", got)
	}
	if got := en.T("{date} at {time}", "date", "May 1, 2026", "time", "9:00 AM"); got != "May 1, 2026 at 9:00 AM" {
		t.Errorf("en T = %q", got)
	}
	// Context tells two meanings of one English word apart; without the
	// context the English stays (no translation of that meaning yet).
	if got := fr.TC("case status", "Located"); got != "Personne retrouvée" {
		t.Errorf("fr TC = %q", got)
	}
	if got := fr.T("Located"); got != "Located" {
		t.Errorf("fr T without context = %q, want the English fallback", got)
	}
	// Unknown message: the English text, arguments filled.
	if got := fr.T("Hello {who}", "who", "Kim"); got != "Hello Kim" {
		t.Errorf("fallback = %q", got)
	}
	// A missing argument stays visible; extra arguments are ignored.
	if got := en.T("Hi {a} {b}", "a", 1, "zzz", 3); got != "Hi 1 {b}" {
		t.Errorf("missing arg = %q", got)
	}
	// Arguments are not re-read for braces (data cannot inject).
	if got := en.T("{a}{b}", "a", "{b}", "b", "x"); got != "{b}x" {
		t.Errorf("injected braces = %q", got)
	}
	if For(Lang("de-DE")).Lang() != English {
		t.Error("unknown language is not English")
	}
}

func TestPlural(t *testing.T) {
	fr, en := For(French), For(English)
	cases := []struct {
		lz   *Localizer
		n    int
		want string
	}{
		{en, 0, "0 photos"}, {en, 1, "1 photo"}, {en, 2, "2 photos"}, {en, 1000, "1,000 photos"},
		// French: zero takes the singular.
		{fr, 0, "0 photo"}, {fr, 1, "1 photo"}, {fr, 2, "2 photos"}, {fr, 12345, "12\u202f345 photos"},
		{fr, 1_000_000, "1\u202f000\u202f000 photos"},
	}
	for _, c := range cases {
		if got := c.lz.N("{n} photo", "{n} photos", c.n); got != c.want {
			t.Errorf("%s N(%d) = %q, want %q", c.lz.Lang(), c.n, got, c.want)
		}
	}
	// Not in the catalog: the English forms, chosen by the French rule.
	if got := fr.N("{n} tip", "{n} tips", 0); got != "0 tip" {
		t.Errorf("fr fallback N(0) = %q", got)
	}
}

func TestFormats(t *testing.T) {
	fr, en := For(French), For(English)
	d := time.Date(2026, 12, 1, 21, 40, 0, 0, time.UTC)
	checks := []struct{ got, want string }{
		{fr.Date(d), "1er décembre 2026"},
		{fr.Date(d.AddDate(0, 1, 1)), "2 janvier 2027"},
		{en.Date(d), "December 1, 2026"},
		{en.Date(time.Time{}), ""},
		{fr.Clock(21, 40), "21\u00a0h\u00a040"},
		{fr.Clock(9, 0), "9\u00a0h"},
		{fr.Clock(0, 5), "0\u00a0h\u00a005"},
		{en.Clock(21, 40), "9:40 PM"},
		{fr.ClockText("07:05"), "7\u00a0h\u00a005"},
		{fr.ClockText("dusk"), "dusk"},
		{fr.Stamp(d, time.UTC), "1er décembre 2026 à 21\u00a0h\u00a040"},
		{en.Stamp(d, time.UTC), "December 1, 2026 at 9:40 PM"},
		{en.Number(1234), "1,234"},
		{fr.Number(1234), "1234"}, // French groups from five digits
		{fr.Number(-98765), "-98\u202f765"},
		{en.Number(-1234567), "-1,234,567"},
		{en.Number(999), "999"},
		{fr.Decimal(2.46), "2,5"},
		{en.Decimal(2.46), "2.5"},
		{fr.Height(165), "165 cm (5 pi 5 po)"},
		{en.Height(165), "165 cm (5 ft 5 in)"},
		{en.Height(0), ""},
		{fr.Weight(70), "70 kg (154 lb)"},
		{en.Weight(-1), ""},
	}
	for i, c := range checks {
		if c.got != c.want {
			t.Errorf("%d: got %q, want %q", i, c.got, c.want)
		}
	}
}

func TestCompareFoldsAccents(t *testing.T) {
	for _, l := range Langs {
		lz := For(l)
		names := []string{"Côté", "Cyr", "cote", "Coady", "Ćote", "Émile", "Eaton", "10 Mile", "9 Mile"}
		slices.SortStableFunc(names, lz.Compare)
		want := []string{"9 Mile", "10 Mile", "Coady", "Côté", "cote", "Ćote", "Cyr", "Eaton", "Émile"}
		// Côté, cote and Ćote are equal apart from accents and case: only
		// their order among themselves may differ by language.
		pos := func(s string) int { return slices.Index(names, s) }
		if pos("Coady") > pos("cote") || pos("Côté") > pos("Cyr") || pos("Eaton") > pos("Émile") || pos("9 Mile") > pos("10 Mile") {
			t.Errorf("%s: %v, want an order like %v", l, names, want)
		}
	}
}

func TestPaths(t *testing.T) {
	for _, c := range []struct {
		in   string
		lang Lang
		rest string
	}{
		{"/fr/cases/12", French, "/cases/12"},
		{"/fr", French, "/"},
		{"/fr/", French, "/"},
		{"/france", English, "/france"},
		{"/cases", English, "/cases"},
		{"/", English, "/"},
		{"/fr//x", French, "//x"},
	} {
		l, rest := SplitPath(c.in)
		if l != c.lang || rest != c.rest {
			t.Errorf("SplitPath(%q) = %s %q", c.in, l, rest)
		}
	}
	if Path(French, "/") != "/fr/" || Path(French, "/cases?q=a") != "/fr/cases?q=a" || Path(English, "/cases") != "/cases" {
		t.Error("Path")
	}
	if l, ok := Parse(" FR-ca "); !ok || l != French {
		t.Error("Parse fr-CA")
	}
	if _, ok := Parse("de"); ok {
		t.Error("Parse accepted de")
	}
}

func TestSuggest(t *testing.T) {
	for h, want := range map[string]bool{
		"fr-CA,fr;q=0.9,en;q=0.8": true,
		"fr":                      true,
		"fr-FR":                   true,
		"en-CA,en;q=0.9,fr;q=0.8": false,
		"en-US":                   false,
		"de-DE":                   false,
		"":                        false,
		"*":                       false,
		"fr;q=abc":                false,
		// Absurd headers suggest nothing (and do not fail).
		strings.Repeat("fr-CA,", 5000): false,
		"\x00\xff":                     false,
	} {
		if got := Suggest(h); got != want {
			t.Errorf("Suggest(%.40q) = %v, want %v", h, got, want)
		}
	}
}

func TestPseudo(t *testing.T) {
	ps := For(Pseudo)
	got := ps.T("Last seen {date}", "date", "2026-12-01")
	if !strings.HasPrefix(got, PseudoOpen) || !strings.Contains(got, "2026-12-01") || strings.Contains(got, "Last") {
		t.Fatalf("pseudo T = %q", got)
	}
	if u := Untranslated("Home " + got + " x " + ps.T("Search") + " Report a case"); !slices.Equal(u, []string{"Home", "Report", "case"}) {
		t.Errorf("Untranslated = %q", u)
	}
	if u := Untranslated(ps.Date(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))); len(u) != 0 {
		t.Errorf("pseudo date left %q", u)
	}
}

func TestCatalogFiles(t *testing.T) {
	head := "msgid \"\"\nmsgstr \"\"\n\"Plural-Forms: nplurals=2; plural=(n > 1);\\n\"\n\n"
	fsys := fstest.MapFS{
		"locales/fr-CA/a.po": {Data: []byte(head + "msgid \"One\"\nmsgstr \"Un\"\n")},
		"locales/fr-CA/b.po": {Data: []byte(head + "msgctxt \"x\"\nmsgid \"One\"\nmsgstr \"Une\"\n\nmsgid \"Two\"\nmsgstr \"Deux\"\n")},
	}
	c, err := loadLang(fsys, French)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.entries) != 3 || c.entries[key("", "Two")].forms[0] != "Deux" || c.entries[key("x", "One")].forms[0] != "Une" {
		t.Fatalf("merged catalog: %v", c.entries)
	}

	// The same message in two files: which translation wins would depend
	// on file names, so loading refuses.
	fsys["locales/fr-CA/c.po"] = &fstest.MapFile{Data: []byte(head + "msgid \"Two\"\nmsgstr \"Deux encore\"\n")}
	if _, err := loadLang(fsys, French); err == nil || !strings.Contains(err.Error(), "also in locales/fr-CA/b.po") {
		t.Errorf("duplicate message: err = %v", err)
	}
	delete(fsys, "locales/fr-CA/c.po")

	// Files disagreeing on the plural forms cannot be one catalog.
	fsys["locales/fr-CA/d.po"] = &fstest.MapFile{Data: []byte("msgid \"\"\nmsgstr \"\"\n\"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);\\n\"\n")}
	if _, err := loadLang(fsys, French); err == nil {
		t.Error("mismatched Plural-Forms loaded")
	}
	delete(fsys, "locales/fr-CA/d.po")

	if _, err := loadLang(fsys, English); err == nil {
		t.Error("a language without files loaded")
	}
}
