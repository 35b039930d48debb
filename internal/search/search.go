package search

import (
	"math"
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Options change how a query is read.
type Options struct {
	// Prefix: the last query word may be unfinished (live search as the
	// user types): it also matches every indexed word it begins.
	Prefix bool
	// Keep, when set, drops the docs it refuses from the result (a
	// listing's status, region and date filters): they are not counted in
	// Total and never ranked. Suggestions still consider every doc. It gets
	// the doc's position in the slice given to Build, so a caller can keep
	// its filter's data in that order (one memory read per match).
	Keep func(doc int) bool
	// In, when set, drops as Keep does the docs missing from any of these
	// sets (a listing's status and region, known before the search). A
	// bit test reads a few kilobytes that stay in cache where Keep's call
	// reads a record per match: at 100,000 cases, with tens of thousands
	// of matches for a broad query, Keep was a quarter of a search's CPU.
	In []Bits
	// Limit > 0 returns only the Limit best hits, in order; the others are
	// counted in Total but not sorted (a page needs its 20, not an order
	// over thousands of matches). Unordered returns every hit in no
	// particular order (for a caller that sorts by something else).
	Limit     int
	Unordered bool
}

// Bits is a set of docs by position (Options.In): bit i%64 of word i/64.
type Bits []uint64

// NewBits is an empty set for n docs.
func NewBits(n int) Bits { return make(Bits, (n+63)/64) }

// Add puts doc i in the set.
func (b Bits) Add(i int) { b[i>>6] |= 1 << (i & 63) }

// Has tells whether doc i is in the set; a doc past its end is not.
func (b Bits) Has(i int) bool {
	w := i >> 6
	return w < len(b) && b[w]&(1<<(i&63)) != 0
}

// appendDocs appends the docs of b to out in ascending order.
func (b Bits) appendDocs(out []uint32) []uint32 {
	for w, word := range b {
		for word != 0 {
			out = append(out, uint32(w<<6+bits.TrailingZeros64(word)))
			word &= word - 1
		}
	}
	return out
}

// Hit is one matching doc.
type Hit struct {
	ID    int64
	Score float64
}

// Result is every matching doc, best first, and when nothing matched a
// "Did you mean" query that does find something ("" otherwise).
type Result struct {
	Hits       []Hit
	Total      int // matching docs Keep accepted (all of them without Keep)
	Suggestion string
}

// Query limits: generous for any real query, and a hostile one (10 KB,
// thousands of words) costs no more than a long real one.
const (
	maxQueryBytes = 512
	maxQueryWords = 8
)

// Kind weights: how a query word matched an indexed word. Multiplied by
// the field weight, so any name match still beats any place match.
const (
	kindExact   = 1.0
	kindPrefix  = 0.8  // unfinished last word (Options.Prefix)
	kindNick    = 0.75 // Bill for William
	kindPhon    = 0.7  // Katherine for Catherine
	kindInitial = 0.6  // one letter: an initial of a name
	kindTypo1   = 0.55
	kindAgeNear = 0.5 // a number one year off the age
	kindTypo2   = 0.45
	// fuzzyDemoted: see candidates; 100 × 0.7 × 0.05 < 10, the weakest
	// exact match.
	fuzzyDemoted = 0.05
)

// stopWords may appear in a query without having to match ("missing in
// St. John's"): they add to the score where found but never exclude a
// case. A query made only of them treats them as ordinary words.
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "at": true, "in": true, "near": true,
	"of": true, "on": true, "or": true, "the": true, "to": true, "from": true,
	"missing": true, "person": true, "with": true, "hair": true, "eyes": true,
	"eye": true, "eyed": true, "wearing": true,
}

type qword struct {
	term, raw string
	number    bool
	optional  bool
	last      bool
}

// parse reads a query into words (see the limits above). Words are the
// same folded terms the index holds.
func parse(q string, opt Options) []qword {
	if len(q) > maxQueryBytes {
		// A rune cut in half is invalid UTF-8, which tokenize reads as a
		// separator.
		q = q[:maxQueryBytes]
	}
	ts := tokenize(q)
	if len(ts) > maxQueryWords {
		ts = ts[:maxQueryWords]
	}
	ws := make([]qword, 0, len(ts))
	allStop := true
	for _, t := range ts {
		w := qword{term: t.term, raw: t.raw, number: t.number, optional: stopWords[t.term]}
		allStop = allStop && w.optional
		ws = append(ws, w)
	}
	if len(ws) > 0 {
		ws[len(ws)-1].last = true
		// While typing, "in" may be the start of Ingrid: the unfinished
		// word is never a stop word.
		if opt.Prefix {
			ws[len(ws)-1].optional = false
		}
	}
	if allStop {
		for k := range ws {
			ws[k].optional = false
		}
	}
	return ws
}

