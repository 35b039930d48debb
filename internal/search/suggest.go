package search

import "strings"

// suggest proposes a query that finds something when ws found nothing:
// each word that matched no case alone is replaced by the closest name or
// place word of the index (one edit beyond what search forgives, fewest
// edits first, then the same sound, then names before places, then the most
// cases), and words with
// no close word are dropped. The proposal is only returned if it finds
// cases; a query whose words each match but never together gets none.
func (ix *Index) suggest(ws []qword, matched []bool) string {
	if len(ws) == 0 {
		return ""
	}
	changed := false
	var out []qword
	for k, w := range ws {
		if matched[k] || w.optional {
			out = append(out, w)
			continue
		}
		changed = true
		if t, ok := ix.closest(w.term); ok {
			out = append(out, qword{term: ix.terms[t], raw: ix.display[t]})
		}
	}
	if !changed || len(out) == 0 {
		return ""
	}
	// Whether it finds anything is all that counts: one hit, not all.
	if _, _, found := ix.search(out, Options{Limit: 1}); !found {
		return ""
	}
	raws := make([]string, len(out))
	for k, w := range out {
		raws[k] = w.raw
	}
	return strings.Join(raws, " ")
}

// closest finds the name or place term nearest to w.
func (ix *Index) closest(w string) (uint32, bool) {
	if len(w) > maxWordLen || isNumber(w) {
		return 0, false
	}
	budget := min(typoBudget(w)+1, 3)
	sameSound := map[uint32]bool{}
	if k := phoneticKey(w); k != "" {
		for _, t := range ix.phon[k] {
			sameSound[t] = true
		}
	}
	m, ok := newOSAMatcher(w) // w is at most maxWordLen bytes
	if !ok {
		return 0, false
	}
	sig, bsig := signature(w), bigramSignature(w)
	var (
		best      uint32
		bestScore = -1
	)
	for n := max(len(w)-budget, 0); n <= len(w)+budget && n < len(ix.byLen); n++ {
		b := &ix.byLen[n]
		for i, term := range b.term {
			// The signatures first: they are read in order, where a
			// term's fields are a read anywhere in a table.
			if !sigClose(sig, b.sig[i], budget) || !bigramClose(bsig, b.bsig[i], budget) || ix.tfields[term]&(fieldName|fieldPlace) == 0 {
				continue
			}
			t := ix.terms[term]
			d := m.distance(t, budget)
			if d > budget {
				continue
			}
			// Fewer edits first, then the same sound, then more cases.
			score := (budget-d)*1_000_000 + min(len(ix.postings(term)), 249_999)
			if sameSound[term] {
				score += 500_000
			}
			if ix.tfields[term]&fieldName != 0 {
				score += 250_000
			}
			if score > bestScore {
				best, bestScore = term, score
			}
		}
	}
	return best, bestScore >= 0
}
