package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"lostinnl/internal/demo"
	"lostinnl/internal/pagecache"
	"lostinnl/internal/readmodel"
)

// Benchmarks of whole requests through the real router and middleware on
// SQLite with the demo data plus 2,000 generated cases (no network: this is
// the server's own cost per request).
func benchSite(b *testing.B, cacheTTL time.Duration) http.Handler {
	b.Helper()
	t := &testing.T{}
	s := newSite(t, func(d *Deps) {
		if cacheTTL > 0 {
			d.PageCache = pagecache.New(pagecache.Options{TTL: cacheTTL})
		}
	})
	if _, err := demo.Seed(context.Background(), s.st, demo.Options{Extra: 2000}); err != nil {
		b.Fatal(err)
	}
	// As in production: the read model is loaded once and kept current by
	// a background watcher, not checked against the database per request.
	m, err := readmodel.New(context.Background(), s.st, readmodel.SearchIndex, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	s.web.Model, s.web.SyncModel = m, false
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.Watch(ctx, s.st.ContentRevision, time.Second)
	}()
	b.Cleanup(func() { cancel(); <-done })
	return s.h
}

func benchGet(b *testing.B, h http.Handler, path func(i int) string) {
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path(i), nil))
			if rec.Code != http.StatusOK {
				b.Errorf("%s: %d", path(i), rec.Code)
				return
			}
			i++
		}
	})
}

// BenchmarkPages runs with the page cache off (the database's cost);
// BenchmarkPagesCached with a 3 s page cache (a burst on few pages).
func BenchmarkPages(b *testing.B)       { benchPages(b, benchSite(b, 0)) }
func BenchmarkPagesCached(b *testing.B) { benchPages(b, benchSite(b, 3*time.Second)) }

func benchPages(b *testing.B, h http.Handler) {
	b.Run("home", func(b *testing.B) { benchGet(b, h, func(int) string { return "/" }) })
	b.Run("cases", func(b *testing.B) { benchGet(b, h, func(int) string { return "/cases" }) })
	b.Run("search", func(b *testing.B) { benchGet(b, h, func(int) string { return "/cases?q=tuckamore" }) })
	b.Run("case", func(b *testing.B) {
		benchGet(b, h, func(i int) string { return fmt.Sprintf("/cases/%d", 41+i%2000) })
	})
	b.Run("case-fr", func(b *testing.B) {
		benchGet(b, h, func(i int) string { return fmt.Sprintf("/fr/cases/%d", 41+i%2000) })
	})
	b.Run("api", func(b *testing.B) { benchGet(b, h, func(int) string { return "/api/v1/cases" }) })
}
