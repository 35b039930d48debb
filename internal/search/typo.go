package search

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
func (ix *Index) typoTerms(w string, budget int, fn func(term uint32, dist int)) {
	if budget == 0 || len(w) > maxWordLen {
		return
	}
	sig := signature(w)
	for n := max(len(w)-budget, 0); n <= len(w)+budget && n < len(ix.byLen); n++ {
		for _, e := range ix.byLen[n] {
			if !sigClose(sig, e.sig, budget) {
				continue
			}
			t := ix.terms[e.term]
			if d := osaDistance(w, t, budget); d > 0 && d <= budget {
				fn(e.term, d)
			}
		}
	}
}
