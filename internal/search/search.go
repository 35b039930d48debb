package search

import (
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
func parse(q string) []qword {
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
	for _, g := range ix.nick[w.term] {
		for _, m := range ix.ngrps[g] {
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
	res, _ := ix.search(parse(q), opt)
	if len(res.Hits) == 0 {
		res.Suggestion = ix.suggest(parse(q))
	}
	return res
}

// search runs parsed words; matched[k] tells whether word k matched any
// doc on its own (for suggestions).
func (ix *Index) search(ws []qword, opt Options) (Result, []bool) {
	matched := make([]bool, len(ws))
	var res Result
	if len(ws) == 0 || len(ix.docs) == 0 {
		return res, matched
	}
	// Required words first, so optional ones only add to survivors.
	order := make([]int, 0, len(ws))
	for k, w := range ws {
		if !w.optional {
			order = append(order, k)
		}
	}
	nreq := len(order)
	for k, w := range ws {
		if w.optional {
			order = append(order, k)
		}
	}

	total := make(map[uint32]float64)
	count := make(map[uint32]int)
	best := make(map[uint32]float64)
	var cs []cand
	for step, k := range order {
		cs = ix.candidates(ws[k], opt, cs[:0])
		clear(best)
		for _, c := range cs {
			for _, p := range ix.postings[c.term] {
				f := uint8(p) & c.mask
				if f == 0 {
					continue
				}
				s := bestField[f] * c.w
				d := p >> fieldBits
				if s > best[d] {
					best[d] = s
				}
			}
		}
		matched[k] = len(best) > 0
		for d, s := range best {
			switch {
			case step == 0:
				total[d] = s
				count[d] = 1
			case step < nreq:
				if count[d] == step {
					total[d] += s
					count[d]++
				}
			default: // optional word: a bonus for docs that matched all
				if count[d] == nreq {
					total[d] += s
				}
			}
		}
		if step < nreq && step > 0 {
			for d, n := range count {
				if n <= step {
					delete(count, d)
					delete(total, d)
				}
			}
		}
		if len(total) == 0 && step+1 < nreq {
			// Nothing can match any more; still note which words match
			// alone, for suggestions.
			for _, k2 := range order[step+1:] {
				cs = ix.candidates(ws[k2], opt, cs[:0])
				for _, c := range cs {
					if slices.ContainsFunc(ix.postings[c.term], func(p uint32) bool { return uint8(p)&c.mask != 0 }) {
						matched[k2] = true
						break
					}
				}
			}
			break
		}
	}
	hits := make([]Hit, 0, len(total))
	for d, s := range total {
		if count[d] == nreq {
			hits = append(hits, Hit{ID: int64(d), Score: s})
		}
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		da, db := ix.docs[a.ID], ix.docs[b.ID]
		if da.open != db.open {
			if da.open {
				return -1
			}
			return 1
		}
		if da.date != db.date {
			if da.date > db.date {
				return -1
			}
			return 1
		}
		return int(a.ID - b.ID)
	})
	for k := range hits {
		hits[k].ID = ix.docs[hits[k].ID].id
	}
	res.Hits = hits
	return res, matched
}
