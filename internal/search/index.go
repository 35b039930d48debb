package search

import (
	"cmp"
	"math/bits"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fields a term can occur in, one bit each in a posting.
const (
	fieldName  = 1 << iota // full name and aliases
	fieldPlace             // community, region, last seen place
	fieldDesc              // hair, eyes, build, features, clothing
	fieldAge               // the age, as a number term
	fieldBits  = 4
)

// fieldWeight orders matches by where they were found: a name match beats
// any place match, which beats any description match, whatever the kind
// of match (see kind weights in search.go).
var fieldWeight = [fieldBits]float64{100, 40, 10, 40}

// Index is an immutable search index over Docs; safe for concurrent Search.
type Index struct {
	docs []docInfo

	// Terms: folded words, numbered. terms is sorted, so a term's number
	// is its rank, and a prefix is a contiguous range.
	terms   []string
	display []string // each term as first written (for suggestions)
	// Postings of term t: post[postOff[t]:postOff[t+1]], each
	// doc<<fieldBits | field bits, docs ascending. One flat array in term
	// order, so a prefix's terms have their postings side by side.
	post    []uint32
	postOff []uint32
	tfields []uint8 // per term: union of its fields
	termID  map[string]uint32

	phon map[string][]uint32 // phonetic key → name/place terms
	// byLen lists terms by length in bytes, with signatures, for the
	// two-edit typo scan; delHash/delTerm, sorted by hash, are the deletion
	// neighbourhood (each short term and its one-letter deletions) for
	// one-edit lookups (typo.go).
	byLen   []lenBucket
	delHash []uint64
	delTerm []uint32

	// rank orders docs for ties: open first, then newer, then lower id;
	// byRank is its inverse.
	rank   []uint32
	byRank []uint32

	pool sync.Pool // *scratch
}

type docInfo struct {
	id   int64
	open bool
	date int64 // unix seconds of the last seen date
}

// lenBucket holds the terms of one length, as parallel arrays so the scan
// reads signatures only.
type lenBucket struct {
	sig  []uint64 // letters
	bsig []uint64 // bigrams
	term []uint32
}

// Build indexes docs. Docs keep their order only as a last tie-break; any
// order is fine.
func Build(docs []Doc) *Index {
	ix := &Index{docs: make([]docInfo, len(docs))}
	byTerm := collectTerms(docs, ix.docs)
	ix.rankDocs()

	ix.terms = make([]string, 0, len(byTerm))
	for t := range byTerm {
		ix.terms = append(ix.terms, t)
	}
	slices.Sort(ix.terms)
	ix.display = make([]string, len(ix.terms))
	total := 0
	for _, p := range byTerm {
		total += len(p.post)
	}
	ix.post = make([]uint32, 0, total)
	ix.postOff = make([]uint32, 1, len(ix.terms)+1)
	ix.tfields = make([]uint8, len(ix.terms))
	// The one-edit neighbourhood depends on the terms alone: it is hashed
	// and sorted on another core while the postings are laid out.
	dels := ix.startDeletions()
	for id, t := range ix.terms {
		p := byTerm[t]
		ix.display[id] = p.raw
		ix.post = append(ix.post, p.post...)
		ix.postOff = append(ix.postOff, uint32(len(ix.post)))
		ix.tfields[id] = postingFields(p.post)
	}
	ix.indexTerms()
	<-dels
	return ix
}

// rankDocs orders the docs for ties (rank, byRank): open first, then the
// later last seen date, then the lower id.
func (ix *Index) rankDocs() {
	ix.byRank = make([]uint32, len(ix.docs))
	for i := range ix.byRank {
		ix.byRank[i] = uint32(i)
	}
	slices.SortFunc(ix.byRank, func(a, b uint32) int {
		da, db := ix.docs[a], ix.docs[b]
		switch {
		case da.open != db.open:
			if da.open {
				return -1
			}
			return 1
		case da.date != db.date:
			return cmp.Compare(db.date, da.date)
		}
		return cmp.Compare(da.id, db.id)
	})
	ix.rank = make([]uint32, len(ix.docs))
	for r, d := range ix.byRank {
		ix.rank[d] = uint32(r)
	}
}

// startDeletions computes the deletion neighbourhood of ix.terms on
// another goroutine; the channel closes when it is in place.
func (ix *Index) startDeletions() chan struct{} {
	done := make(chan struct{})
	go func() {
		ix.delHash, ix.delTerm = deletionNeighbourhood(ix.terms)
		close(done)
	}()
	return done
}

// indexTerms fills what is looked up by term from ix.terms and
// ix.tfields: termID, the typo scan's buckets and the phonetic keys.
func (ix *Index) indexTerms() {
	ix.termID = make(map[string]uint32, len(ix.terms))
	ix.byLen = nil
	for id, t := range ix.terms {
		tid := uint32(id)
		ix.termID[t] = tid
		if typoCandidate(t) {
			n := len(t)
			for len(ix.byLen) <= n {
				ix.byLen = append(ix.byLen, lenBucket{})
			}
			b := &ix.byLen[n]
			b.sig = append(b.sig, signature(t))
			b.bsig = append(b.bsig, bigramSignature(t))
			b.term = append(b.term, tid)
		}
	}
	ix.indexSounds()
}

// indexSounds fills the phonetic keys of the name and place terms.
func (ix *Index) indexSounds() {
	ix.phon = map[string][]uint32{}
	for id, t := range ix.terms {
		// "Thee" is not a misspelt "the": stop words are matched as
		// typed only, never by sound or typo (typoCandidate).
		if !stopWords[t] && ix.tfields[id]&(fieldName|fieldPlace) != 0 {
			if k := phoneticKey(t); k != "" {
				ix.phon[k] = append(ix.phon[k], uint32(id))
			}
		}
	}
}

// postingFields is the union of the fields of postings.
func postingFields(post []uint32) uint8 {
	var f uint8
	for _, e := range post {
		f |= uint8(e & (1<<fieldBits - 1))
	}
	return f
}

// Patch is the index of a changed list of docs, made from ix (which stays
// as it was, for the searches still reading it) rather than from every
// doc again: at 100,000 cases Build takes about a second, most of it
// reading every doc's text; Patch reads only the new docs' (issue 15).
// keep[i] is the position in the new list of ix's doc i, or -1 when that
// doc is gone or changed; the docs kept must keep their order (keep is
// increasing where not -1), which the read model's name order does for
// cases that did not change. fresh are the other docs of the new list, at
// positions at (increasing). n is the new list's length: every position
// is in keep or at, once.
//
// The result is the index Build makes of the new list (TestPatchSameAsBuild),
// with one allowance: a term's suggested spelling is its first doc's at a
// Build, but here stays the old one when the doc that gave it went and
// another old doc comes first.
func (ix *Index) Patch(n int, keep []int32, fresh []Doc, at []uint32) *Index {
	out := &Index{docs: make([]docInfo, n)}
	for i, p := range keep {
		if p >= 0 {
			out.docs[p] = ix.docs[i]
		}
	}
	infos := make([]docInfo, len(fresh))
	byTerm := collectAt(fresh, infos, 0, at)
	for k, d := range infos {
		out.docs[at[k]] = d
	}
	out.rankDocs()

	added := make([]string, 0, len(byTerm))
	for t := range byTerm {
		added = append(added, t)
	}
	slices.Sort(added)
	out.terms = make([]string, 0, len(ix.terms)+len(added))
	out.display = make([]string, 0, len(ix.terms)+len(added))
	out.tfields = make([]uint8, 0, len(ix.terms)+len(added))
	out.post = make([]uint32, 0, len(ix.post)+len(added)*4)
	out.postOff = make([]uint32, 1, len(ix.terms)+len(added)+1)
	// sameTerms: the terms are ix's, in the same numbers; sameKinds:
	// each is a name or place term exactly when it was (its sound key).
	sameTerms, sameKinds := true, true
	emit := func(t, display string, start int, was uint8, old bool) {
		if len(out.post) == start {
			sameTerms = false // no doc has it any more
			return
		}
		f := postingFields(out.post[start:])
		if !old {
			sameTerms = false
		} else if (f&(fieldName|fieldPlace) != 0) != (was&(fieldName|fieldPlace) != 0) {
			sameKinds = false
		}
		out.terms = append(out.terms, t)
		out.display = append(out.display, display)
		out.tfields = append(out.tfields, f)
		out.postOff = append(out.postOff, uint32(len(out.post)))
	}
	// A term only new docs have.
	addNew := func(t string) {
		p := byTerm[t]
		start := len(out.post)
		out.post = append(out.post, p.post...)
		emit(t, p.raw, start, 0, false)
	}
	k := 0
	for t, term := range ix.terms {
		for ; k < len(added) && added[k] < term; k++ {
			addNew(added[k])
		}
		// The old postings, renumbered, without the docs that went or
		// changed.
		start := len(out.post)
		for _, e := range ix.postings(uint32(t)) {
			if p := keep[e>>fieldBits]; p >= 0 {
				out.post = append(out.post, uint32(p)<<fieldBits|e&(1<<fieldBits-1))
			}
		}
		display := ix.display[t]
		if k < len(added) && added[k] == term {
			p := byTerm[term]
			out.post = mergePostings(out.post, start, p.post)
			// The first doc's spelling, as Build has it, when that doc is
			// new.
			if out.post[start]>>fieldBits == p.post[0]>>fieldBits {
				display = p.raw
			}
			k++
		}
		emit(term, display, start, ix.tfields[t], true)
	}
	for ; k < len(added); k++ {
		addNew(added[k])
	}
	if sameTerms {
		// Same terms, same numbers: what is looked up by term is the old
		// index's, shared (an Index never changes once built).
		out.termID, out.byLen, out.delHash, out.delTerm = ix.termID, ix.byLen, ix.delHash, ix.delTerm
		if sameKinds {
			out.phon = ix.phon
		} else {
			out.indexSounds()
		}
		return out
	}
	dels := out.startDeletions()
	out.indexTerms()
	<-dels
	return out
}

// mergePostings merges add into post[start:], both in doc order, and
// returns post. A doc is never in both: a doc Patch keeps is not one it
// indexes again.
func mergePostings(post []uint32, start int, add []uint32) []uint32 {
	old := slices.Clone(post[start:])
	post = post[:start]
	i, j := 0, 0
	for i < len(old) || j < len(add) {
		if j == len(add) || (i < len(old) && old[i] < add[j]) {
			post = append(post, old[i])
			i++
		} else {
			post = append(post, add[j])
			j++
		}
	}
	return post
}

// typoCandidate: t may be matched with typos (not a stop word, not a
// number, of a length typos are tried for).
func typoCandidate(t string) bool {
	n := len(t)
	return !stopWords[t] && n >= minTypoLen-maxTypos && n <= maxWordLen+maxTypos && !isNumber(t)
}

// deletionNeighbourhood is, sorted by hash, each short typo candidate of
// terms (numbered by position) and its one-letter deletions (typo.go).
func deletionNeighbourhood(terms []string) ([]uint64, []uint32) {
	type delEntry struct {
		h uint64
		t uint32
	}
	var dels []delEntry
	for id, t := range terms {
		if n := len(t); n >= minTypoLen-1 && n <= deleteMaxLen && typoCandidate(t) {
			for skip := -1; skip < n; skip++ {
				dels = append(dels, delEntry{deletionHash(t, skip), uint32(id)})
			}
		}
	}
	slices.SortFunc(dels, func(a, b delEntry) int { return cmp.Compare(a.h, b.h) })
	hs, ts := make([]uint64, len(dels)), make([]uint32, len(dels))
	for i, e := range dels {
		hs[i], ts[i] = e.h, e.t
	}
	return hs, ts
}

// pending is one term's postings while the index is built, and the term
// as first written.
type pending struct {
	raw  string
	post []uint32
}

// parallelMinDocs: below this many docs the terms are collected on one
// goroutine (a 10,000-case site builds in a tenth of a second anyway).
const parallelMinDocs = 20_000

// collectTerms lists every term of docs with its postings, and fills
// infos. A large site's docs are split into contiguous ranges, one per CPU
// (up to four), collected at once and merged in range order: a term's
// postings then stay in doc order and its first spelling is the first
// doc's, exactly as one pass would have it (TestBuildParallelSameIndex).
// The read model rebuilds after every change; at 100,000 cases this was
// two thirds of a one-second build.
func collectTerms(docs []Doc, infos []docInfo) map[string]*pending {
	parts := min(runtime.GOMAXPROCS(0), 4)
	if len(docs) < parallelMinDocs || parts < 2 {
		return collectRange(docs, infos, 0)
	}
	maps := make([]map[string]*pending, parts)
	var wg sync.WaitGroup
	for k := range parts {
		lo, hi := len(docs)*k/parts, len(docs)*(k+1)/parts
		wg.Go(func() { maps[k] = collectRange(docs[lo:hi], infos[lo:hi], uint32(lo)) })
	}
	wg.Wait()
	out := maps[0]
	for _, m := range maps[1:] {
		for t, p := range m {
			if q := out[t]; q != nil {
				q.post = append(q.post, p.post...)
			} else {
				out[t] = p
			}
		}
	}
	return out
}

// collectRange is collectTerms for docs numbered from base.
func collectRange(docs []Doc, infos []docInfo, base uint32) map[string]*pending {
	return collectAt(docs, infos, base, nil)
}

// collectAt is collectTerms for docs numbered from base, or, when at is
// not nil, docs[i] numbered at[i] (increasing, so postings stay in doc
// order).
func collectAt(docs []Doc, infos []docInfo, base uint32, at []uint32) map[string]*pending {
	byTerm := make(map[string]*pending, len(docs))
	// Per doc, postings are appended once per term; fields of a repeated
	// term are OR-ed into the doc's last posting.
	add := func(doc uint32, e indexTerm, f uint8) {
		p := byTerm[e.term]
		if p == nil {
			p = &pending{raw: e.raw}
			byTerm[e.term] = p
		}
		if n := len(p.post); n > 0 && p.post[n-1]>>fieldBits == doc {
			p.post[n-1] |= uint32(f)
			return
		}
		p.post = append(p.post, doc<<fieldBits|uint32(f))
	}
	addTerms := func(doc uint32, es []indexTerm, f uint8) {
		for _, e := range es {
			add(doc, e, f)
		}
	}
	// Places, regions and descriptions repeat across cases (a community,
	// "brown", "red plaid jacket"): their terms are worked out once each.
	type textKey struct {
		s     string
		pairs bool
	}
	seen := map[textKey][]indexTerm{}
	shared := func(s string, pairs bool) []indexTerm {
		k := textKey{s, pairs}
		if es, ok := seen[k]; ok {
			return es
		}
		es := indexTerms(s, pairs)
		if len(seen) < 1<<16 {
			seen[k] = es
		}
		return es
	}
	for i, d := range docs {
		doc := base + uint32(i)
		if at != nil {
			doc = at[i]
		}
		infos[i] = docInfo{id: d.ID, open: d.Open, date: unixDay(d.Date)}
		addTerms(doc, indexTerms(d.Name, false), fieldName)
		for _, a := range d.Aliases {
			addTerms(doc, indexTerms(a, false), fieldName)
		}
		addTerms(doc, shared(d.Community, true), fieldPlace)
		addTerms(doc, shared(d.Region, false), fieldPlace)
		for _, v := range regionVariants[foldKey(d.Region)] {
			add(doc, indexTerm{v, v}, fieldPlace)
		}
		addTerms(doc, shared(d.Place, false), fieldPlace)
		for _, s := range d.Descriptive {
			addTerms(doc, shared(s, false), fieldDesc)
		}
		if d.Age > 0 && d.Age < 200 {
			a := strconv.Itoa(d.Age)
			add(doc, indexTerm{a, a}, fieldAge)
		}
	}
	return byTerm
}

// indexTerm is one word the index stores for a text, as folded and as
// written.
type indexTerm struct{ term, raw string }

// indexTerms lists what the index stores for a text: each word, the word
// without its possessive s (St John finds St. John's), and joined pairs:
// St with the next word (Stjohns), the parts of a hyphenated word
// (Smithjones), and with pairs every neighbouring pair (a community:
// Cornerbrook finds Corner Brook).
func indexTerms(s string, pairs bool) []indexTerm {
	ts := tokenize(s)
	out := make([]indexTerm, 0, len(ts)+2)
	for k, t := range ts {
		out = append(out, indexTerm{t.term, t.raw})
		if t.possessive && len(t.term) > 2 {
			out = append(out, indexTerm{t.term[:len(t.term)-1], strings.TrimRightFunc(strings.TrimSuffix(t.raw, "s"), isApostrophe)})
		}
		if k+1 < len(ts) {
			n := ts[k+1]
			if pairs || t.term == "st" || n.group == t.group {
				out = append(out, indexTerm{t.term + n.term, t.raw + n.raw})
			}
		}
	}
	return out
}

// postings are the postings of term t.
func (ix *Index) postings(t uint32) []uint32 { return ix.post[ix.postOff[t]:ix.postOff[t+1]] }

// Len is the number of indexed docs.
func (ix *Index) Len() int { return len(ix.docs) }

func unixDay(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// regionVariants: extra words that find a region's cases, beyond its name.
var regionVariants = map[string][]string{
	"avalon":   {"avalon", "peninsula"},
	"eastern":  {"east"},
	"western":  {"west"},
	"labrador": {"labrador", "bigland"},
	"central":  {"centre"},
}

// foldKey folds a short label (a region) to one term.
func foldKey(s string) string {
	ts := tokenize(s)
	if len(ts) == 0 {
		return ""
	}
	return ts[0].term
}

// signature has one bit per letter (and one for anything else): k edits
// change at most 2k bits, which rules out most words before the distance is
// computed.
func signature(w string) uint64 {
	var s uint64
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= 'a' && c <= 'z':
			s |= 1 << (c - 'a')
		case c >= '0' && c <= '9':
			s |= 1 << (26 + c - '0')
		default:
			s |= 1 << 63
		}
	}
	return s
}

func sigClose(a, b uint64, k int) bool { return bits.OnesCount64(a^b) <= 2*k }

// bigramSignature hashes each pair of neighbouring bytes to one of 64
// bits. One edit removes at most two pairs and adds at most two (a swap
// of neighbours changes three), so k edits differ in at most 4k bits
// (3k+1 with swaps, never more than 4k for k ≥ 1): a second filter that
// rejects most words sharing the same letters in another order.
func bigramSignature(w string) uint64 {
	var s uint64
	for i := 0; i+1 < len(w); i++ {
		h := (uint32(w[i])*31 + uint32(w[i+1])) * 2654435761
		s |= 1 << (h >> 26)
	}
	return s
}

func bigramClose(a, b uint64, k int) bool { return bits.OnesCount64(a^b) <= 4*k }
