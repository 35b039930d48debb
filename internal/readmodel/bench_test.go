package readmodel

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// The benchmarks build the model from generated cases in memory (the
// database load is store's BenchmarkPublicCases), so they measure the
// model alone:
//
//	go test -run '^$' -bench . -benchmem ./internal/readmodel/
//
// BenchmarkBuild reports the live heap of one snapshot (heap-MB); the text
// index there is a stub holding nothing, since the real one is measured in
// internal/search.

var syll = []string{"mar", "kel", "dun", "bri", "san", "tor", "lin", "ave", "ros", "fen", "gal", "hol", "jas", "nor", "pel", "quin", "ral", "sev", "ula", "wyn", "ode", "cai", "bre", "ty"}

func genName(r *rand.Rand, parts int) string {
	var b strings.Builder
	for i := range parts {
		s := syll[r.IntN(len(syll))]
		if i == 0 {
			s = strings.ToUpper(s[:1]) + s[1:]
		}
		b.WriteString(s)
	}
	return b.String()
}

// genSnapshot is n public cases as store.PublicCases returns them (in name
// order), with the text fields an index would read.
func genSnapshot(n int) *store.PublicSnapshot {
	r := rand.New(rand.NewPCG(1, 2))
	cs := make([]store.Case, n)
	towns := make([]string, 600)
	for i := range towns {
		towns[i] = genName(r, 2) + " Cove"
	}
	for i := range cs {
		c := &cs[i]
		c.ID = int64(i + 1)
		c.Status = store.StatusMissing
		if r.IntN(9) == 0 {
			c.Status = store.StatusLocated
			c.LocatedAt = ptr(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
		}
		c.FullName = genName(r, 2) + " " + genName(r, 3)
		if r.IntN(5) == 0 {
			c.Aliases = genName(r, 2)
		}
		if r.IntN(6) > 0 {
			c.Age = ptr(1 + r.IntN(90))
		}
		c.Sex = store.Sexes[r.IntN(2)]
		c.Region = store.Regions[r.IntN(len(store.Regions))]
		c.Community = towns[r.IntN(len(towns))]
		c.LastSeenPlace = "Water Street"
		c.LastSeenDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(9600))
		c.HairColour, c.EyeColour, c.Features, c.Clothing = "brown", "blue", "scar on the left hand", "red jacket, jeans"
		c.PoliceVerified = true
		c.UpdatedAt = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		if i%2 == 0 {
			c.PrimaryPhoto = &store.Photo{ID: int64(i), CaseID: c.ID, Key: fmt.Sprintf("k%024d", i), Primary: true, Width: 800, Height: 1000}
		}
	}
	slices.SortFunc(cs, func(a, b store.Case) int {
		return strings.Compare(strings.ToLower(a.FullName), strings.ToLower(b.FullName))
	})
	return &store.PublicSnapshot{Revision: 1, Cases: cs}
}

// fixedIndex answers every query with the same ranked ids.
type fixedIndex []int64

func (x fixedIndex) Search(string, bool) ([]int64, string) { return x, "" }

func noIndex([]store.Case) TextIndex { return fixedIndex(nil) }

func heapLive() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			ps := genSnapshot(n)
			// The snapshot's own heap: the cards keep the strings of the
			// loaded cases, so the loaded cases' descriptions and structs
			// are dropped before measuring.
			before := heapLive()
			s := newSnapshot(genSnapshot(n), noIndex)
			after := heapLive()
			runtime.KeepAlive(s)
			for b.Loop() {
				newSnapshot(ps, noIndex)
			}
			// After the loop: ResetTimer, which b.Loop calls, drops metrics.
			b.ReportMetric(float64(after-before)/(1<<20), "heap-MB")
		})
	}
}

