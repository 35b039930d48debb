package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

var assetRe = regexp.MustCompile(`(?:src|href)="(/static/[^"]+)"`)

// assetURLs lists the same-origin static assets a page references.
func assetURLs(page string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range assetRe.FindAllStringSubmatch(page, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	return out
}

func TestStaticAssetsHashedAndImmutable(t *testing.T) {
	s := newSite(t)
	page := s.get("/").Body.String()
	urls := assetURLs(page)
	hashed := regexp.MustCompile(`^/static/[a-z]+\.[0-9a-f]{12}\.(css|js|svg)$`)
	kinds := map[string]bool{}
	for _, u := range urls {
		if !hashed.MatchString(u) {
			t.Errorf("asset URL %q has no content hash", u)
			continue
		}
		kinds[u[strings.LastIndexByte(u, '.')+1:]] = true
		rec := s.get(u)
		wantStatus(t, rec, http.StatusOK)
		if cc := rec.Header().Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", u, cc)
		}
		etag := rec.Header().Get("ETag")
		if etag == "" {
			t.Errorf("%s: no ETag", u)
		}
		req := httptest.NewRequest("GET", u, nil)
		req.Header.Set("If-None-Match", etag)
		if rec := s.do(req); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
			t.Errorf("%s: conditional GET %d", u, rec.Code)
		}
		req = httptest.NewRequest("GET", u, nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate, br")
		rec = s.do(req)
		if rec.Header().Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			plain, err := io.ReadAll(zr)
			if err != nil || !bytes.Equal(plain, s.get(u).Body.Bytes()) {
				t.Errorf("%s: gzip body differs", u)
			}
		}
	}
	for _, k := range []string{"css", "js", "svg"} {
		if !kinds[k] {
			t.Errorf("home page references no %s asset", k)
		}
	}
	if ct := s.get(assetURLs(page)[0]).Header().Get("Content-Type"); ct == "" {
		t.Error("no content type")
	}
	// Unhashed or made-up names are not served (they could be cached forever).
	for _, u := range []string{"/static/styles.css", "/static/styles.000000000000.css", "/static/../web.go", "/static/"} {
		if rec := s.get(u); rec.Code == http.StatusOK {
			t.Errorf("%s served", u)
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	for h, want := range map[string]bool{"gzip": true, "br, gzip;q=0.5": true, "gzip;q=0": false, "gzip; q=0.0": false, "identity": false, "": false, "GZIP": true} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Encoding", h)
		if got := kit.AcceptsGzip(r); got != want {
			t.Errorf("%q: %v", h, got)
		}
	}
}

// TestPageWeight sums the bytes of a first view (HTML and every same-origin
// asset it references, photos excluded, uncompressed) and keeps it under
// 100 KB, for people on weak rural connections.
func TestPageWeight(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, func(c *store.Case) {
		c.Circumstances = strings.Repeat("A realistic paragraph about the circumstances. ", 20)
	})
	for i := 0; i < 5; i++ {
		if _, err := s.st.AddUpdate(context.Background(), id, strings.Repeat("An update of typical length. ", 8), nil); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 8; i++ {
		s.addCase(store.StatusMissing, func(c *store.Case) { c.PoliceFileNumber = fmt.Sprint("W", i) })
	}
	const budget = 100 * 1024
	for _, p := range []string{"/", fmt.Sprintf("/cases/%d", id), "/cases"} {
		html := s.get(p).Body.Bytes()
		total := len(html)
		gz := gzipLen(html)
		for _, u := range assetURLs(string(html)) {
			body := s.get(u).Body.Bytes()
			total += len(body)
			gz += gzipLen(body)
		}
		t.Logf("first view of %s: %d bytes uncompressed (HTML %d), ~%d bytes gzipped", p, total, len(html), gz)
		if total > budget {
			t.Errorf("%s weighs %d bytes, over the %d budget", p, total, budget)
		}
	}
}

func gzipLen(b []byte) int {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Len()
}

func TestRendererRejectsBrokenTemplates(t *testing.T) {
	good := fstest.MapFS{
		"templates/_layout.html": {Data: []byte(`{{define "layout"}}<main>{{template "content" .}}</main>{{end}}`)},
		"templates/ok.html":      {Data: []byte(`{{define "content"}}hi{{end}}`)},
	}
	if _, err := kit.NewRenderer(good, nil); err != nil {
		t.Fatalf("good templates: %v", err)
	}
	broken := fstest.MapFS{
		"templates/_layout.html": good["templates/_layout.html"],
		"templates/bad.html":     {Data: []byte(`{{define "content"}}{{if}}{{end}}`)},
	}
	if _, err := kit.NewRenderer(broken, nil); err == nil {
		t.Fatal("syntax error accepted")
	}
	noContent := fstest.MapFS{
		"templates/_layout.html": good["templates/_layout.html"],
		"templates/empty.html":   {Data: []byte(`nothing`)},
	}
	if _, err := kit.NewRenderer(noContent, nil); err == nil {
		t.Fatal("page without content accepted")
	}
	// A subdirectory (the admin area) inherits the shared files and may
	// override the layout.
	admin := fstest.MapFS{
		"templates/_layout.html":       good["templates/_layout.html"],
		"templates/ok.html":            good["templates/ok.html"],
		"templates/admin/_layout.html": {Data: []byte(`{{define "layout"}}<div class="admin">{{template "content" .}}</div>{{end}}`)},
		"templates/admin/users.html":   {Data: []byte(`{{define "content"}}users{{end}}`)},
	}
	r, err := kit.NewRenderer(admin, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"ok.html": "<main>hi</main>", "admin/users.html": `<div class="admin">users</div>`} {
		rec := httptest.NewRecorder()
		if err := r.Page(rec, 200, name, &kit.Page{}); err != nil {
			t.Fatal(err)
		}
		if rec.Body.String() != want {
			t.Errorf("%s rendered %q", name, rec.Body.String())
		}
	}
	// Rendering a missing template is an error before anything is written.
	rec := httptest.NewRecorder()
	if err := r.Page(rec, 200, "nope.html", &kit.Page{}); err == nil || rec.Body.Len() != 0 || rec.Code != 200 || len(rec.Header()) != 0 {
		t.Fatalf("missing template: err %v, wrote %d bytes", err, rec.Body.Len())
	}
}
