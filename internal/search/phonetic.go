package search

import "strings"

// phoneticKey returns a sound key for a folded name word, or "" when the
// word is not plain a–z or too short to key usefully. It is our own
// Metaphone-style coding, simplified and tuned for the English, Irish,
// Scottish and French names of Newfoundland and Labrador:
//
//   - Mac/Mc open every key with MK (canon has already made Mac into Mc);
//   - Irish bh and mh sound v (Siobhan = Shivaun, Niamh = Neve);
//   - French -ault, -eau(x), -aux, -aud, -aut end in a vowel (Arsenault =
//     Arseneau, Robichaud = Robishaw);
//   - gh after the first letter is silent (Gallagher = Galaher, Leigh = Lee);
//   - c and g before e/i/y are soft, ck/q/ch-before-r are k, ph is f,
//     th is one sound, sh/sch/ti/si before a vowel are sh, z is s, v is f;
//   - h is sounded only as the first letter;
//   - vowels count only as the first letter, doubled sounds once.
//
// Keys are at most 8 codes; two names with the same key sound alike.
func phoneticKey(w string) string {
	if len(w) < 2 || len(w) > 40 {
		return ""
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return ""
		}
	}
	// French endings pronounced as a vowel.
	for _, suf := range []string{"eault", "ault", "eaux", "eau", "aux", "aud", "aut"} {
		if strings.HasSuffix(w, suf) && len(w) > len(suf)+1 {
			w = w[:len(w)-len(suf)] + "o"
			break
		}
	}
	var k []byte
	emit := func(c byte) {
		if len(k) > 0 && k[len(k)-1] == c {
			return
		}
		k = append(k, c)
	}
	at := func(i int) byte {
		if i < 0 || i >= len(w) {
			return 0
		}
		return w[i]
	}
	i := 0
	switch {
	case strings.HasPrefix(w, "mc"):
		k = append(k, 'M', 'K')
		i = 2
	case strings.HasPrefix(w, "kn"), strings.HasPrefix(w, "gn"), strings.HasPrefix(w, "pn"), strings.HasPrefix(w, "wr"):
		i = 1
	case w[0] == 'x':
		k = append(k, 'S')
		i = 1
	case strings.HasPrefix(w, "wh"):
		k = append(k, 'W')
		i = 2
	case isVowel(w[0]):
		k = append(k, 'A')
		i = 1
		for i < len(w) && isVowel(w[i]) {
			i++
		}
	}
	for ; i < len(w) && len(k) < 8; i++ {
		c := w[i]
		if c == at(i-1) && c != 'c' {
			continue // doubled letter
		}
		next, next2 := at(i+1), at(i+2)
		switch c {
		case 'a', 'e', 'i', 'o', 'u':
			// Vowels after the first letter carry no code.
		case 'y':
			if i == 0 && isVowel(next) {
				emit('Y')
			}
		case 'w':
			if isVowel(next) && (i == 0 || !isVowel(at(i-1))) {
				emit('W')
			}
		case 'h':
			// Sounded only at the start: inside names it is mostly silent
			// or swallowed (Gallaher = Gallagher, Johanna = Joanna).
			if i == 0 && isVowel(next) {
				emit('H')
			}
		case 'b':
			if next == 'h' {
				emit('F')
				i++
			} else if !(i == len(w)-1 && at(i-1) == 'm') {
				emit('P')
			}
		case 'c':
			switch {
			case next == 'h' && next2 == 'r':
				emit('K')
				i++
			case next == 'h':
				emit('X')
				i++
			case next == 'i' && next2 == 'a':
				emit('X')
			case next == 'e' || next == 'i' || next == 'y':
				if at(i-1) != 's' {
					emit('S')
				}
			case next == 'k' || next == 'q':
				emit('K')
				i++
			default:
				emit('K')
			}
		case 'd':
			if next == 'g' && (next2 == 'e' || next2 == 'i' || next2 == 'y') {
				emit('J')
				i++
			} else if !(next == 'h' && i > 0) {
				emit('T')
			} else {
				i++ // Irish dh: silent
			}
		case 'g':
			switch {
			case next == 'h' && i > 0:
				i++ // silent gh
			case next == 'h':
				emit('K')
				i++
			case next == 'n' && (i+2 == len(w) || (next2 == 'e' && i+3 == len(w))):
				// final gn/gne: silent g
			case next == 'e' || next == 'i' || next == 'y':
				emit('J')
			default:
				emit('K')
			}
		case 'j':
			emit('J')
		case 'k', 'q':
			emit('K')
		case 'm':
			if next == 'h' && i > 0 {
				emit('F')
				i++
			} else {
				emit('M')
			}
		case 'p':
			if next == 'h' {
				emit('F')
				i++
			} else {
				emit('P')
			}
		case 's':
			switch {
			case next == 'c' && next2 == 'h':
				emit('S')
				emit('K')
				i += 2
			case next == 'h':
				emit('X')
				i++
			case next == 'i' && (next2 == 'o' || next2 == 'a'):
				emit('X')
			default:
				emit('S')
			}
		case 't':
			switch {
			case next == 'h':
				emit('0')
				i++
			case next == 'i' && (next2 == 'o' || next2 == 'a'):
				emit('X')
			case next == 'c' && next2 == 'h':
				// tch: the ch says it
			default:
				emit('T')
			}
		case 'v', 'f':
			emit('F')
		case 'x':
			emit('K')
			emit('S')
		case 'z':
			emit('S')
		default: // l, m, n, r
			emit(c - 'a' + 'A')
		}
	}
	if len(k) < 2 {
		return ""
	}
	return string(k)
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}
