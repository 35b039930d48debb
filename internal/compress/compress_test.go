package compress

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// page is an HTML body big enough to be worth compressing.
var page = strings.Repeat(`<li class="card"><a href="/cases/1234">Mary-Kate O'Brien</a>, 16, last seen in St. John's</li>`+"\n", 60)

func serve(t *testing.T, c *Compressor, h http.HandlerFunc, method, acceptEncoding string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, "/x", nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	rec := httptest.NewRecorder()
	c.Handler(h).ServeHTTP(rec, req)
	return rec.Result()
}

func html(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, body)
	}
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return string(out)
}

func readAll(t *testing.T, r *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCompressesHTMLForGzipClients(t *testing.T) {
	c := New(Options{})
	resp := serve(t, c, html(page), http.MethodGet, "gzip, deflate, br")
	body := readAll(t, resp)
	if got := resp.Header.Get("Content-Encoding"); got != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", got)
	}
	if got := resp.Header.Get("Vary"); got != "Accept-Encoding" {
		t.Errorf("Vary = %q", got)
	}
	if cl := resp.Header.Get("Content-Length"); cl != strconv.Itoa(len(body)) {
		t.Errorf("Content-Length %s, body %d bytes", cl, len(body))
	}
	if len(body) >= len(page)/4 {
		t.Errorf("compressed %d bytes of %d: barely smaller", len(body), len(page))
	}
	if got := gunzip(t, body); got != page {
		t.Error("body changed by the round trip")
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestAcceptEncoding(t *testing.T) {
	for _, tc := range []struct {
		header string
		gzip   bool
	}{
		{"gzip", true},
		{"GZIP", true},
		{"x-gzip", true},
		{"br;q=1.0, gzip;q=0.8", true},
		{"*", true},
		{"identity", false},
		{"", false},
		{"gzip;q=0", false},
		{"gzip;q=0.000", false},
		{"gzip;q=0, *", false},
		{"*;q=0", false},
		{"deflate, br", false},
		{"gzip;q=banana", true}, // named without a readable weight: wanted
		{"gzipx", false},
		{strings.Repeat("x,", 5000) + "gzip", true},
		{"\x00\xff;;;,,,=q=", false},
	} {
		if got := acceptsGzip(tc.header); got != tc.gzip {
			t.Errorf("acceptsGzip(%.40q) = %v, want %v", tc.header, got, tc.gzip)
		}
	}
}

func TestPlainForClientsWithoutGzip(t *testing.T) {
	c := New(Options{})
	resp := serve(t, c, html(page), http.MethodGet, "")
	body := readAll(t, resp)
	if resp.Header.Get("Content-Encoding") != "" || string(body) != page {
		t.Fatalf("client without gzip got encoding %q", resp.Header.Get("Content-Encoding"))
	}
	// Both variants say Vary, or a shared cache could hand gzip to a
	// client that cannot read it.
	if got := resp.Header.Get("Vary"); got != "Accept-Encoding" {
		t.Errorf("Vary = %q", got)
	}
}

func TestLeavesAlone(t *testing.T) {
	c := New(Options{})
	cases := map[string]http.HandlerFunc{
		"small body": html("<p>hi</p>"),
		"image": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/jpeg")
			io.WriteString(w, page)
		},
		"already encoded": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/css")
			w.Header().Set("Content-Encoding", "gzip")
			io.WriteString(w, page)
		},
		"no-transform": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Cache-Control", "public, no-transform")
			io.WriteString(w, page)
		},
		"partial": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("Content-Range", "bytes 0-9/100")
			w.WriteHeader(http.StatusPartialContent)
			io.WriteString(w, page)
		},
		"not modified": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusNotModified)
		},
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			resp := serve(t, c, h, http.MethodGet, "gzip")
			body := readAll(t, resp)
			if enc := resp.Header.Get("Content-Encoding"); enc == "gzip" && name != "already encoded" {
				t.Fatalf("compressed: %q", enc)
			}
			if name == "already encoded" && resp.Header.Values("Content-Encoding")[0] != "gzip" {
				t.Fatal("lost the handler's own Content-Encoding")
			}
			if resp.StatusCode != http.StatusNotModified && !strings.HasPrefix(page, string(body)) && string(body) != "<p>hi</p>" {
				t.Errorf("body changed: %.60q", body)
			}
		})
	}
}