// cand is an indexed term a query word matches, how well, and in which
// fields the match counts.
type cand struct {
	term uint32
	w    float64
	mask uint8
}

// candidates lists the terms a query word matches. Which kinds apply:
//
//   - numbers match the same number anywhere (an age, "Route 430") and an
//     age one year off; nothing fuzzy, since 21 is not 12;
//   - one letter is an initial: it matches name words it begins;
//   - two- and three-letter words match exactly, by nickname (Al, Ed) and
//     as a prefix when unfinished; from three letters also phonetically;
//   - from four letters, typos too (one edit up to 7 letters, two from 8).
//
// Every word of a query counts the same way whatever its length, so
// "Kit Gullcry 21" means Kit, Gullcry and 21 all match.
func (ix *Index) candidates(w qword, opt Options, out []cand) []cand {
	const all = fieldName | fieldPlace | fieldDesc | fieldAge
	// fuzzy scales sound and typo matches. When the word exists as typed
	// somewhere in the index, the person most likely meant that word:
	// "auburn" is a hair colour, not a misheard O'Brien, so its fuzzy
	// matches rank below every exact match, descriptions included.
	fuzzy := 1.0
	if id, ok := ix.termID[w.term]; ok {
		out = append(out, cand{id, kindExact, all})
		fuzzy = fuzzyDemoted
	}
	if opt.Prefix && w.last {
		out = ix.prefixTerms(w.term, kindPrefix, all, out)
		// canon made every MacX into McX: "Mac" typed so far means Mc too.
		if strings.HasPrefix(w.term, "mac") {
			out = ix.prefixTerms("mc"+w.term[3:], kindPrefix, all, out)
		}
	}
	if w.number {
		if n, err := strconv.Atoi(w.term); err == nil && n > 0 && n < 200 {
			for _, a := range []int{n - 1, n + 1} {
				if id, ok := ix.termID[strconv.Itoa(a)]; ok {
					out = append(out, cand{id, kindAgeNear, fieldAge})
				}
			}
		}
		return out
	}
	if len(w.term) > maxWordLen {
		return out
	}
	if utf8.RuneCountInString(w.term) == 1 && !(opt.Prefix && w.last) {
		return ix.prefixTerms(w.term, kindInitial, fieldName, out)
	}
	for _, g := range nickIndex[w.term] {
		for _, m := range nickGroups[g] {
			if id, ok := ix.termID[m]; ok && m != w.term {
				out = append(out, cand{id, kindNick, fieldName})
			}
		}
	}
	if len(w.term) >= 3 {
		if k := phoneticKey(w.term); k != "" {
			for _, id := range ix.phon[k] {
				out = append(out, cand{id, kindPhon * fuzzy, fieldName | fieldPlace})
			}
		}
	}
	ix.typoTerms(w.term, typoBudget(w.term), func(id uint32, d int) {
		k := kindTypo1
		if d == 2 {
			k = kindTypo2
		}
		out = append(out, cand{id, k * fuzzy, all})
	})
	return out
}

// prefixTerms appends every term that starts with p, p itself excepted
// (the exact match is already a better candidate).
func (ix *Index) prefixTerms(p string, w float64, mask uint8, out []cand) []cand {
	lo := sort.SearchStrings(ix.terms, p)
	for id := lo; id < len(ix.terms) && strings.HasPrefix(ix.terms[id], p); id++ {
		if ix.terms[id] != p {
			out = append(out, cand{uint32(id), w, mask})
		}
	}
	return out
}

// bestField[f] is the weight of the best field among bits f.
var bestField = func() (t [1 << fieldBits]float64) {
	for f := range t {
		for b := range fieldBits {
			if f&(1<<b) != 0 {
				t[f] = max(t[f], fieldWeight[b])
			}
		}
	}
	return t
}()

// Search finds every doc that matches all words of q (stop words aside),
// best first: by score (the sum over query words of the best match
// found for each: field weight × kind weight), then open before closed,
// then the newer last-seen date, then the lower id.
func (ix *Index) Search(q string, opt Options) Result {
	ws := parse(q, opt)
	res, matched, found := ix.search(ws, opt)
	if !found {
		res.Suggestion = ix.suggest(ws, matched)
	}
	return res
}

// scratch is per-search working memory, one slot per doc, pooled so a
// search allocates little. Every slot a search sets it resets before
// returning the scratch.
type scratch struct {
	best  []float32 // this word's best score per doc
	total []float32 // sum over the words so far
	// in holds the docs of set, a bit each: 12.5 KB at 100,000 docs, so
	// it stays in the core's first cache while a later word's postings
	// (tens of thousands for "brown" or "left") are checked against it,
	// and the score arrays are only touched for docs still in the race.
	in      Bits
	touched []uint32 // docs this word matched
	set     []uint32 // docs that matched every required word so far
	// keys are the matches' sort keys: one per match, 160 KB for a broad
	// query at 100,000 cases, and made anew they were a fifth of the
	// bytes a search page allocated.
	keys []uint64
}

