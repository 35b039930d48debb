package web

import (
	"net/http"
	"testing"
	"time"

	"lostinnl/internal/feed"
	"lostinnl/internal/pfif"
	"lostinnl/internal/sitemap"
)

// BenchmarkFeeds: the documents that carry every public case (demo data
// plus 2,000 cases), built on each request (page cache off) and replayed
// (BenchmarkFeedsCached).
func BenchmarkFeeds(b *testing.B)       { benchFeeds(b, benchSite(b, 0)) }
func BenchmarkFeedsCached(b *testing.B) { benchFeeds(b, benchSite(b, 3*time.Second)) }

func benchFeeds(b *testing.B, h http.Handler) {
	for name, path := range map[string]string{
		"all": feed.AllPath, "region": "/feeds/regions/avalon", "sitemap": sitemap.Path, "pfif": pfif.PersonsPath,
	} {
		b.Run(name, func(b *testing.B) { benchGet(b, h, func(int) string { return path }) })
	}
}