func TestHeadIsNotCompressed(t *testing.T) {
	c := New(Options{})
	h := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", strconv.Itoa(len(page)))
		w.WriteHeader(http.StatusOK)
	}
	resp := serve(t, c, h, http.MethodHead, "gzip")
	if resp.Header.Get("Content-Encoding") != "" {
		t.Fatal("HEAD announced gzip")
	}
	if resp.Header.Get("Content-Length") != strconv.Itoa(len(page)) {
		t.Errorf("Content-Length = %q", resp.Header.Get("Content-Length"))
	}
}

func TestErrorPagesAndSniffedTypes(t *testing.T) {
	c := New(Options{})
	// A 404 page is HTML too; and a handler that leaves the type to be
	// sniffed still gets it (as net/http would have set it).
	h := func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "<!doctype html><html><body>"+page)
	}
	resp := serve(t, c, h, http.MethodGet, "gzip")
	body := readAll(t, resp)
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if resp.Header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("encoding %q type %q", resp.Header.Get("Content-Encoding"), resp.Header.Get("Content-Type"))
	}
	if !strings.HasSuffix(gunzip(t, body), page) {
		t.Error("body changed")
	}
}

func TestStrongETagBecomesWeak(t *testing.T) {
	c := New(Options{})
	h := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		html(page)(w, r)
	}
	resp := serve(t, c, h, http.MethodGet, "gzip")
	if got := resp.Header.Get("ETag"); got != `W/"v1"` {
		t.Errorf("ETag = %q", got)
	}
	resp = serve(t, c, h, http.MethodGet, "")
	if got := resp.Header.Get("ETag"); got != `"v1"` {
		t.Errorf("uncompressed ETag = %q", got)
	}
}

func TestFlushSendsWhatIsBuffered(t *testing.T) {
	c := New(Options{})
	h := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, page)
		w.(http.Flusher).Flush()
		io.WriteString(w, "tail")
	}
	resp := serve(t, c, h, http.MethodGet, "gzip")
	body := readAll(t, resp)
	if resp.Header.Get("Content-Encoding") != "" || string(body) != page+"tail" {
		t.Fatalf("flushed answer: encoding %q, %d bytes", resp.Header.Get("Content-Encoding"), len(body))
	}
}

func TestHugeBodyStreamsUncompressed(t *testing.T) {
	c := New(Options{MaxBuffered: 4096})
	big := strings.Repeat(page, 10)
	h := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		for i := 0; i < len(big); i += 1000 {
			io.WriteString(w, big[i:min(i+1000, len(big))])
		}
	}
	resp := serve(t, c, h, http.MethodGet, "gzip")
	if body := readAll(t, resp); string(body) != big || resp.Header.Get("Content-Encoding") != "" {
		t.Fatalf("huge body: encoding %q, %d of %d bytes", resp.Header.Get("Content-Encoding"), len(body), len(big))
	}
}

// TestConcurrentClientsShareFewCompressors: 64 clients at once through a
// real server and Go's client (which asks for gzip and inflates it); every
// body arrives whole and no more compressors exist than were allowed.
func TestConcurrentClientsShareFewCompressors(t *testing.T) {
	c := New(Options{Compressors: 2})
	srv := httptest.NewServer(c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		html(page+r.URL.Query().Get("n"))(w, r)
	})))
	defer srv.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 64 {
		wg.Go(func() {
			resp, err := srv.Client().Get(fmt.Sprintf("%s/?n=%d", srv.URL, i))
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			if err != nil || !resp.Uncompressed || string(b) != page+strconv.Itoa(i) {
				errs <- fmt.Errorf("client %d: err %v, gzip %v, %d bytes", i, err, resp.Uncompressed, len(b))
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	made := 0
	for range cap(c.slots) {
		if zw := <-c.slots; zw != nil {
			made++
		}
	}
	if made == 0 || made > 2 {
		t.Errorf("%d compressors made, want 1..2", made)
	}
}

func BenchmarkCompressPage(b *testing.B) {
	c := New(Options{})
	h := c.Handler(html(page))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	b.ReportAllocs()
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
	}
}