func (ix *Index) getScratch() *scratch {
	if sc, ok := ix.pool.Get().(*scratch); ok {
		return sc
	}
	n := len(ix.docs)
	return &scratch{best: make([]float32, n), total: make([]float32, n), in: NewBits(n)}
}

// search runs parsed words; matched[k] tells whether word k matched any
// doc on its own, and found whether any doc matched before opt.Keep (both
// for suggestions).
func (ix *Index) search(ws []qword, opt Options) (Result, []bool, bool) {
	matched := make([]bool, len(ws))
	var res Result
	if len(ws) == 0 || len(ix.docs) == 0 {
		return res, matched, false
	}
	// Candidates of every word first: then the most selective required
	// word goes first, and the others only add to its few docs.
	type step struct {
		k    int
		cs   []cand
		size int
	}
	steps := make([]step, len(ws))
	for k, w := range ws {
		cs := ix.candidates(w, opt, nil)
		size := 0
		for _, c := range cs {
			size += len(ix.postings(c.term))
		}
		steps[k] = step{k, cs, size}
	}
	slices.SortStableFunc(steps, func(a, b step) int {
		if ws[a.k].optional != ws[b.k].optional {
			if ws[a.k].optional {
				return 1
			}
			return -1
		}
		return a.size - b.size
	})
	nreq := 0
	for _, w := range ws {
		if !w.optional {
			nreq++
		}
	}

	sc := ix.getScratch()
	defer ix.pool.Put(sc)
	set := sc.set[:0]
	for n, st := range steps {
		if n > 0 && len(set) == 0 {
			if n < nreq {
				// Nothing can match any more; still note which of the
				// other words match alone, for suggestions.
				matched[st.k] = ix.anyPosting(st.cs)
			}
			continue
		}
		if n == 0 {
			// The first word's scores go straight into the totals, and
			// the docs it reaches are the set.
			set = ix.scoreAll(st.cs, sc.total, set)
			for _, d := range set {
				sc.in.Add(int(d))
			}
			if len(st.cs) > 1 && len(set) > len(sc.in) {
				// Several candidates' postings come one list after the
				// other: the set read back from the bits is in doc order,
				// so the loops below read the score and rank arrays in
				// order rather than all over (a broad word matches tens
				// of thousands of docs, and the arrays are 400 KB each).
				set = sc.in.appendDocs(set[:0])
			}
			matched[st.k] = len(set) > 0
			continue
		}
		touched := ix.scoreIn(st.cs, sc.best, sc.in, set, sc.touched[:0])
		for _, d := range touched {
			sc.total[d] += sc.best[d]
		}
		if n < nreq {
			// A required word: the set keeps the docs it reached.
			matched[st.k] = len(touched) > 0 || ix.anyPosting(st.cs)
			kept := set[:0]
			for _, d := range set {
				if sc.best[d] != 0 {
					kept = append(kept, d)
				} else {
					sc.total[d] = 0
					sc.in[d>>6] &^= 1 << (d & 63)
				}
			}
			set = kept
		}
		for _, d := range touched {
			sc.best[d] = 0
		}
		sc.touched = touched
	}
	// Sort keys: the score's float bits (positive floats order like their
	// bits), inverted for best first, then the doc's precomputed rank
	// (open first, newer, lower id). One uint64 compare per step keeps a
	// sort of thousands of hits (a short prefix) cheap.
	keys := sc.keys[:0]
	for _, d := range set {
		in := true
		for _, b := range opt.In {
			in = in && b.Has(int(d))
		}
		if in && (opt.Keep == nil || opt.Keep(int(d))) {
			keys = append(keys, uint64(^math.Float32bits(sc.total[d]))<<32|uint64(ix.rank[d]))
		}
		sc.total[d] = 0
		sc.in[d>>6] &^= 1 << (d & 63)
	}
	found := len(set) > 0
	sc.set = set
	res.Total = len(keys)
	switch {
	case opt.Unordered:
	case opt.Limit > 0 && opt.Limit < len(keys):
		keys = smallest(keys, opt.Limit)
	default:
		slices.Sort(keys)
	}
	hits := make([]Hit, len(keys))
	for k, key := range keys {
		d := ix.byRank[uint32(key)]
		hits[k] = Hit{ID: ix.docs[d].id, Score: float64(math.Float32frombits(^uint32(key >> 32)))}
	}
	res.Hits = hits
	sc.keys = keys[:0]
	return res, matched, found
}

