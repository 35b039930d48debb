package offline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"

	"lostinnl/internal/web/kit"
)

// Name is the installed app's name (issue 19); ShortName fits under an
// icon on a phone's home screen.
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

// buildManifest is the manifest's JSON, built once at start-up: the icons
// are named by their hashed asset URLs.
func buildManifest(a *kit.Assets) fixedBody {
	m := manifest{
		ID:              "/",
		Name:            Name,
		ShortName:       ShortName,
		Description:     "People missing in Newfoundland and Labrador, checked with police. Save case pages to read them where there is no signal.",
		Lang:            "en-CA",
		StartURL:        "/",
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

// serveManifest is GET /manifest.webmanifest. Its URL has no hash (the
// page links it by a fixed name), so it is cached for a day and
// revalidated by its ETag.
func (h *handler) serveManifest(w http.ResponseWriter, r *http.Request) error {
	h.manifest.serve(w, r, "application/manifest+json; charset=utf-8", "public, max-age=86400")
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