// BenchmarkQuery is a listing page drawn from 1..50 each time, as a crawl
// or a visitor paging would ask.
func BenchmarkQuery(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		m := &Model{}
		m.cur.Store(newSnapshot(genSnapshot(n), noIndex))
		for _, bc := range []struct {
			name string
			q    store.CaseQuery
		}{
			{"default", store.CaseQuery{}},
			{"all-by-name", store.CaseQuery{Statuses: []store.Status{store.StatusMissing, store.StatusLocated}, Sort: store.SortName}},
			{"oldest", store.CaseQuery{Sort: store.SortOldest}},
			{"region", store.CaseQuery{Region: "Avalon"}},
			{"region-sex-age", store.CaseQuery{Region: "Avalon", Sex: "female", AgeMin: ptr(20), AgeMax: ptr(60)}},
			{"since-until", store.CaseQuery{Since: ptr(time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)), Until: ptr(time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC))}},
			{"name-region-since", store.CaseQuery{Sort: store.SortName, Region: "Western", Since: ptr(time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC))}},
		} {
			b.Run(fmt.Sprintf("%d/%s", n, bc.name), func(b *testing.B) {
				r := rand.New(rand.NewPCG(3, 4))
				b.ReportAllocs()
				for b.Loop() {
					q := bc.q
					q.Page = 1 + r.IntN(50)
					m.Query(q)
				}
			})
		}
	}
}

// BenchmarkQueryText is the model's share of a search: the index's 2,000
// ranked ids filtered, sorted when asked, and paged (the index's own cost
// is internal/search's).
func BenchmarkQueryText(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		r := rand.New(rand.NewPCG(5, 6))
		hits := make(fixedIndex, 2000)
		for i := range hits {
			hits[i] = int64(1 + r.IntN(n))
		}
		slices.Sort(hits)
		hits = slices.Compact(hits)
		m := &Model{}
		m.cur.Store(newSnapshot(genSnapshot(n), func([]store.Case) TextIndex { return hits }))
		for _, bc := range []struct {
			name string
			q    store.CaseQuery
		}{
			{"relevance", store.CaseQuery{Q: "x"}},
			{"relevance-region", store.CaseQuery{Q: "x", Region: "Avalon"}},
			{"recent", store.CaseQuery{Q: "x", Sort: store.SortRecent}},
			{"name-all", store.CaseQuery{Q: "x", Sort: store.SortName, Statuses: []store.Status{store.StatusMissing, store.StatusLocated}}},
		} {
			b.Run(fmt.Sprintf("%d/%s", n, bc.name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					m.Query(bc.q)
				}
			})
		}
	}
}

// BenchmarkQueryDuringRebuild measures listing queries while snapshots of
// the same size are rebuilt back to back on the other core, as after a
// burst of content changes: queries keep reading the previous snapshot
// and never wait for the rebuild. Reports the median and 99th percentile.
func BenchmarkQueryDuringRebuild(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			ps := genSnapshot(n)
			m := &Model{}
			m.cur.Store(newSnapshot(ps, noIndex))
			stop := make(chan struct{})
			done := make(chan int)
			go func() {
				k := 0
				for {
					select {
					case <-stop:
						done <- k
						return
					default:
					}
					m.cur.Store(newSnapshot(ps, noIndex))
					k++
				}
			}()
			r := rand.New(rand.NewPCG(7, 8))
			durs := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			for b.Loop() {
				t0 := time.Now()
				m.Query(store.CaseQuery{Page: 1 + r.IntN(50), Region: store.Regions[r.IntN(len(store.Regions))]})
				durs = append(durs, time.Since(t0))
			}
			close(stop)
			rebuilds := <-done
			slices.Sort(durs)
			b.ReportMetric(float64(durs[len(durs)/2].Nanoseconds()), "p50-ns")
			b.ReportMetric(float64(durs[len(durs)*99/100].Nanoseconds()), "p99-ns")
			b.ReportMetric(float64(rebuilds), "rebuilds")
		})
	}
}

// BenchmarkQuerySearchIndex is a search listing page with the real index:
// broad queries (every generated case has brown hair and lives in a
// "Cove") and a narrower one, through WindowIndex ("window") and through
// a full ranking filtered afterwards ("plain", as before WindowIndex).
func BenchmarkQuerySearchIndex(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		ps := genSnapshot(n)
		name := strings.Fields(ps.Cases[n/2].FullName)[1]
		for _, way := range []struct {
			name  string
			build IndexBuilder
		}{
			{"window", SearchIndex},
			{"plain", func(cs []store.Case) TextIndex { return plainIndex{SearchIndex(cs)} }},
		} {
			m := &Model{}
			m.cur.Store(newSnapshot(ps, way.build))
			for _, q := range []string{"brown", "cove", name} {
				b.Run(fmt.Sprintf("%d/%s/%s", n, way.name, q), func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						m.Query(store.CaseQuery{Q: q})
					}
				})
			}
		}
	}
}
