package pagecache

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
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

// TestDictionaryCoversEveryKind: when the first page a route keeps is a
// short notice unlike its other pages (a located case before full appeals),
// the full pages must still keep small; with the notice alone as the
// dictionary each kept four times the bytes, and the budget held a fifth
// of the case pages.
func TestDictionaryCoversEveryKind(t *testing.T) {
	c := New(Options{Now: func() time.Time { return testNow }})
	rt := c.NewRoute()
	layout := func(main string) string {
		return "<!doctype html><html lang=en><head><title>Missing Persons NL</title></head><body><header><nav>Home Cases Alerts About</nav></header><main>" +
			main + "</main><footer>In an emergency call 911. About Privacy Contact</footer></body></html>"
	}
	// What full pages share (the tip form, the safety text): varied enough
	// that it does not compress well on its own, only with another full
	// page as the dictionary.
	var full strings.Builder
	rnd := rand.New(rand.NewPCG(3, 4))
	words := strings.Fields("harbour wharf cove pond brook ridge trail cabin boat truck jacket boots cap scarf blue red green grey brown tall short slim seen last near road bridge school store church rink field marsh")
	for range 1200 {
		full.WriteString(words[rnd.IntN(len(words))])
		full.WriteByte(" \n"[rnd.IntN(2)])
	}
	pages := map[string]string{"/cases/1": layout("<p>Located. Thank you for sharing.</p>")}
	for i := 2; i <= 20; i++ {
		pages[fmt.Sprint("/cases/", i)] = layout(fmt.Sprintf("<h1>Person %d</h1>", i) + full.String())
	}
	next := func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Cache-Control", "public, max-age=60")
		_, _ = io.WriteString(w, pages[r.URL.Path])
		return nil
	}
	for i := 1; i <= 20; i++ { // the short notice first
		path := fmt.Sprint("/cases/", i)
		if err := rt.Serve(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil), path, next); err != nil {
			t.Fatal(err)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := 3; i <= 20; i++ { // the second full page found the first one's kind missing
		p := c.entries[fmt.Sprint("/cases/", i)].Value.(*cachedPage)
		if len(p.z)*100 > p.size*poorFit {
			t.Errorf("/cases/%d kept in %d of its %d bytes: the dictionary still lacks full pages", i, len(p.z), p.size)
		}
		if got, err := p.decode(nil); err != nil || string(got) != pages[fmt.Sprint("/cases/", i)] {
			t.Fatalf("/cases/%d does not decode to itself: %v", i, err)
		}
	}
	if p := c.entries["/cases/1"].Value.(*cachedPage); p.dict == rt.dict.Load() || !bytes.HasPrefix(rt.dict.Load().dict, p.dict.dict) {
		t.Error("the route's dictionary was not extended after the notice's")
	}
}
