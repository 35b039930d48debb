package pagecache

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestServeKeepsOnlyPublicOK: through its exported API the cache keeps a
// 200 marked public and answers it again byte for byte without building
// it; a private answer, an error status or a build error is never kept.
func TestServeKeepsOnlyPublicOK(t *testing.T) {
	c := New(Options{Now: func() time.Time { return testNow }})
	rt := c.NewRoute()
	builds := map[string]int{}
	errBuild := errors.New("build failed")
	next := func(w http.ResponseWriter, r *http.Request) error {
		builds[r.URL.Path]++
		switch r.URL.Path {
		case "/private":
			w.Header().Set("Cache-Control", "private, no-store")
		case "/missing":
			w.Header().Set("Cache-Control", "public, max-age=60")
			w.WriteHeader(http.StatusNotFound)
		case "/error":
			return errBuild
		default:
			w.Header().Set("Cache-Control", "public, max-age=60")
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		}
		_, _ = w.Write([]byte("page " + r.URL.Path))
		return nil
	}
	serve := func(path string) (*httptest.ResponseRecorder, error) {
		rec := httptest.NewRecorder()
		err := rt.Serve(rec, httptest.NewRequest(http.MethodGet, path, nil), path, next)
		return rec, err
	}
	for range 3 {
		for _, p := range []string{"/public", "/private", "/missing"} {
			rec, err := serve(p)
			if err != nil || rec.Body.String() != "page "+p {
				t.Fatalf("%s: %v %q", p, err, rec.Body.String())
			}
			if p == "/public" && (rec.Code != 200 || rec.Header().Get("Content-Type") != "text/plain; charset=utf-8" || rec.Header().Get("Content-Length") != "12") {
				t.Errorf("%s: %d %v", p, rec.Code, rec.Header())
			}
		}
		if _, err := serve("/error"); err != errBuild {
			t.Fatalf("/error: %v, want the build's error", err)
		}
	}
	want := map[string]int{"/public": 1, "/private": 3, "/missing": 3, "/error": 3}
	for p, n := range want {
		if builds[p] != n {
			t.Errorf("%s built %d times, want %d", p, builds[p], n)
		}
	}
	if st := c.Stats(); st.Pages != 1 || st.Hits != 2 || st.Misses != 10 {
		t.Errorf("stats %+v, want 1 page, 2 hits, 10 misses", st)
	}
	c.Purge()
	if _, err := serve("/public"); err != nil || builds["/public"] != 2 {
		t.Errorf("after Purge /public built %d times in all (err %v), want 2", builds["/public"], err)
	}
}
