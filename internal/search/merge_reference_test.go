package search

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// referenceScores is the search's meaning computed the plain way, one doc
// at a time: a doc matches when every required word has a candidate in
// one of its fields; its score is the sum over the words of the best
// candidate score. The real search merges postings word by word, the first
// into the totals, the later ones only for docs still in the set; this is
// what it must agree with.
func referenceScores(ix *Index, ws []qword, opt Options) (map[int64]float64, []bool) {
	best := make([]map[uint32]float32, len(ws)) // word → doc → best score
	matched := make([]bool, len(ws))
	for k, w := range ws {
		best[k] = map[uint32]float32{}
		for _, c := range ix.candidates(w, opt, nil) {
			for _, p := range ix.postings(c.term) {
				f := uint8(p) & c.mask
				if f == 0 {
					continue
				}
				d := p >> fieldBits
				s := float32(bestField[f] * c.w)
				if s > best[k][d] {
					best[k][d] = s
				}
			}
		}
		matched[k] = len(best[k]) > 0
	}
	out := map[int64]float64{}
	for d := range ix.docs {
		total, all := 0.0, true
		for k, w := range ws {
			s, ok := best[k][uint32(d)]
			if !ok && !w.optional {
				all = false
				break
			}
			total += float64(s)
		}
		if all {
			out[ix.docs[d].id] = total
		}
	}
	return out, matched
}

func TestSearchMatchesReference(t *testing.T) {
	docs := benchDocs(3000)
	ix := Build(docs)
	r := rand.New(rand.NewPCG(3, 4))
	words := func(d Doc) []string {
		var ws []string
		for _, s := range append([]string{d.Name, d.Community, d.Region, d.Place}, d.Descriptive...) {
			ws = append(ws, strings.Fields(s)...)
		}
		return ws
	}
	queries := []string{"brown", "black jacket", "scar on the arm", "red hair", "Avalon blue eyes",
		"William S", "a grey parka near the cove", "the", "Bill Cove", "Xqzvy", "Mary Xqzvy"}
	for range 300 {
		// Words of two docs, so some queries match many, some few and
		// some nothing; sometimes a typo.
		a, b := words(docs[r.IntN(len(docs))]), words(docs[r.IntN(len(docs))])
		var q []string
		for range 1 + r.IntN(4) {
			src := a
			if r.IntN(3) == 0 {
				src = b
			}
			w := src[r.IntN(len(src))]
			if r.IntN(5) == 0 && len(w) > 4 {
				w = w[:2] + "x" + w[3:]
			}
			q = append(q, w)
		}
		queries = append(queries, strings.Join(q, " "))
	}
	for _, q := range queries {
		for _, opt := range []Options{{}, {Prefix: true}} {
			ws := parse(q, opt)
			want, wantMatched := referenceScores(ix, ws, opt)
			res, matched, found := ix.search(ws, opt)
			if res.Total != len(want) || len(res.Hits) != len(want) || found != (len(want) > 0) {
				t.Fatalf("%q (prefix %v): total %d, %d hits, found %v; the reference has %d docs",
					q, opt.Prefix, res.Total, len(res.Hits), found, len(want))
			}
			for i, h := range res.Hits {
				s, ok := want[h.ID]
				if !ok || math.Abs(s-h.Score) > 1e-3*s {
					t.Fatalf("%q: doc %d scored %v, the reference %v (in it: %v)", q, h.ID, h.Score, s, ok)
				}
				if i > 0 && h.Score > res.Hits[i-1].Score {
					t.Fatalf("%q: hit %d scores above the one before it", q, i)
				}
			}
			for k, w := range ws {
				if !w.optional && matched[k] != wantMatched[k] {
					t.Errorf("%q: word %q matched alone %v, the reference says %v", q, w.term, matched[k], wantMatched[k])
				}
			}
		}
	}
}

// TestGallop: the doc-by-doc search of a long posting list finds exactly
// the docs a read through it finds, with their scores, whatever the gaps
// (docs before the first posting, after the last, on every posting).
func TestGallop(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var by [1 << fieldBits]float32
	for f := 1; f < len(by); f++ {
		by[f] = float32(f)
	}
	by[2] = 0 // a field the candidate does not count
	for range 2000 {
		n := 1 + r.IntN(3000)
		var post []uint32
		for d := range uint32(n) {
			if r.IntN(1+r.IntN(50)) == 0 {
				post = append(post, d<<fieldBits|uint32(r.IntN(1<<fieldBits-1)+1))
			}
		}
		if len(post) == 0 {
			continue
		}
		var set []uint32
		for d := range uint32(n + 10) {
			if r.IntN(1+r.IntN(200)) == 0 {
				set = append(set, d)
			}
		}
		got, want := make([]float32, n+10), make([]float32, n+10)
		gotOut := gallop(post, set, &by, got, nil)
		var wantOut []uint32
		in := map[uint32]bool{}
		for _, d := range set {
			in[d] = true
		}
		for _, p := range post {
			if d := p >> fieldBits; in[d] && by[p&(1<<fieldBits-1)] != 0 {
				want[d] = by[p&(1<<fieldBits-1)]
				wantOut = append(wantOut, d)
			}
		}
		if !slices.Equal(gotOut, wantOut) || !slices.Equal(got, want) {
			t.Fatalf("%d postings, set %v: found %v, a read through finds %v", len(post), set, gotOut, wantOut)
		}
	}
}
