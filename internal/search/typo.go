package search

import "slices"

// osaMatcher gives the optimal string alignment distance (insertions,
// deletions, substitutions and swaps of neighbours, each one edit) from
// one word to many terms, byte-wise: terms are folded to ASCII nearly
// always, and a wrong distance on a rare non-Latin letter only costs a
// typo match. A machine word per term letter instead of a row of the
// dynamic-programming table (osaDistance, kept in the tests as the
// reference): Hyyrö's bit-vector algorithm (2003). Bit i of a
// vector stands for the word's letter i; the vectors carry the last
// column's vertical differences (+1, -1), so each term letter costs a few
// word operations. The word's letter masks are made once per query word:
// the two-edit scan and the suggestions compare one word with thousands
// of terms, and the table's distance was a quarter of a broad search.
type osaMatcher struct {
	eq   [256]uint64 // eq[c]: the positions of byte c in the word
	n    int         // the word's length, at most 64
	high uint64      // the bit of the word's last letter
}

// newOSAMatcher prepares w; ok is false when w is too long (over 64 bytes):
// so long a word is no one's typo.
func newOSAMatcher(w string) (m osaMatcher, ok bool) {
	if len(w) > 64 {
		return m, false
	}
	for i := 0; i < len(w); i++ {
		m.eq[w[i]] |= 1 << i
	}
	m.n = len(w)
	if m.n > 0 {
		m.high = 1 << (m.n - 1)
	}
	return m, true
}

// distance is the distance from the matcher's word to t when it is at most
// max, max+1 otherwise.
func (m *osaMatcher) distance(t string, max int) int {
	if d := m.n - len(t); d > max || -d > max {
		return max + 1
	}
	if m.n == 0 {
		return len(t) // within max, by the test above
	}
	// pv, nv: letters where the column goes up (down) by one from the
	// row above. Column 0 is 0, 1, 2, …: all up.
	pv, nv := ^uint64(0), uint64(0)
	var d0, prevEq uint64
	dist := m.n
	for j := 0; j < len(t); j++ {
		eq := m.eq[t[j]]
		// A swap of neighbours: this letter matches the word's next one
		// and the last letter its previous one, where the cell before
		// was no diagonal match already.
		tr := ((^d0 & eq) << 1) & prevEq
		// d0: cells reached at no cost from their diagonal neighbour.
		d0 = (((eq & pv) + pv) ^ pv) | eq | nv | tr
		ph := nv | ^(d0 | pv)
		nh := d0 & pv
		if ph&m.high != 0 {
			dist++
		} else if nh&m.high != 0 {
			dist--
		}
		// Row 0 grows by one a column: a horizontal +1 enters at the bottom.
		ph = ph<<1 | 1
		nh <<= 1
		pv = nh | ^(d0 | ph)
		nv = ph & d0
		prevEq = eq
		// The rest of t can lower the distance by one a letter at most.
		if dist-(len(t)-1-j) > max {
			return max + 1
		}
	}
	if dist > max {
		return max + 1
	}
	return dist
}

// typoBudget is how many edits a query word may carry: none under four
// letters (too many short names are one edit apart), one for 4–7, two
// from 8.
func typoBudget(w string) int {
	switch n := len(w); {
	case n < minTypoLen:
		return 0
	case n < 8:
		return 1
	default:
		return maxTypos
	}
}

const (
	minTypoLen = 4
	maxTypos   = 2
	// maxWordLen: longer query words are matched exactly only (no typo,
	// phonetic or nickname), which bounds the cost of hostile input.
	maxWordLen = 40
)

// typoTerms calls fn for each indexed term within budget edits of w.
// One edit (words of 4–7 letters, most names): a lookup in the deletion
// neighbourhood. Two edits (8 letters and more): a scan of the terms of
// nearby lengths, most rejected by their signatures before any distance
// is computed.
func (ix *Index) typoTerms(w string, budget int, fn func(term uint32, dist int)) {
	if budget == 0 || len(w) > maxWordLen {
		return
	}
	m, ok := newOSAMatcher(w) // w is at most maxWordLen bytes
	if !ok {
		return
	}
	if budget == 1 && len(w) < deleteMaxLen {
		ix.oneEdit(w, &m, fn)
		return
	}
	sig, bsig := signature(w), bigramSignature(w)
	for n := max(len(w)-budget, 0); n <= len(w)+budget && n < len(ix.byLen); n++ {
		b := &ix.byLen[n]
		for i, s := range b.sig {
			if !sigClose(sig, s, budget) || !bigramClose(bsig, b.bsig[i], budget) {
				continue
			}
			t := b.term[i]
			if d := m.distance(ix.terms[t], budget); d > 0 && d <= budget {
				fn(t, d)
			}
		}
	}
}

// deleteMaxLen bounds the deletion neighbourhood: it holds the terms a
// one-edit query (4–7 letters) can reach, 3 to 8 letters long.
const deleteMaxLen = 8

// deletionHash hashes w without its byte at skip (skip < 0: all of w),
// FNV-1a, without building the shorter string.
func deletionHash(w string, skip int) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(w); i++ {
		if i != skip {
			h ^= uint64(w[i])
			h *= 1099511628211
		}
	}
	return h
}

// oneEdit finds the terms one edit from w: two words are one edit apart
// only if deleting at most one letter from each gives the same string
// (a swap of neighbours included: delete one of the pair on each side).
func (ix *Index) oneEdit(w string, m *osaMatcher, fn func(term uint32, dist int)) {
	var seen []uint32
	for skip := -1; skip < len(w); skip++ {
		h := deletionHash(w, skip)
		lo, _ := slices.BinarySearch(ix.delHash, h)
		for i := lo; i < len(ix.delHash) && ix.delHash[i] == h; i++ {
			t := ix.delTerm[i]
			if slices.Contains(seen, t) {
				continue
			}
			seen = append(seen, t)
			if m.distance(ix.terms[t], 1) == 1 {
				fn(t, 1)
			}
		}
	}
}
