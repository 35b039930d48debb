package web

import (
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"testing"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// TestEveryPublicRouteInFrench walks the route table (issue 18: "every
// route answers in French under /fr"), so a page added later is checked
// without anyone listing it. Each public page answers under /fr with the
// status it has in English and a French document; each public form posted
// under /fr answers as in English and, when it redirects, to a French
// address; files, data and the admin area have no /fr address (404), and
// those that take a lang parameter answer lang=fr as they answer English.
func TestEveryPublicRouteInFrench(t *testing.T) {
	s := newSite(t, withMedia(t))
	open := s.addCase(store.StatusMissing, nil)
	s.addPhoto(open, 640, 480)
	fill := strings.NewReplacer(
		"{$}", "", "{id}", strconv.FormatInt(open, 10), "{n}", "1", "{token}", "not-a-real-token",
		"{name...}", "app.css", "{name}", "missing.jpg", "{file}", "1.xml", "{region}", "Avalon",
	)
	pages, forms, others := 0, 0, 0
	for _, rt := range s.web.routes() {
		if rt.Access != kit.Public {
			continue
		}
		method, pattern, _ := strings.Cut(rt.Pattern, " ")
		p := fill.Replace(pattern)
		if p == "" {
			p = "/"
		}
		// Classified by what the English address answers, not by the
		// code under test: HTML at an address without a file extension,
		// outside the admin area, is a page (the admin area follows the
		// staff member's language instead).
		admin := strings.HasPrefix(p, "/admin")
		isPage := false
		if method == http.MethodGet && !admin && !strings.Contains(path.Base(p), ".") {
			isPage = strings.HasPrefix(s.get(p).Header().Get("Content-Type"), "text/html")
		}
		switch {
		case admin || (method == http.MethodGet && !isPage):
			others++
			if method != http.MethodGet {
				continue
			}
			if rec := s.get("/fr" + p); rec.Code != http.StatusNotFound {
				t.Errorf("/fr%s (%s): status %d, want 404: it has no French address", p, rt.Pattern, rec.Code)
			}
			if rt.LangQuery {
				en, fr := s.get(p), s.get(withLang(p))
				if en.Code != fr.Code {
					t.Errorf("%s: status %d in English, %d with lang=fr", p, en.Code, fr.Code)
				}
			}
		case method == http.MethodGet:
			pages++
			if !frenchPage(p) {
				t.Errorf("%s (%s) is a page but has no French address", p, rt.Pattern)
			}
			en, fr := s.get(p), s.get("/fr"+p)
			if en.Code != fr.Code {
				t.Errorf("%s: status %d in English, %d under /fr", p, en.Code, fr.Code)
			}
			if strings.HasPrefix(fr.Header().Get("Content-Type"), "text/html") {
				if !strings.Contains(fr.Body.String(), `<html lang="fr-CA"`) {
					t.Errorf("/fr%s (%s): not a French document:\n%.300s", p, rt.Pattern, fr.Body.String())
				}
			} else if fr.Code < 300 {
				t.Errorf("/fr%s: %s, want a French HTML page", p, fr.Header().Get("Content-Type"))
			}
		case method == http.MethodPost:
			forms++
			en, fr := s.post(p, url.Values{}), s.post("/fr"+p, url.Values{})
			if en.Code != fr.Code {
				t.Errorf("POST %s: status %d in English, %d under /fr", p, en.Code, fr.Code)
			}
			if loc := fr.Header().Get("Location"); loc != "" && !strings.HasPrefix(loc, "/fr/") {
				t.Errorf("POST /fr%s: redirects to %q, which is not French", p, loc)
			}
			if strings.HasPrefix(fr.Header().Get("Content-Type"), "text/html") && !strings.Contains(fr.Body.String(), `<html lang="fr-CA"`) {
				t.Errorf("POST /fr%s: status %d answer is not in French:\n%.300s", p, fr.Code, fr.Body.String())
			}
		}
	}
	// The table walked is the real one: it has the site's pages and forms.
	if pages < 15 || forms < 8 || others < 10 {
		t.Fatalf("walked %d pages, %d forms, %d other routes: has the route table moved?", pages, forms, others)
	}
}

func withLang(p string) string {
	if strings.Contains(p, "?") {
		return p + "&lang=fr"
	}
	return p + "?lang=fr"
}

// TestFrenchPhotoLimit: the forms quote the photo size limit in the
// page's language.
func TestFrenchPhotoLimit(t *testing.T) {
	s := newSite(t)
	for p, want := range map[string]string{"/submit": "10 MB", "/fr/submit": "10\u00a0Mo"} {
		body := s.get(p).Body.String()
		if !strings.Contains(body, want) && !strings.Contains(body, strings.ReplaceAll(want, "\u00a0", " ")) {
			t.Errorf("%s does not quote the limit as %q", p, want)
		}
	}
	if body := s.get("/fr/submit").Body.String(); strings.Contains(body, "MB") {
		t.Error("/fr/submit says MB")
	}
}
