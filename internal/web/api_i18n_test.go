package web

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/i18n"
	"lostinnl/internal/openapi/openapitest"
	"lostinnl/internal/pagecache"
	"lostinnl/internal/store"
)

// apiError reads a JSON error answer's message.
func apiErrorText(t *testing.T, body []byte) string {
	t.Helper()
	var e struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
		t.Fatalf("not a JSON error: %v %q", err, body)
	}
	return e.Error
}

// TestAPIFrench: lang=fr gives French error messages and links to the
// French pages; the answers still match the OpenAPI description.
func TestAPIFrench(t *testing.T) {
	v, err := openapitest.New()
	if err != nil {
		t.Fatal(err)
	}
	s := newSite(t)
	id := s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Élodie Francotest" })
	checks := []struct {
		path   string
		status int
		want   string
	}{
		{"/api/v1/cases?lang=fr", 200, fmt.Sprintf(`"url":"%s/fr/cases/%d"`, s.web.BaseURL, id)},
		{fmt.Sprintf("/api/v1/cases/%d?lang=fr", id), 200, fmt.Sprintf(`"url":"%s/fr/cases/%d"`, s.web.BaseURL, id)},
		{fmt.Sprintf("/api/v1/cases/%d?lang=en", id), 200, fmt.Sprintf(`"url":"%s/cases/%d"`, s.web.BaseURL, id)},
		{"/api/v1/cases?lang=fr&per_page=0", 400, "per_page doit être un nombre entier de 1 à 100."},
		{"/api/v1/cases?lang=fr&status=x", 400, `"error":"`},
		{"/api/v1/cases/99999?lang=fr", 404, `{"error":"introuvable"}`},
		{"/api/v1/cases/99999?lang=en", 404, `{"error":"not found"}`},
		{"/api/v1/cases?lang=", 200, `"cases":`},
	}
	for _, c := range checks {
		rec := s.get(c.path)
		wantStatus(t, rec, c.status)
		mustContain(t, rec.Body.String(), c.want)
		if err := v.Validate(http.MethodGet, c.path, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
			t.Errorf("%s: %v", c.path, err)
		}
	}
	// The listing's own problems are French too, not only per_page's.
	msg := apiErrorText(t, s.get("/api/v1/cases?lang=fr&status=x").Body.Bytes())
	if left := englishWordsIn(msg, "status"); len(left) > 0 {
		t.Errorf("French listing error %q has English %q", msg, left)
	}
	// Paths and methods no route has answer in the asked language too.
	mustContain(t, s.get("/api/v1/nothing?lang=fr").Body.String(), `{"error":"introuvable"}`)
	mustContain(t, s.get("/api/v1/nothing?lang=xx").Body.String(), `{"error":"not found"}`)
	post := s.do(httpRequest(http.MethodPost, "/api/v1/cases?lang=fr"))
	wantStatus(t, post, http.StatusMethodNotAllowed)
	mustContain(t, post.Body.String(), `{"error":"méthode non autorisée"}`)
	// The API has no /fr path: the parameter is the only way.
	wantStatus(t, s.get("/fr/api/v1/cases"), http.StatusNotFound)
}

// englishWords: a few words only an English message would have.
func englishWordsIn(msg string, allowed ...string) []string {
	var out []string
	for _, w := range []string{"must", "the", "showing", "Status", "one of", "whole number"} {
		if strings.Contains(msg, w) && !slices.Contains(allowed, w) {
			out = append(out, w)
		}
	}
	return out
}

// langRoutes are the routes that take ?lang (kit.Route.LangQuery).
func langQueryRoutes(id int64) []string {
	return []string{
		"/api/v1/cases", fmt.Sprintf("/api/v1/cases/%d", id),
		"/feeds/cases", "/feeds/regions/avalon", fmt.Sprintf("/feeds/cases/%d", id),
		fmt.Sprintf("/cases/%d/poster.pdf", id), fmt.Sprintf("/cases/%d/share.jpg", id),
	}
}

