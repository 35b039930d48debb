package search

import "slices"

// NameKeys returns the phonetic keys of a name's words (folded, Mc/Mac,
// O' and Fitz handled, hyphenated parts apart), without duplicates, for
// finding possible duplicate reports by an indexed key. Words without a
// key (numbers, one letter, non-Latin script) are left out.
func NameKeys(name string) []string {
	var keys []string
	for _, t := range tokenize(name) {
		if k := phoneticKey(t.term); k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// SimilarNames reports whether two names plausibly belong to one person:
// the given names (first words) match and so do the family names (last
// words, or any part of a hyphenated one). Words match when equal, when
// one is the other's nickname (given names only), when they sound alike
// (phonetic key), or within the typo budget search uses. A one-word name
// is compared with the other's family name only.
func SimilarNames(a, b string) bool { return SimilarTo(a)(b) }

// SimilarTo is SimilarNames with the first name read once, for comparing
// one name with many (the duplicate lookup compares a report's name with
// the thousands of cases of its region and age).
func SimilarTo(name string) func(other string) bool {
	ta := nameWords(name)
	if len(ta) == 0 {
		return func(string) bool { return false }
	}
	famA := familyParts(ta)
	return func(other string) bool {
		tb := nameWords(other)
		if len(tb) == 0 {
			return false
		}
		fam := false
		for _, y := range familyParts(tb) {
			for _, x := range famA {
				if wordsAlike(x, y, false) {
					fam = true
					break
				}
			}
		}
		if !fam {
			return false
		}
		if len(ta) == 1 || len(tb) == 1 {
			return true
		}
		return wordsAlike(ta[0].term, tb[0].term, true)
	}
}

func nameWords(s string) []token {
	var out []token
	for _, t := range tokenize(s) {
		if !t.number {
			out = append(out, t)
		}
	}
	return out
}

// familyParts: the words of the last hyphen group, and that group joined.
func familyParts(ts []token) []string {
	last := ts[len(ts)-1]
	var parts []string
	joined := ""
	for _, t := range ts {
		if t.group == last.group {
			parts = append(parts, t.term)
			joined += t.term
		}
	}
	if len(parts) > 1 {
		parts = append(parts, joined)
	}
	return parts
}

func wordsAlike(x, y string, given bool) bool {
	if x == y {
		return true
	}
	if given {
		for _, g := range nickIndex[x] {
			if slices.Contains(nickGroups[g], y) {
				return true
			}
		}
	}
	if kx := phoneticKey(x); kx != "" && len(x) >= 3 && len(y) >= 3 && kx == phoneticKey(y) {
		return true
	}
	b := min(typoBudget(x), typoBudget(y))
	if b == 0 {
		return false
	}
	m, ok := newOSAMatcher(x)
	return ok && m.distance(y, b) <= b
}
