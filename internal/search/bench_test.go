package search

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// Syllables for fictional names and places: combined, they give thousands
// of distinct words, so the benchmark's terms, postings and typo scans look
// like a real index rather than a hundred words repeated.
var (
	onsets  = strings.Fields("b br c ch cl d dr f fl g gr h j k l m n p pr r s sh st t th tr v w")
	nuclei  = strings.Fields("a e i o u ai ea ee ie ou oa ay")
	codas   = strings.Fields("- n r l s t m ck nd rd ll ss rt ng")
	endings = strings.Fields("son ey ard ault ett ers ington ford ley more well by")
	givens  = strings.Fields("William Katherine Catherine Margaret John Mary Patrick Bridget Michael Siobhan Seamus Niamh Jacques Marie Robert Elizabeth Thomas Joseph Anne Gerard Kevin Shannon Aoife Eoin Pierre Josée")
	hairs   = strings.Fields("auburn red ginger blond brown black grey white sandy bald")
	eyes    = strings.Fields("blue green hazel brown grey")
	clothes = strings.Fields("jacket parka hoodie toque raincoat boots jeans cardigan fleece vest")
	colours = strings.Fields("red navy black yellow green purple orange white pink grey")
	marks   = strings.Fields("scar tattoo freckles glasses beard piercing birthmark mole limp")
	parts   = strings.Fields("arm wrist neck cheek chin shoulder ankle hand forearm")
	placeW  = strings.Fields("Cove Harbour Bay Arm Point Falls Brook Island Head Pond")
)

func syllableWord(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(onsets[r.IntN(len(onsets))])
		b.WriteString(nuclei[r.IntN(len(nuclei))])
		if c := codas[r.IntN(len(codas))]; c != "-" {
			b.WriteString(c)
		}
	}
	w := b.String()
	return strings.ToUpper(w[:1]) + w[1:]
}

func fakeSurname(r *rand.Rand) string {
	s := syllableWord(r, 1+r.IntN(2))
	if r.IntN(3) == 0 {
		s += endings[r.IntN(len(endings))]
	}
	switch r.IntN(12) {
	case 0:
		return "Mac" + s
	case 1:
		return "Mc" + s
	case 2:
		return "O'" + s
	case 3:
		return "Fitz" + strings.ToLower(s)
	case 4:
		return s + "-" + syllableWord(r, 2)
	}
	return s
}

func fakePlace(r *rand.Rand) string {
	p := syllableWord(r, 1+r.IntN(2)) + " " + placeW[r.IntN(len(placeW))]
	switch r.IntN(8) {
	case 0:
		return "St. " + syllableWord(r, 2) + "'s"
	case 1:
		return syllableWord(r, 2) + "'s " + placeW[r.IntN(len(placeW))]
	}
	return p
}

func pick(r *rand.Rand, s []string) string { return s[r.IntN(len(s))] }

// benchDocs builds n varied fictional docs; the same seed gives the same docs.
func benchDocs(n int) []Doc {
	r := rand.New(rand.NewPCG(15, uint64(n)))
	// A pool of places shared by many cases, as communities are.
	places := make([]string, max(n/20, 50))
	for i := range places {
		places[i] = fakePlace(r)
	}
	regions := []string{"Avalon", "Eastern", "Central", "Western", "Labrador"}
	docs := make([]Doc, n)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range docs {
		given := syllableWord(r, 2)
		if r.IntN(2) == 0 {
			given = pick(r, givens)
		}
		d := Doc{
			ID:        int64(i + 1),
			Name:      given + " " + fakeSurname(r),
			Community: pick(r, places),
			Region:    pick(r, regions),
			Place:     "near the " + strings.ToLower(pick(r, placeW)),
			Descriptive: []string{pick(r, hairs), pick(r, eyes),
				pick(r, marks) + " on " + pick(r, parts),
				pick(r, colours) + " " + pick(r, clothes)},
			Open: r.IntN(3) > 0,
			Date: base.AddDate(0, 0, -r.IntN(4000)),
			Age:  1 + r.IntN(90),
		}
		if r.IntN(4) == 0 {
			d.Aliases = []string{syllableWord(r, 1)}
		}
		docs[i] = d
	}
	return docs
}