// scoreAll sets score[d] to the best score any candidate gives doc d
// (score is all zero before) and appends each doc reached to out.
func (ix *Index) scoreAll(cs []cand, score []float32, out []uint32) []uint32 {
	for _, c := range cs {
		by := c.scores()
		for _, p := range ix.postings(c.term) {
			s := by[p&(1<<fieldBits-1)]
			if s == 0 {
				continue // a match in a field this candidate does not count
			}
			out = raise(score, p>>fieldBits, s, out)
		}
	}
	return out
}

// scoreIn is scoreAll for the docs of set only (in holds the same docs
// as bits). A candidate with far more postings than the set has docs
// ("Mary" after a rare surname) is searched for each doc of the set;
// another has each of its postings checked against the bits, which stay
// in the first-level cache where the scores would not.
func (ix *Index) scoreIn(cs []cand, score []float32, in Bits, set []uint32, out []uint32) []uint32 {
	sorted := false
	for _, c := range cs {
		by := c.scores()
		post := ix.postings(c.term)
		if len(post) > gallopRatio*len(set) {
			if !sorted {
				// The first word's docs come in posting order when it had
				// one candidate; otherwise a sort of a few docs.
				if !slices.IsSorted(set) {
					slices.Sort(set)
				}
				sorted = true
			}
			out = gallop(post, set, &by, score, out)
			continue
		}
		for _, p := range post {
			d := p >> fieldBits
			if in[d>>6]&(1<<(d&63)) == 0 {
				continue
			}
			if s := by[p&(1<<fieldBits-1)]; s != 0 {
				out = raise(score, d, s, out)
			}
		}
	}
	return out
}

// gallopRatio: a candidate with more postings than this many times the
// set's docs is searched doc by doc (about log₂ of the gap between two of
// the set's docs a doc) rather than read through.
const gallopRatio = 32

// gallop scores the docs of set (ascending) found in post (a term's
// postings: ascending, at most one per doc): for each doc, a search
// forward from the last one found, by doubling steps and then halving.
func gallop(post, set []uint32, by *[1 << fieldBits]float32, score []float32, out []uint32) []uint32 {
	i := 0
	for _, d := range set {
		key := d << fieldBits
		// post[i-1] < key (or i = 0): find the first post[j] >= key.
		step := 1
		for i+step < len(post) && post[i+step] < key {
			i += step
			step <<= 1
		}
		if post[i] < key {
			// The answer is in (i, min(i+step, len)].
			lo, hi := i+1, min(i+step, len(post))
			for lo < hi {
				m := int(uint(lo+hi) >> 1)
				if post[m] < key {
					lo = m + 1
				} else {
					hi = m
				}
			}
			i = lo
		}
		if i == len(post) {
			break
		}
		p := post[i]
		if p>>fieldBits != d {
			continue
		}
		if s := by[p&(1<<fieldBits-1)]; s != 0 {
			out = raise(score, d, s, out)
		}
	}
	return out
}

// scores is the score c gives a posting, by the posting's field bits (0
// for a match in a field c does not count).
func (c cand) scores() (by [1 << fieldBits]float32) {
	for f := range by {
		by[f] = float32(bestField[uint8(f)&c.mask] * c.w)
	}
	return by
}

// raise makes s doc d's score if it is better, and appends d to out when
// this is its first score (a score is never 0).
func raise(score []float32, d uint32, s float32, out []uint32) []uint32 {
	if score[d] == 0 {
		out = append(out, d)
	}
	if s > score[d] {
		score[d] = s
	}
	return out
}

// smallest returns the k smallest keys in ascending order, reordering
// keys: a max-heap of the k best so far, so n keys cost n·log k compares
// instead of a full sort's n·log n (a broad query at 100,000 cases matches
// tens of thousands of docs; a page shows 20).
func smallest(keys []uint64, k int) []uint64 {
	h := keys[:k]
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= k {
				return
			}
			if r := l + 1; r < k && h[r] > h[l] {
				l = r
			}
			if h[i] >= h[l] {
				return
			}
			h[i], h[l] = h[l], h[i]
			i = l
		}
	}
	for i := k/2 - 1; i >= 0; i-- {
		down(i)
	}
	for _, key := range keys[k:] {
		if key < h[0] {
			h[0] = key
			down(0)
		}
	}
	slices.Sort(h)
	return h
}

// anyPosting reports whether any candidate matches a doc in its fields.
func (ix *Index) anyPosting(cs []cand) bool {
	for _, c := range cs {
		for _, p := range ix.postings(c.term) {
			if uint8(p)&c.mask != 0 {
				return true
			}
		}
	}
	return false
}
