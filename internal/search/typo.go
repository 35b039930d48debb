package search

import "slices"

// osaDistance is the optimal string alignment distance between a and b
// (insertions, deletions, substitutions and swaps of neighbours, each one
// edit), or max+1 as soon as it must exceed max. Byte-wise: terms are
// folded to ASCII nearly always, and a wrong distance on a rare non-Latin
// letter only costs a typo match.
func osaDistance(a, b string, max int) int {
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	// Three rows, on the stack for words up to 64 bytes.
	var buf [3][65]int
	if len(b) > 64 {
		return max + 1
	}
	prev2, prev, cur := buf[0][:len(b)+1], buf[1][:len(b)+1], buf[2][:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
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
	if budget == 1 && len(w) < deleteMaxLen {
		ix.oneEdit(w, fn)
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
			if d := osaDistance(w, ix.terms[t], budget); d > 0 && d <= budget {
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
func (ix *Index) oneEdit(w string, fn func(term uint32, dist int)) {
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
			if osaDistance(w, ix.terms[t], 1) == 1 {
				fn(t, 1)
			}
		}
	}
}
