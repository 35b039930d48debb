package kit

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"lostinnl/internal/sitemap"
)

//go:embed static
var staticFS embed.FS

// asset is one embedded file, served under a name that contains a hash of
// its content, so it can be cached forever and still change on upgrade.
type asset struct {
	hashedName  string
	contentType string
	etag        string
	body        []byte
	gz          []byte // gzip body when it saves space, else nil
}

type Assets struct {
	byName   map[string]*asset // "styles.css" → asset
	byHashed map[string]*asset // "styles.1a2b3c4d5e6f.css" → asset
}

func LoadAssets() (*Assets, error) {
	a := &Assets{byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		ext := path.Ext(name)
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])[:12]
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		if strings.HasPrefix(ct, "text/") && !strings.Contains(ct, "charset") {
			ct += "; charset=utf-8"
		}
		as := &asset{
			hashedName:  strings.TrimSuffix(name, ext) + "." + hash + ext,
			contentType: ct,
			etag:        `"` + hash + `"`,
			body:        body,
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // level is valid
		if _, err := zw.Write(body); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		if buf.Len() < len(body)*9/10 {
			as.gz = buf.Bytes()
		}
		a.byName[name] = as
		a.byHashed[as.hashedName] = as
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: load static assets: %w", err)
	}
	for _, must := range []string{"styles.css", "print.css", "messages.js", "scripts.js", "cover.svg", "portrait.svg", "favicon.svg"} {
		if a.byName[must] == nil {
			return nil, fmt.Errorf("web: static asset %s is missing", must)
		}
	}
	return a, nil
}

// url is the template helper behind {{asset "styles.css"}}. An unknown name
// is a programming error found at start-up, because templates are executed
// in tests; it still must not take the site down, hence the plain path.
func (a *Assets) URL(name string) string {
	if as := a.byName[name]; as != nil {
		return "/static/" + as.hashedName
	}
	return "/static/" + name
}

// StaticFile serves GET /static/{name} for hashed names only: an unhashed
// URL could be cached forever with stale content, so it is not served.
func (h *Env) StaticFile(w http.ResponseWriter, r *http.Request) error {
	as := h.Assets.byHashed[r.PathValue("name")]
	if as == nil {
		return ErrNotFound()
	}
	hd := w.Header()
	hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	hd.Set("ETag", as.etag)
	hd.Set("Vary", "Accept-Encoding")
	hd.Set("Content-Type", as.contentType)
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, as.etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	body := as.body
	if as.gz != nil && AcceptsGzip(r) {
		hd.Set("Content-Encoding", "gzip")
		body = as.gz
	}
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body) // a write error means the client left
	}
	return nil
}

func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == etag || t == "W/"+etag || t == "*" {
			return true
		}
	}
	return false
}

func AcceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			k, v, _ := strings.Cut(strings.TrimSpace(q), "=")
			if strings.TrimSpace(k) != "q" {
				return true
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return err == nil && f > 0
		}
	}
	return false
}

// Favicon answers the browsers' automatic /favicon.ico request with our
// SVG icon instead of a 404 in every log.
func (h *Env) Favicon(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "public, max-age=86400")
	http.Redirect(w, r, h.Assets.URL("favicon.svg"), http.StatusMovedPermanently)
	return nil
}

func (h *Env) Robots(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write([]byte("User-agent: *\nDisallow: /admin/\nDisallow: /api/\nDisallow: /submit\nDisallow: /contact\n" +
		sitemap.RobotsLine(h.BaseURL) + "\n"))
	return nil
}
