package offline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"

	"lostinnl/internal/i18n"
	"lostinnl/internal/web/kit"
)

// Name is the installed app's name (issue 19; its French name is in the
// catalog); ShortName fits under an icon on a phone's home screen, the
// same in both languages.
const (
	Name      = "LostInNL — Missing Persons NL"
	ShortName = "LostInNL"
)

// The manifest's colours are styles.css's: --navy for the theme (the
// header bar) and --paper for the splash screen's background.
const (
	themeColour      = "#0b3954"
	backgroundColour = "#ffffff"
)

type manifestIcon struct {
	Src     string `json:"src"`
	Sizes   string `json:"sizes"`
	Type    string `json:"type"`
	Purpose string `json:"purpose"`
}

type manifest struct {
	ID              string         `json:"id"`
	Name            string         `json:"name"`
	ShortName       string         `json:"short_name"`
	Description     string         `json:"description"`
	Lang            string         `json:"lang"`
	StartURL        string         `json:"start_url"`
	Scope           string         `json:"scope"`
	Display         string         `json:"display"`
	ThemeColour     string         `json:"theme_color"`
	BackgroundColor string         `json:"background_color"`
	Icons           []manifestIcon `json:"icons"`
}

// The manifest comes in each language (issue 18): its name and
// description are shown by the phone when the site is installed. The
// French one is /manifest.webmanifest?lang=fr, linked by the /fr pages.
// A query rather than /fr/manifest.webmanifest: the /fr prefix is only
// for pages (internal/web/lang.go answers 404 for a file under it), and
// the manifest keeps one route and one id ("/": the same app in either
// language, started at its language's home page).

// buildManifests are the manifest's JSON per language, built once at
// start-up: the icons are named by their hashed asset URLs.
func buildManifests(a *kit.Assets) map[i18n.Lang]fixedBody {
	out := map[i18n.Lang]fixedBody{}
	for _, l := range i18n.Langs {
		out[l] = buildManifest(a, l)
	}
	return out
}

func buildManifest(a *kit.Assets, l i18n.Lang) fixedBody {
	lz := i18n.For(l)
	m := manifest{
		ID:              "/",
		Name:            lz.T("LostInNL — Missing Persons NL"),
		ShortName:       ShortName,
		Description:     lz.T("People missing in Newfoundland and Labrador, checked with police. Save case pages to read them where there is no signal."),
		Lang:            string(l),
		StartURL:        i18n.Path(l, "/"),
		Scope:           "/",
		Display:         "standalone",
		ThemeColour:     themeColour,
		BackgroundColor: backgroundColour,
		Icons:           []manifestIcon{{Src: a.URL("icon.svg"), Sizes: "any", Type: "image/svg+xml", Purpose: "any"}},
	}
	for _, ic := range Icons {
		s := strconv.Itoa(ic.Size)
		m.Icons = append(m.Icons, manifestIcon{Src: a.URL(ic.Name), Sizes: s + "x" + s, Type: "image/png", Purpose: ic.Purpose})
	}
	// Strings and slices of strings only: Marshal cannot fail here.
	b, _ := json.MarshalIndent(m, "", "  ")
	return newFixedBody(append(b, '\n'))
}

// ManifestPath is the manifest's address for pages in l.
func ManifestPath(l i18n.Lang) string {
	if l == i18n.French {
		return "/manifest.webmanifest?lang=fr"
	}
	return "/manifest.webmanifest"
}

// serveManifest is GET /manifest.webmanifest, ?lang=fr for French; any
// other value of lang is the English one (as pages ignore parameters they
// do not know). Its URL has no hash (the page links it by a fixed name),
// so it is cached for a day and revalidated by its ETag.
func (h *handler) serveManifest(w http.ResponseWriter, r *http.Request) error {
	l, ok := i18n.Parse(r.URL.Query().Get("lang"))
	if !ok {
		l = i18n.English
	}
	h.manifests[l].serve(w, r, "application/manifest+json; charset=utf-8", "public, max-age=86400")
	return nil
}

// fixedBody is an answer built once at start-up, with its strong ETag.
type fixedBody struct {
	body []byte
	etag string
}

func newFixedBody(b []byte) fixedBody {
	sum := sha256.Sum256(b)
	return fixedBody{body: b, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
}

// serve writes the body, or 304 to a matching If-None-Match.
func (f fixedBody) serve(w http.ResponseWriter, r *http.Request, contentType, cache string) {
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("Cache-Control", cache)
	hd.Set("ETag", f.etag)
	if r.Header.Get("If-None-Match") == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hd.Set("Content-Length", strconv.Itoa(len(f.body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(f.body) // a write error means the client left
	}
}