// TestLangParamHostile: anything but one "en" or "fr" is a 400 that says
// what is accepted (JSON under /api/, validated against OpenAPI), never a
// 500 and never a silent English answer.
func TestLangParamHostile(t *testing.T) {
	v, err := openapitest.New()
	if err != nil {
		t.Fatal(err)
	}
	s := newSite(t, withMedia(t))
	id := s.addCase(store.StatusMissing, func(c *store.Case) { c.Region = "Avalon" })
	bad := []struct{ query, want string }{
		{"lang=xx", `The lang parameter must be "en" (English) or "fr" (French).`},
		{"lang=fr%00", `The lang parameter must be "en" (English) or "fr" (French).`},
		{"lang=FR", `The lang parameter must be "en" (English) or "fr" (French).`},
		{"lang=fr-CA", `The lang parameter must be "en" (English) or "fr" (French).`},
		{"lang=%20fr", `The lang parameter must be "en" (English) or "fr" (French).`},
		{"lang=fr%zz", `The lang parameter must be "en" (English) or "fr" (French).`},
		{"lang=" + strings.Repeat("f", 5000), `The lang parameter must be "en" (English) or "fr" (French).`},
		{"lang=fr&lang=fr", "Give the lang parameter only once."},
		{"lang=en&lang=fr", "Give the lang parameter only once."},
		{"%6Cang=fr&lang=en", "Give the lang parameter only once."},
	}
	for _, p := range langQueryRoutes(id) {
		for _, b := range bad {
			target := p + "?" + b.query
			rec := s.get(target)
			wantStatus(t, rec, http.StatusBadRequest)
			if strings.HasPrefix(p, "/api/") {
				if got := apiErrorText(t, rec.Body.Bytes()); got != b.want {
					t.Errorf("%s: error %q, want %q", target, got, b.want)
				}
				if err := v.Validate(http.MethodGet, target, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
					t.Errorf("%s: %v", target, err)
				}
			} else {
				mustContain(t, rec.Body.String(), strings.ReplaceAll(b.want, `"`, "&#34;"))
			}
		}
		for _, ok := range []string{"lang=en", "lang=fr", "lang="} {
			wantStatus(t, s.get(p+"?"+ok), http.StatusOK)
		}
	}
}

// TestLangQueryCacheKeepsLanguagesApart: with the page cache on, the
// English and French copies of a feed, a poster, a share picture and an
// API answer are kept apart, whichever is asked first.
func TestLangQueryCacheKeepsLanguagesApart(t *testing.T) {
	s := newSite(t, withMedia(t), withCache(pagecache.Options{}))
	id := s.addCase(store.StatusMissing, func(c *store.Case) { c.Region = "Avalon" })
	type look struct{ en, fr string }
	checks := map[string]look{
		"/feeds/cases":                                  {`xml:lang="en-CA"`, `xml:lang="fr-CA"`},
		fmt.Sprintf("/feeds/cases/%d", id):              {"updates on", "mises à jour concernant"},
		fmt.Sprintf("/api/v1/cases/%d", id):             {fmt.Sprintf(`/cases/%d"`, id), fmt.Sprintf(`/fr/cases/%d"`, id)},
		"/api/v1/cases?per_page=1":                      {fmt.Sprintf(`ca/cases/%d"`, id), fmt.Sprintf(`/fr/cases/%d"`, id)},
		fmt.Sprintf("/cases/%d/poster.pdf", id):         {"missing-", "disparue-"},
		fmt.Sprintf("/cases/%d/share.jpg", id):          {"missing-", "disparue-"},
		fmt.Sprintf("/cases/%d/poster.pdf?size=a4", id): {"missing-", "disparue-"},
	}
	for p, l := range checks {
		sep := "?"
		if strings.Contains(p, "?") {
			sep = "&"
		}
		// Each order twice: the second answer of each comes from the cache.
		for round := 0; round < 2; round++ {
			for _, q := range []struct{ query, want, bad string }{{"", l.en, l.fr}, {sep + "lang=fr", l.fr, l.en}, {sep + "lang=en", l.en, l.fr}} {
				rec := s.get(p + q.query)
				wantStatus(t, rec, http.StatusOK)
				got := rec.Body.String() + rec.Header().Get("Content-Disposition")
				if !strings.Contains(got, q.want) || (q.bad != l.en || !strings.Contains(l.fr, l.en)) && strings.Contains(got, q.bad) {
					t.Errorf("round %d %s%s: answer is not in its language (want %q, not %q)", round, p, q.query, q.want, q.bad)
				}
			}
		}
	}
	// The two languages of a file have different ETags.
	en := s.get(fmt.Sprintf("/cases/%d/poster.pdf", id)).Header().Get("ETag")
	fr := s.get(fmt.Sprintf("/cases/%d/poster.pdf?lang=fr", id)).Header().Get("ETag")
	if en == "" || en == fr {
		t.Errorf("poster ETags %q and %q", en, fr)
	}
}

// TestPosterFrenchServed: the case's French poster is French, links the
// French page, and is named for it.
func TestPosterFrenchServed(t *testing.T) {
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext is not installed (poppler-utils): this check did not run")
	}
	s := newSite(t, withMedia(t))
	id := s.addCase(store.StatusMissing, func(c *store.Case) {
		c.FullName, c.HeightCM = "Hélène Côté", intPtrAPI(165)
		c.LastSeenDate, c.LastSeenTime = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), "21:40"
	})
	rec := s.get(fmt.Sprintf("/cases/%d/poster.pdf?lang=fr", id))
	wantStatus(t, rec, http.StatusOK)
	if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, fmt.Sprintf("disparue-%d-letter.pdf", id)) {
		t.Errorf("Content-Disposition %q", cd)
	}
	path := filepath.Join(t.TempDir(), "p.pdf")
	if err := os.WriteFile(path, rec.Body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	mustContain(t, text, "PERSONNE DISPARUE", "Hélène Côté", "165 cm (5 pi 5 po)", "1er décembre 2026 à 21 h 40", "composez le 911", fmt.Sprintf("/fr/cases/%d", id), "Affiche créée le")
	mustNotContain(t, text, "MISSING", "Poster made")
	wantStatus(t, s.get(fmt.Sprintf("/cases/%d/poster.pdf?lang=fr&size=letter", id)), http.StatusOK)
	// A bad size in French says so in French, on a French error page.
	bad := s.get(fmt.Sprintf("/cases/%d/poster.pdf?lang=fr&size=b5", id))
	wantStatus(t, bad, http.StatusBadRequest)
	mustContain(t, bad.Body.String(), `<html lang="fr-CA"`, "Le format de papier doit être")
}