// typical queries drawn from the docs: exact name, surname with a typo,
// nickname plus surname, a prefix as typed, a community, and a miss.
func benchQueries(docs []Doc) []struct {
	kind string
	q    string
	opt  Options
} {
	r := rand.New(rand.NewPCG(7, 7))
	type bq = struct {
		kind string
		q    string
		opt  Options
	}
	var qs []bq
	for range 50 {
		d := docs[r.IntN(len(docs))]
		sur := d.Name[strings.LastIndexByte(d.Name, ' ')+1:]
		typo := []byte(sur)
		typo[len(typo)/2] = 'x'
		qs = append(qs,
			bq{"exact", d.Name, Options{}},
			bq{"typo", string(typo), Options{}},
			bq{"nickname", "Bill " + sur, Options{}},
			bq{"prefix", sur[:min(4, len(sur))], Options{Prefix: true}},
			bq{"place", d.Community, Options{}},
			bq{"nomatch", "Xqzvy Plorktun", Options{}},
		)
	}
	return qs
}

func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		docs := benchDocs(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			ix := Build(docs)
			runtime.GC()
			runtime.ReadMemStats(&after)
			indexMB := float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
			runtime.KeepAlive(ix)
			b.ReportAllocs()
			cpu0, runs := processCPU(), 0
			for b.Loop() {
				Build(docs)
				runs++
			}
			b.ReportMetric(float64(processCPU()-cpu0)/float64(runs)/1e6, "cpu-ms/op")
			// After the loop: ResetTimer (inside Loop) drops metrics.
			b.ReportMetric(indexMB, "index-MB")
			b.ReportMetric(float64(len(ix.terms)), "terms")
		})
	}
}

func BenchmarkSearch(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		docs := benchDocs(n)
		ix := Build(docs)
		qs := benchQueries(docs)
		kinds := []string{"exact", "typo", "nickname", "prefix", "place", "nomatch"}
		for _, kind := range kinds {
			b.Run(fmt.Sprintf("%d/%s", n, kind), func(b *testing.B) {
				var sel []int
				for k, q := range qs {
					if q.kind == kind {
						sel = append(sel, k)
					}
				}
				var lat, cpu []time.Duration
				hits := 0
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					q := qs[sel[i%len(sel)]]
					i++
					start, c0 := time.Now(), threadCPU()
					res := ix.Search(q.q, q.opt)
					cpu = append(cpu, threadCPU()-c0)
					lat = append(lat, time.Since(start))
					hits += len(res.Hits)
				}
				slices.Sort(lat)
				slices.Sort(cpu)
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
				b.ReportMetric(float64(cpu[len(cpu)*50/100].Microseconds()), "cpu-p50-µs")
				b.ReportMetric(float64(cpu[len(cpu)*99/100].Microseconds()), "cpu-p99-µs")
				b.ReportMetric(float64(hits)/float64(len(lat)), "hits/op")
			})
		}
	}
}

// BenchmarkPatch is the read model's rebuild after one case changed: the
// index patched for one changed doc (a new name: new terms, so every
// lookup by term is rebuilt too), against BenchmarkBuild's whole build.
func BenchmarkPatch(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		docs := benchDocs(n)
		ix := Build(docs)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			keep := make([]int32, n)
			for i := range keep {
				keep[i] = int32(i)
			}
			mid := n / 2
			keep[mid] = -1
			d := docs[mid]
			d.Name = "Zebulon Quarrington"
			b.ReportAllocs()
			cpu0, runs := processCPU(), 0
			for b.Loop() {
				ix.Patch(n, keep, []Doc{d}, []uint32{uint32(mid)})
				runs++
			}
			b.ReportMetric(float64(processCPU()-cpu0)/float64(runs)/1e6, "cpu-ms/op")
		})
	}
}
