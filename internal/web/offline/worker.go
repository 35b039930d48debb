package offline

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"net/http"
	"slices"
	"strings"

	"lostinnl/internal/i18n"
	"lostinnl/internal/web/kit"
)

// workerSource is the service worker, plain JavaScript. Two placeholders
// are filled at start-up: the list of URLs to precache (hashed asset URLs
// change with every release) and the version naming its cache.
//
//go:embed sw.js
var workerSource string

const (
	precacheMark = `["__PRECACHE__"]`
	versionMark  = `__VERSION__`
	offlineMark  = `{"__OFFLINE_TEXT__": ""}`
)

// precacheAssets are the static files an offline page needs: the
// stylesheets and scripts every page loads, the icons, and the portrait
// shown on a saved case page without a photo.
var precacheAssets = []string{"styles.css", "print.css", "messages.js", "scripts.js", "offline.js", "favicon.svg", "icon.svg", "portrait.svg"}

// precachePages are the pages the worker keeps from installation on: the
// page it shows for what is not saved, the saved list itself, and the
// manifest (which the browser reads again on every page, offline too),
// each in both languages (issue 18): a French visitor without signal gets
// the French offline page (the worker picks it by the requested path).
var precachePages = []string{
	"/offline", "/fr/offline", "/saved", "/fr/saved",
	ManifestPath(i18n.English), ManifestPath(i18n.French),
}

// versionTemplates are the templates the precached pages are made of: a
// change to any of them must make a new worker, so that it fetches the
// new pages (a browser installs a new worker only when its script changes).
var versionTemplates = []string{"templates/_layout.html", "templates/_partials.html", "templates/offline.html", "templates/saved.html"}

// buildWorker fills in the worker's placeholders.
func buildWorker(a *kit.Assets) fixedBody {
	urls := make([]string, 0, len(precacheAssets)+len(precachePages))
	for _, n := range precacheAssets {
		urls = append(urls, a.URL(n))
	}
	urls = append(urls, precachePages...)
	// A list of plain strings: Marshal cannot fail.
	list, _ := json.Marshal(urls)
	// The worker's last resort when even the offline page is not cached:
	// one plain-text line per language.
	text, _ := json.Marshal(map[string]string{
		"en": i18n.For(i18n.English).T("You are offline, and this page is not saved on this device."),
		"fr": i18n.For(i18n.French).T("You are offline, and this page is not saved on this device."),
	})
	h := sha256.New()
	h.Write([]byte(workerSource))
	h.Write(list)
	// The precached pages carry the catalogs' text: a new translation is
	// a new worker, which fetches them again.
	h.Write([]byte(i18n.Digest()))
	for _, t := range versionTemplates {
		// A missing template stops start-up in the renderer already;
		// here it would only leave the version less sensitive.
		if b, err := fs.ReadFile(kit.TemplateFS, t); err == nil {
			h.Write(b)
		}
	}
	version := hex.EncodeToString(h.Sum(nil))[:12]
	src := strings.Replace(workerSource, precacheMark, string(list), 1)
	src = strings.Replace(src, versionMark, version, 1)
	src = strings.Replace(src, offlineMark, string(text), 1)
	return newFixedBody([]byte(src))
}

// serveWorker is GET /sw.js. no-cache: the browser must ask every time it
// checks for a new worker, so a release (or a fix) reaches installed
// phones at their next visit; the ETag keeps that check cheap.
func (h *handler) serveWorker(w http.ResponseWriter, r *http.Request) error {
	if csp := w.Header().Get("Content-Security-Policy"); csp != "" {
		w.Header().Set("Content-Security-Policy", workerCSP(csp))
	}
	h.worker.serve(w, r, "text/javascript; charset=utf-8", "no-cache")
	return nil
}

// workerCSP adapts the site's policy (set by the security headers
// middleware before any handler runs) to the worker. A worker is bound by
// its own script's policy, and every request it passes on or saves is a
// fetch, checked against connect-src: photos may be redirected to object
// storage (LOSTINNL_MEDIA_PRESIGN), which img-src allows for pages, so the
// worker may connect wherever pages may load images from. Nothing else
// changes.
func workerCSP(csp string) string {
	dirs := strings.Split(csp, ";")
	img := ""
	for _, d := range dirs {
		if f := strings.Fields(d); len(f) > 0 && f[0] == "img-src" {
			img = strings.Join(f[1:], " ")
		}
	}
	if img == "" {
		return csp
	}
	for i, d := range dirs {
		if f := strings.Fields(d); len(f) > 0 && f[0] == "connect-src" {
			sources := f[1:]
			for _, s := range strings.Fields(img) {
				if !slices.Contains(sources, s) {
					sources = append(sources, s)
				}
			}
			lead := d[:len(d)-len(strings.TrimLeft(d, " "))]
			dirs[i] = lead + "connect-src " + strings.Join(sources, " ")
		}
	}
	return strings.Join(dirs, ";")
}
