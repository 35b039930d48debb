package i18n

import "strings"

// PseudoOpen and PseudoClose wrap every pseudo-localized message, so a
// test can find text that did not pass through the catalog.
const (
	PseudoOpen  = "［"
	PseudoClose = "］"
)

var pseudoLetters = map[rune]rune{
	'a': 'à', 'b': 'ƀ', 'c': 'ç', 'd': 'ď', 'e': 'é', 'f': 'ƒ', 'g': 'ĝ', 'h': 'ĥ', 'i': 'î', 'j': 'ĵ',
	'k': 'ķ', 'l': 'ļ', 'm': 'ɱ', 'n': 'ñ', 'o': 'ö', 'p': 'ƥ', 'q': 'ʠ', 'r': 'ŕ', 's': 'š', 't': 'ţ',
	'u': 'û', 'v': 'ṽ', 'w': 'ŵ', 'x': 'ẋ', 'y': 'ý', 'z': 'ž',
	'A': 'Å', 'B': 'Ɓ', 'C': 'Ç', 'D': 'Ď', 'E': 'É', 'F': 'Ƒ', 'G': 'Ĝ', 'H': 'Ĥ', 'I': 'Î', 'J': 'Ĵ',
	'K': 'Ķ', 'L': 'Ļ', 'M': 'Ṁ', 'N': 'Ñ', 'O': 'Ö', 'P': 'Ƥ', 'Q': 'Ǫ', 'R': 'Ŕ', 'S': 'Š', 'T': 'Ţ',
	'U': 'Û', 'V': 'Ṽ', 'W': 'Ŵ', 'X': 'Ẋ', 'Y': 'Ý', 'Z': 'Ž',
}

// pseudo turns a message's letters into accented look-alikes, leaving
// {arguments} and HTML tags as they are (they are filled in afterwards, and data is
// not text to translate), and brackets it.
func pseudo(s string) string {
	var b strings.Builder
	b.Grow(len(s)*2 + 6)
	b.WriteString(PseudoOpen)
	depth := 0
	tag := false // inside <…>: markup of a message that holds HTML
	for _, r := range s {
		switch {
		case r == '<':
			tag = true
		case r == '>' && tag:
			tag = false
		case tag:
		case r == '{':
			depth++
		case r == '}' && depth > 0:
			depth--
		case depth == 0:
			if p, ok := pseudoLetters[r]; ok {
				r = p
			}
		}
		b.WriteRune(r)
	}
	b.WriteString(PseudoClose)
	return b.String()
}

// Untranslated returns the runs of plain ASCII words in text (a page's
// visible text, with data values removed by the caller) that lie outside
// pseudo brackets: text a template or Go code wrote without the catalog.
// Words of one letter and runs without letters are ignored.
func Untranslated(text string) []string {
	var out []string
	depth := 0
	var word strings.Builder
	flush := func() {
		if w := word.String(); len(w) > 1 {
			out = append(out, w)
		}
		word.Reset()
	}
	for _, r := range text {
		switch {
		case string(r) == PseudoOpen:
			flush()
			depth++
		case string(r) == PseudoClose && depth > 0:
			depth--
		case depth == 0 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'):
			word.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return out
}
