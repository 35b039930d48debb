package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"lostinnl/internal/demo"
	"lostinnl/internal/store"
	"lostinnl/internal/web"
)

// BenchmarkPublicPages measures what building each public page costs in
// the server (SQLite store, real templates, page cache off), without a
// browser or a network in the way. It is the reproducible companion of the
// load test (scripts/load, docs/performance.md):
//
//	go test -run '^$' -bench PublicPages -benchmem -cpuprofile cpu.out ./internal/e2e/
//	go tool pprof -top -cum cpu.out
func BenchmarkPublicPages(b *testing.B) {
	s := newSite(b, withDeps(func(d *web.Deps) { d.PageCache = nil }))
	ctx := context.Background()
	if _, err := demo.Seed(ctx, s.st, demo.Options{Extra: 1000}); err != nil {
		b.Fatalf("seed: %v", err)
	}
	res, err := s.st.SearchCases(ctx, store.CaseQuery{Statuses: []store.Status{store.StatusMissing, store.StatusLocated}, PerPage: 100})
	if err != nil || len(res.Cases) == 0 {
		b.Fatalf("list cases: %v", err)
	}
	var ids []int64
	for _, c := range res.Cases {
		ids = append(ids, c.ID)
	}
	terms := []string{"Tuckamore", "Bakeapple", "Crowberry", "Capelin", "Ada", "Greta"}

	for _, bc := range []struct {
		name string
		path func(i int) string
	}{
		{"case", func(i int) string { return fmt.Sprintf("/cases/%d", ids[i%len(ids)]) }},
		{"listing", func(i int) string { return fmt.Sprintf("/cases?page=%d", i%10+1) }},
		{"search", func(i int) string { return "/cases?q=" + terms[i%len(terms)] }},
		{"home", func(int) string { return "/" }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				rec := httptest.NewRecorder()
				s.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, bc.path(i), nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: %d", bc.path(i), rec.Code)
				}
				i++
			}
		})
	}
}
