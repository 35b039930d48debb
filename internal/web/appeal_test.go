package web

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"image"
	_ "image/jpeg" // decode the share picture
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"lostinnl/internal/media"
	"lostinnl/internal/pagecache"
	"lostinnl/internal/store"
)

// addPhoto runs a generated JPEG through the real media pipeline into the
// site's bucket and attaches it to the case as its primary photo.
func (s *testSite) addPhoto(id int64, w, h int) string {
	s.t.Helper()
	ctx := context.Background()
	p, err := s.web.Pipeline.Process(ctx, strings.NewReader(string(testJPEG(s.t, w, h))))
	if err != nil {
		s.t.Fatal(err)
	}
	var key string
	err = s.web.Bucket.PutAndCommit(ctx, []*media.Processed{p}, func(keys []string) error {
		key = keys[0]
		return s.st.AddPhotos(ctx, id, []store.Photo{{Key: key, Primary: true, Width: w, Height: h}}, nil)
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return key
}

var metaTag = regexp.MustCompile(`<meta (?:property|name)="([^"]+)" content="([^"]*)">`)

// headMeta reads the meta tags of a page's head, name → contents.
func headMeta(t *testing.T, body string) map[string][]string {
	t.Helper()
	head, _, ok := strings.Cut(body, "</head>")
	if !ok {
		t.Fatal("page has no </head>")
	}
	out := map[string][]string{}
	for _, m := range metaTag.FindAllStringSubmatch(head, -1) {
		out[m[1]] = append(out[m[1]], html.UnescapeString(m[2]))
	}
	return out
}

// TestCaseHeadImagesAreServed: every image the case page's head names for
// link previews answers 200 with a 1200×630 JPEG, as its tags say.
func TestCaseHeadImagesAreServed(t *testing.T) {
	s := newSite(t, withMedia(t))
	for _, withPhoto := range []bool{true, false} {
		id := s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Olive O'Sharetest" })
		if withPhoto {
			s.addPhoto(id, 900, 1200)
		}
		page := fmt.Sprintf("https://missing.example.ca/cases/%d", id)
		meta := headMeta(t, s.get(fmt.Sprintf("/cases/%d", id)).Body.String())
		for name, want := range map[string]string{
			"og:title": "Missing: Olive O'Sharetest, St. John's", "og:url": page,
			"og:image:width": "1200", "og:image:height": "630", "twitter:card": "summary_large_image",
			"og:image:alt": "Missing: Olive O'Sharetest, last seen November 20, 2026 in St. John's",
		} {
			if got := meta[name]; len(got) != 1 || got[0] != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
		if d := meta["og:description"]; len(d) != 1 || !strings.Contains(d[0], "Olive O'Sharetest was last seen") {
			t.Errorf("og:description = %q", d)
		}
		var images []string
		for name, vs := range meta {
			if name == "og:image" || name == "twitter:image" || name == "og:image:url" || name == "og:image:secure_url" {
				images = append(images, vs...)
			}
		}
		if len(images) != 1 || images[0] != page+"/share.jpg" {
			t.Fatalf("head names images %q, want the share picture", images)
		}
		for _, u := range images {
			rec := s.get(strings.TrimPrefix(u, "https://missing.example.ca"))
			wantStatus(t, rec, http.StatusOK)
			if ct := rec.Header().Get("Content-Type"); ct != "image/jpeg" {
				t.Errorf("%s: Content-Type %q", u, ct)
			}
			cfg, format, err := image.DecodeConfig(rec.Body)
			if err != nil || format != "jpeg" || cfg.Width != 1200 || cfg.Height != 630 {
				t.Errorf("%s: %s %dx%d %v, want a 1200x630 jpeg", u, format, cfg.Width, cfg.Height, err)
			}
		}
	}
	// A located case names no picture at all.
	loc := s.addCase(store.StatusLocated, nil)
	s.addPhoto(loc, 300, 400)
	body := s.get(fmt.Sprintf("/cases/%d", loc)).Body.String()
	meta := headMeta(t, body)
	if len(meta["og:image"]) != 0 || meta["twitter:card"][0] != "summary" {
		t.Errorf("located case: og:image %q, twitter:card %q", meta["og:image"], meta["twitter:card"])
	}
	mustNotContain(t, body, "poster.pdf", "share.jpg", "web-share")
}

// tool runs a poppler utility on a PDF and returns its output.
func tool(t *testing.T, name string, pdf []byte, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is needed for this test (Debian poppler-utils): %v", name, err)
	}
	f := filepath.Join(t.TempDir(), "poster.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	args = append(args, f)
	if name == "pdftotext" {
		args = append(args, "-") // to stdout
	}
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
	return string(out)
}

func TestCasePoster(t *testing.T) {
	s := newSite(t, withMedia(t))
	id := s.addCase(store.StatusMissing, func(c *store.Case) {
		c.FullName = "Petra Postertest"
		c.PolicePhone = "709-555-0199"
		c.PoliceFileNumber = "TEST-2026-77"
	})
	s.addPhoto(id, 1200, 1600)
	path := fmt.Sprintf("/cases/%d/poster.pdf", id)
	pages := map[string]string{"": "612 x 792", "?size=letter": "612 x 792", "?size=a4": "595.28 x 841.89", "?size=A4": "595.28 x 841.89"}
	etags := map[string]string{}
	for q, pageSize := range pages {
		rec := s.get(path + q)
		wantStatus(t, rec, http.StatusOK)
		hd := rec.Header()
		size := "letter"
		if pageSize != "612 x 792" {
			size = "a4"
		}
		for name, want := range map[string]string{
			"Content-Type":        "application/pdf",
			"Content-Disposition": fmt.Sprintf(`inline; filename="missing-%d-%s.pdf"`, id, size),
			"Cache-Control":       "public, max-age=300",
		} {
			if got := hd.Get(name); got != want {
				t.Errorf("%s%s: %s = %q, want %q", path, q, name, got, want)
			}
		}
		etag := hd.Get("ETag")
		if !strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, "W/") {
			t.Errorf("ETag %q is not a strong validator", etag)
		}
		if prev, ok := etags[size]; ok && prev != etag {
			t.Errorf("%s: two ETags for the same poster", size)
		}
		etags[size] = etag
		pdf := rec.Body.Bytes()
		info := tool(t, "pdfinfo", pdf)
		if !regexp.MustCompile(`(?m)^Pages:\s+1$`).MatchString(info) || !strings.Contains(info, "Page size:       "+pageSize) {
			t.Errorf("%s%s: pdfinfo:\n%s", path, q, info)
		}
		text := tool(t, "pdftotext", pdf)
		mustContain(t, text, "Petra Postertest", "709-555-0199", "TEST-2026-77", fmt.Sprintf("missing.example.ca/cases/%d", id), "MISSING")
		if !strings.Contains(tool(t, "pdfimages", pdf, "-list"), "jpeg") {
			t.Errorf("%s%s: the photo is not in the poster", path, q)
		}
	}
	if etags["letter"] == etags["a4"] {
		t.Error("letter and A4 share an ETag")
	}
	// A revalidation with the ETag costs no body.
	req, _ := http.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("If-None-Match", etags["letter"])
	if rec := s.do(req); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("If-None-Match: status %d, %d bytes", rec.Code, rec.Body.Len())
	}
	// A new revision of the case is a new ETag.
	c, err := s.st.GetCase(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	c.Clothing = "Green parka"
	if err := s.st.UpdateCase(context.Background(), c, nil); err != nil {
		t.Fatal(err)
	}
	if rec := s.get(path); rec.Header().Get("ETag") == etags["letter"] {
		t.Error("the ETag did not change with the case")
	}
}

// TestAppealsOnlyForOpenCases: posters and share pictures of closed
// cases are gone (410, a short page saying so); of cases never public, or
// never there, not found; hostile input never a 500.
func TestAppealsOnlyForOpenCases(t *testing.T) {
	s := newSite(t, withMedia(t))
	ctx := context.Background()
	located := s.addCase(store.StatusLocated, nil)
	archived := s.addCase(store.StatusArchived, nil)
	withdrawn := s.addCase(store.StatusLocated, nil)
	s.addPhoto(withdrawn, 300, 400)
	if _, err := s.st.WithdrawPersonal(ctx, withdrawn, nil); err != nil {
		t.Fatal(err)
	}
	pending := s.addCase(store.StatusPending, nil)
	rejected := s.addCase(store.StatusRejected, nil)
	open := s.addCase(store.StatusMissing, nil)
	for _, suffix := range []string{"/poster.pdf", "/poster.pdf?size=a4", "/share.jpg"} {
		for _, id := range []int64{located, archived, withdrawn} {
			rec := s.get(fmt.Sprintf("/cases/%d%s", id, suffix))
			wantStatus(t, rec, http.StatusGone)
			why := "no longer listed as missing"
			if id == archived {
				why = "This appeal has ended" // and names no one
			}
			mustContain(t, rec.Body.String(), "This appeal is closed", why, `<meta name="robots" content="noindex">`)
			if got := rec.Header().Get("X-Robots-Tag"); got != "noindex" {
				t.Errorf("410 X-Robots-Tag %q", got)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("410 page Content-Type %q", ct)
			}
		}
		for _, id := range []string{fmt.Sprint(pending), fmt.Sprint(rejected), "99999", "-1", "0", "abc", "01", "99999999999999999999", "1e3", "%20"} {
			wantStatus(t, s.get("/cases/"+id+strings.Replace(suffix, "?size=a4", "", 1)), http.StatusNotFound)
		}
	}
	for _, size := range []string{"../../etc", "A5", "letter%00", "%ff", "a4x&size=letter", "", "a4%20"} {
		rec := s.get(fmt.Sprintf("/cases/%d/poster.pdf?size=%s", open, size))
		want := http.StatusBadRequest
		if size == "" {
			want = http.StatusOK // an empty size is the default, Letter
		}
		wantStatus(t, rec, want)
		if want == http.StatusBadRequest {
			mustContain(t, rec.Body.String(), "The paper size must be")
		}
	}
	// A bad size on a closed or unknown case: still never a 500.
	wantStatus(t, s.get("/cases/abc/poster.pdf?size=../../etc"), http.StatusBadRequest)
}

// TestAppealsFromPageCache: posters and share pictures are kept by the
// page cache per size, replayed with their headers, answer revalidation
// with 304 from the cache too, and are dropped when the case changes.
func TestAppealsFromPageCache(t *testing.T) {
	s := newSite(t, withMedia(t), withCache(pagecache.Options{}))
	id := s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Cora Cachetest" })
	s.addPhoto(id, 600, 800)
	hits := func() uint64 { return s.web.cache.Stats().Hits }
	for _, path := range []string{fmt.Sprintf("/cases/%d/poster.pdf?size=a4", id), fmt.Sprintf("/cases/%d/share.jpg", id)} {
		first := s.get(path)
		wantStatus(t, first, http.StatusOK)
		before := hits()
		again := s.get(path + "&utm_source=x")
		if !strings.Contains(path, "?") {
			again = s.get(path + "?utm_source=x")
		}
		if hits() != before+1 || !bytes.Equal(again.Body.Bytes(), first.Body.Bytes()) {
			t.Errorf("%s: not answered from the cache", path)
		}
		for _, h := range []string{"Content-Type", "Content-Disposition", "ETag", "Cache-Control"} {
			if again.Header().Get(h) != first.Header().Get(h) || first.Header().Get(h) == "" {
				t.Errorf("%s: cached %s %q, first %q", path, h, again.Header().Get(h), first.Header().Get(h))
			}
		}
		for inm, want := range map[string]int{first.Header().Get("ETag"): 304, `"other", ` + first.Header().Get("ETag"): 304, `"other"`: 200, "*": 304} {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Header.Set("If-None-Match", inm)
			before := hits()
			rec := s.do(req)
			if rec.Code != want || hits() != before+1 || (want == 304 && rec.Body.Len() != 0) {
				t.Errorf("%s If-None-Match %s: %d with %d bytes (hit %v), want %d", path, inm, rec.Code, rec.Body.Len(), hits() == before+1, want)
			}
		}
	}
	// The size is part of the key: Letter is another document.
	letter := s.get(fmt.Sprintf("/cases/%d/poster.pdf?size=letter", id))
	if letter.Header().Get("Content-Disposition") != fmt.Sprintf(`inline; filename="missing-%d-letter.pdf"`, id) {
		t.Errorf("letter after a4: %q", letter.Header().Get("Content-Disposition"))
	}
	// Located: the cached copies go with the content revision.
	if err := s.st.TransitionCase(context.Background(), id, store.StatusLocated, "test", nil); err != nil {
		t.Fatal(err)
	}
	s.purge() // what the admin route's Purges does on this instance
	wantStatus(t, s.get(fmt.Sprintf("/cases/%d/poster.pdf?size=a4", id)), http.StatusGone)
	wantStatus(t, s.get(fmt.Sprintf("/cases/%d/share.jpg", id)), http.StatusGone)
}

// BenchmarkAppeals: a poster and a share picture of a case whose photo
// was a 12-megapixel upload, rendered by the real handler each time (no
// page cache: the cost of the first request after a change).
func BenchmarkAppeals(b *testing.B) {
	t := &testing.T{}
	s := newSite(t, withMedia(t))
	id := s.addCase(store.StatusMissing, nil)
	s.addPhoto(id, 4000, 3000)
	for name, path := range map[string]string{"poster": fmt.Sprintf("/cases/%d/poster.pdf", id), "share": fmt.Sprintf("/cases/%d/share.jpg", id)} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			size := 0
			for b.Loop() {
				rec := httptest.NewRecorder()
				s.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d", path, rec.Code)
				}
				size = rec.Body.Len()
			}
			b.ReportMetric(float64(size), "bytes/answer")
		})
	}
}

