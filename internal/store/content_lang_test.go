package store

import (
	"strings"
	"testing"
)

// A case's language and its other-language texts (issue 18) survive
// create, read, save and the update calls on both dialects, and the
// schema's limits are checked the same way on both.
func TestContentLangRoundTrip(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		c := newCase("Marie Tremblay")
		c.ContentLang = ContentFrench
		c.Circumstances = "Partie à pied en soirée."
		c.CircumstancesAlt = "Left on foot in the evening."
		id := mustCreate(t, s, c, StatusMissing)
		got, err := s.GetCase(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.ContentLang != ContentFrench || got.CircumstancesAlt != c.CircumstancesAlt || got.Circumstances != c.Circumstances {
			t.Fatalf("after create: lang %q alt %q circ %q", got.ContentLang, got.CircumstancesAlt, got.Circumstances)
		}

		got.ContentLang, got.CircumstancesAlt = ContentEnglish, ""
		if err := s.UpdateCase(ctx, got, nil); err != nil {
			t.Fatal(err)
		}
		again, err := s.GetCaseForPublic(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if again.ContentLang != ContentEnglish || again.CircumstancesAlt != "" {
			t.Fatalf("after save: lang %q alt %q", again.ContentLang, again.CircumstancesAlt)
		}

		// A case created without a language is English, as the column's
		// default says, and reads back as such.
		plain := newCase("John Doe")
		pid := mustCreate(t, s, plain, StatusPending)
		if p, err := s.GetCase(ctx, pid); err != nil || p.ContentLang != ContentEnglish {
			t.Fatalf("default language: %v %q", err, p.ContentLang)
		}

		uid, err := s.AddUpdateText(ctx, id, UpdateText{Body: "Search resumes at dawn.", BodyAlt: "Les recherches reprennent à l'aube."}, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkUpdate := func(wantBody, wantAlt string) {
			t.Helper()
			us, err := s.ListUpdates(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if len(us) != 1 || us[0].ID != uid || us[0].Body != wantBody || us[0].BodyAlt != wantAlt {
				t.Fatalf("updates = %+v, want body %q alt %q", us, wantBody, wantAlt)
			}
		}
		checkUpdate("Search resumes at dawn.", "Les recherches reprennent à l'aube.")
		// EditUpdate (the text alone) keeps the other version ...
		if err := s.EditUpdate(ctx, id, uid, "Search resumes at 6 a.m.", nil); err != nil {
			t.Fatal(err)
		}
		checkUpdate("Search resumes at 6 a.m.", "Les recherches reprennent à l'aube.")
		// ... EditUpdateText replaces it, "" removing it.
		if err := s.EditUpdateText(ctx, id, uid, UpdateText{Body: "Search resumes at 7 a.m."}, nil); err != nil {
			t.Fatal(err)
		}
		checkUpdate("Search resumes at 7 a.m.", "")
		if err := s.EditUpdateText(ctx, id, uid+1000, UpdateText{Body: "x"}, nil); err == nil {
			t.Fatal("edit of an unknown update succeeded")
		}
	})
}

func TestContentLangRefusesBadValues(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		huge := strings.Repeat("é", maxTextBytes/2+1)
		for name, mod := range map[string]func(c *Case){
			"unknown language": func(c *Case) { c.ContentLang = "xx" },
			"short code":       func(c *Case) { c.ContentLang = "fr" },
			"huge alt":         func(c *Case) { c.CircumstancesAlt = huge },
			"bad UTF-8 alt":    func(c *Case) { c.CircumstancesAlt = "a\xffb" },
		} {
			c := newCase("Ann Bad")
			mod(c)
			_, err := s.CreateCase(ctx, c, ReporterContact{}, nil, nil)
			wantErr(t, err, ErrInvalid)
			if err != nil && !strings.Contains(err.Error(), "content_lang") && !strings.Contains(err.Error(), "circumstances_alt") {
				t.Errorf("%s: error %q does not name the field", name, err)
			}
		}
		c := newCase("Ann Good")
		id := mustCreate(t, s, c, StatusMissing)
		c.ContentLang = "en"
		wantErr(t, s.UpdateCase(ctx, c, nil), ErrInvalid)
		_, err := s.AddUpdateText(ctx, id, UpdateText{Body: "ok", BodyAlt: huge}, nil)
		wantErr(t, err, ErrInvalid)
		_, err = s.AddUpdateText(ctx, id, UpdateText{BodyAlt: "seulement en français"}, nil)
		wantErr(t, err, ErrInvalid) // the text in the case's language is required
	})
}

// A first-name-only case hides the surname in the other-language text too.
func TestContentLangFirstNameOnly(t *testing.T) {
	c := newCase("Marie Tremblay")
	c.FirstNameOnly = true
	c.CircumstancesAlt = "Marie Tremblay est partie à pied."
	if p := c.ForPublic(); strings.Contains(p.CircumstancesAlt, "Tremblay") {
		t.Fatalf("public alt text still names the surname: %q", p.CircumstancesAlt)
	}
}

func TestShowText(t *testing.T) {
	for _, tc := range []struct {
		name                      string
		original, alt, lang, page string
		want                      ShownText
	}{
		{"same language", "English text", "", ContentEnglish, ContentEnglish, ShownText{"English text", ContentEnglish, false}},
		{"same language, alt ignored", "English text", "Texte", ContentEnglish, ContentEnglish, ShownText{"English text", ContentEnglish, false}},
		{"other language with alt", "English text", "Texte", ContentEnglish, ContentFrench, ShownText{"Texte", ContentFrench, false}},
		{"other language, no alt", "English text", "", ContentEnglish, ContentFrench, ShownText{"English text", ContentEnglish, true}},
		{"French case on English page", "Texte", "", ContentFrench, ContentEnglish, ShownText{"Texte", ContentFrench, true}},
		{"French case with English alt", "Texte", "English text", ContentFrench, ContentEnglish, ShownText{"English text", ContentEnglish, false}},
		{"unset language is English", "English text", "", "", ContentFrench, ShownText{"English text", ContentEnglish, true}},
		{"pseudo page reads English", "English text", "Texte", ContentEnglish, "en-XA", ShownText{"English text", ContentEnglish, false}},
		{"only the alt given", "", "Texte", ContentEnglish, ContentEnglish, ShownText{"Texte", ContentFrench, true}},
		{"nothing", "", "", ContentEnglish, ContentFrench, ShownText{"", ContentFrench, false}},
	} {
		if got := ShowText(tc.original, tc.alt, tc.lang, tc.page); got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
