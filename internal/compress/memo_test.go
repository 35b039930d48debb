package compress

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestMemoCompressesRepeatedBodiesOnce: the second client given the same
// body has it compressed and kept; from the third on it is not compressed
// again, and every client gets the same bytes and headers.
func TestMemoCompressesRepeatedBodiesOnce(t *testing.T) {
	c := New(Options{})
	h := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=60")
		w.Header().Set("ETag", `"v1"`)
		_, _ = w.Write([]byte(page))
	}
	var first []byte
	var firstHeader http.Header
	for i := range 5 {
		res := serve(t, c, h, http.MethodGet, "gzip")
		body := readAll(t, res)
		if got := gunzip(t, body); got != page {
			t.Fatalf("answer %d: %d bytes after gunzip, want the page", i, len(got))
		}
		if i == 0 {
			first, firstHeader = body, res.Header
			continue
		}
		if string(body) != string(first) {
			t.Errorf("answer %d differs from the first", i)
		}
		for _, k := range []string{"Content-Encoding", "Content-Length", "Etag", "Vary", "Content-Type"} {
			if res.Header.Get(k) != firstHeader.Get(k) {
				t.Errorf("answer %d: %s %q, the first had %q", i, k, res.Header.Get(k), firstHeader.Get(k))
			}
		}
	}
	if firstHeader.Get("Etag") != `W/"v1"` || firstHeader.Get("Content-Length") != fmt.Sprint(len(first)) {
		t.Errorf("headers %v", firstHeader)
	}
	if n := c.gzipped.Load(); n != 2 {
		t.Errorf("compressed %d times for five answers, want 2 (seen, then kept)", n)
	}
	// Clients without gzip still get the page as it is.
	if res := serve(t, c, h, http.MethodGet, ""); string(readAll(t, res)) != page || res.Header.Get("Content-Encoding") != "" {
		t.Error("plain client got a compressed answer")
	}
}

// TestMemoKeepsNothingOfBodiesSeenOnce: answers that differ every time
// (a nonce, a new search) are compressed every time and never kept, and
// what the memo remembers of them stays bounded.
func TestMemoKeepsNothingOfBodiesSeenOnce(t *testing.T) {
	c := New(Options{MemoBytes: 64 << 10})
	for i := range 3000 {
		body := fmt.Sprintf("%s<p>request %d</p>", page, i)
		if got := gunzip(t, readAll(t, serve(t, c, public(body), http.MethodGet, "gzip"))); got != body {
			t.Fatalf("request %d: wrong body", i)
		}
	}
	m := c.memo
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.kept) != 0 || m.bytes != 0 || len(m.seen) > m.maxSeen {
		t.Errorf("kept %d (%d bytes), seen %d (at most %d)", len(m.kept), m.bytes, len(m.seen), m.maxSeen)
	}
	if n := c.gzipped.Load(); n != 3000 {
		t.Errorf("compressed %d times, want 3000", n)
	}
}

// TestMemoBoundedAndConcurrent: many clients at once over more repeated
// bodies than the budget holds each get their own body, and the memo stays
// within its bytes.
func TestMemoBoundedAndConcurrent(t *testing.T) {
	const budget = 16 << 10
	c := New(Options{MemoBytes: budget})
	bodies := make([]string, 60)
	rnd := rand.New(rand.NewPCG(7, 8))
	for i := range bodies {
		var b strings.Builder
		for range 400 {
			b.WriteByte(byte('a' + rnd.IntN(26)))
		}
		bodies[i] = page + b.String() // a few hundred bytes gzipped: about half fit
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 1))
			for range 200 {
				i := r.IntN(len(bodies))
				res := serve(t, c, public(bodies[i]), http.MethodGet, "gzip")
				if got := gunzip(t, readAll(t, res)); got != bodies[i] {
					t.Errorf("body %d: got another", i)
					return
				}
			}
		})
	}
	wg.Wait()
	m := c.memo
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.bytes > budget || len(m.kept) != m.lru.Len() || len(m.kept) == 0 {
		t.Errorf("%d bytes kept of %d, %d entries, %d in the list", m.bytes, budget, len(m.kept), m.lru.Len())
	}
	if n := c.gzipped.Load(); n >= 1600 || n < uint64(len(bodies)) {
		t.Errorf("compressed %d times for 1,600 answers over %d bodies", n, len(bodies))
	}
}

// TestMemoOff: a negative budget keeps nothing.
func TestMemoOff(t *testing.T) {
	c := New(Options{MemoBytes: -1})
	for range 3 {
		serve(t, c, public(page), http.MethodGet, "gzip")
	}
	if c.memo != nil || c.gzipped.Load() != 3 {
		t.Errorf("memo %v, compressed %d times", c.memo, c.gzipped.Load())
	}
}

// public is html marked public, as the pages the page cache keeps are.
func public(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=60")
		html(body)(w, r)
	}
}

// TestMemoKeepsNoPrivateAnswer: an answer not marked public (a signed-in
// person's page) is compressed every time and never kept, however often
// it is given alike.
func TestMemoKeepsNoPrivateAnswer(t *testing.T) {
	c := New(Options{})
	for _, cc := range []string{"", "private, no-store", "no-cache", "max-age=60"} {
		h := func(w http.ResponseWriter, r *http.Request) {
			if cc != "" {
				w.Header().Set("Cache-Control", cc)
			}
			html(page)(w, r)
		}
		before := c.gzipped.Load()
		for range 4 {
			if got := gunzip(t, readAll(t, serve(t, c, h, http.MethodGet, "gzip"))); got != page {
				t.Fatalf("Cache-Control %q: wrong body", cc)
			}
		}
		if n := c.gzipped.Load() - before; n != 4 {
			t.Errorf("Cache-Control %q: compressed %d times for 4 answers, want 4", cc, n)
		}
	}
	c.memo.mu.Lock()
	defer c.memo.mu.Unlock()
	if len(c.memo.kept) != 0 || len(c.memo.seen) != 0 {
		t.Errorf("the memo holds %d kept and %d seen bodies of private answers", len(c.memo.kept), len(c.memo.seen))
	}
}