func intPtrAPI(v int) *int { return &v }

// TestFeedFrenchGone: a closed case's French feed says it was withdrawn
// in French.
func TestFeedFrenchGone(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusLocated, nil)
	rec := s.get(fmt.Sprintf("/feeds/cases/%d?lang=fr", id))
	wantStatus(t, rec, http.StatusGone)
	mustContain(t, rec.Body.String(), "Cette personne n&#39;est plus inscrite comme disparue")
}

// TestSitemapBilingual: the served sitemap lists every public page in
// both languages with hreflang alternates, and parses as XML.
func TestSitemapBilingual(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, nil)
	rec := s.get("/sitemap.xml")
	wantStatus(t, rec, http.StatusOK)
	var set struct {
		URLs []struct {
			Loc   string `xml:"loc"`
			Links []struct {
				Hreflang string `xml:"hreflang,attr"`
				Href     string `xml:"href,attr"`
			} `xml:"http://www.w3.org/1999/xhtml link"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &set); err != nil {
		t.Fatal(err)
	}
	locs := map[string]int{}
	for _, u := range set.URLs {
		locs[strings.TrimPrefix(u.Loc, s.web.BaseURL)] = len(u.Links)
	}
	for _, p := range []string{"/", "/cases", "/resources", "/about", "/privacy", "/stats", "/map", fmt.Sprintf("/cases/%d", id)} {
		for _, l := range []i18n.Lang{i18n.English, i18n.French} {
			lp := i18n.Path(l, p)
			if n, ok := locs[lp]; !ok || n != 3 {
				t.Errorf("%s: listed %v with %d alternates, want 3", lp, ok, n)
			}
		}
	}
}

// TestPseudoLocaleAPIFeeds: in the pseudo-locale the API's error
// messages and the feeds' fixed texts all come through the catalog.
func TestPseudoLocaleAPIFeeds(t *testing.T) {
	s := newSite(t, func(d *Deps) { d.forceLang = i18n.Pseudo })
	id := s.addCase(store.StatusMissing, func(c *store.Case) {
		c.FullName, c.Community, c.LastSeenPlace, c.Region = "Quentin", "Ville", "Quai", "Avalon"
		c.Build, c.HairColour, c.EyeColour, c.Features, c.Clothing = "", "", "", "", ""
	})
	for _, p := range []string{"/api/v1/cases?per_page=0", "/api/v1/cases?status=x", "/api/v1/cases/99999", "/api/v1/cases?lang=xx", "/api/v1/cases?lang=fr&lang=fr", "/api/v1/nothing"} {
		rec := s.get(p)
		msg := apiErrorText(t, rec.Body.Bytes())
		if left := i18n.Untranslated(msg); len(left) > 0 {
			t.Errorf("%s: untranslated %q in %q", p, left, msg)
		}
	}
	for _, p := range []string{"/feeds/cases", "/feeds/regions/avalon", fmt.Sprintf("/feeds/cases/%d", id)} {
		rec := s.get(p)
		wantStatus(t, rec, http.StatusOK)
		var f struct {
			Title   string `xml:"title"`
			Sub     string `xml:"subtitle"`
			Entries []struct {
				Title   string `xml:"title"`
				Summary string `xml:"summary"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal(rec.Body.Bytes(), &f); err != nil {
			t.Fatal(err)
		}
		text := f.Title + " " + f.Sub
		for _, e := range f.Entries {
			text += " " + e.Title + " " + e.Summary
		}
		for _, data := range []string{"Quentin", "Ville", "Quai"} {
			text = strings.ReplaceAll(text, data, "")
		}
		if left := i18n.Untranslated(text); len(left) > 0 {
			t.Errorf("%s: untranslated %q in %q", p, left, text)
		}
	}
}

// TestFrenchPagesLinkFrenchFeeds: a French page's Atom links name the
// French feeds; the English pages keep theirs.
func TestFrenchPagesLinkFrenchFeeds(t *testing.T) {
	s := newSite(t)
	s.addCase(store.StatusMissing, func(c *store.Case) { c.Region = "Avalon" })
	mustContain(t, s.get("/fr/").Body.String(), `href="/feeds/cases?lang=fr"`)
	mustContain(t, s.get("/fr/cases?region=Avalon").Body.String(), `href="/feeds/cases?lang=fr"`, `href="/feeds/regions/avalon?lang=fr"`)
	en := s.get("/cases?region=Avalon").Body.String()
	mustContain(t, en, `href="/feeds/cases"`, `href="/feeds/regions/avalon"`)
	mustNotContain(t, en, "lang=fr")
}