// TestAppealsGoneWhenMarkedLocated: a moderator marks the case located;
// the poster and share picture the page cache kept answer 410 at once,
// and the case page names no picture any more.
func TestAppealsGoneWhenMarkedLocated(t *testing.T) {
	s := newAdminSite(t, withCache(pagecache.Options{}))
	id := s.addCase(store.StatusMissing, nil)
	mod, _ := s.staff()
	anon := s.browser()
	paths := []string{fmt.Sprintf("/cases/%d/poster.pdf", id), fmt.Sprintf("/cases/%d/poster.pdf?size=a4", id), fmt.Sprintf("/cases/%d/share.jpg", id)}
	for _, p := range append(paths, paths...) { // the second round from the cache
		wantStatus(t, anon.get(p), http.StatusOK)
	}
	wantStatus(t, mod.post(fmt.Sprintf("/admin/cases/%d/status", id), url.Values{"to": {"located"}, "confirm": {"yes"}}), http.StatusSeeOther)
	for _, p := range paths {
		rec := anon.get(p)
		wantStatus(t, rec, http.StatusGone)
		mustContain(t, rec.Body.String(), "This appeal is closed")
	}
	mustNotContain(t, anon.get(fmt.Sprintf("/cases/%d", id)).Body.String(), "og:image", "share.jpg", "poster.pdf")
}
