package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// token is one word of a text after folding: term is what the index
// compares (lower case, accents folded, apostrophes and periods dropped,
// canonical spelling), raw the word as written (for "Did you mean").
type token struct {
	term string
	raw  string
	// group numbers runs of words joined by hyphens ("Smith-Jones",
	// "Grand Falls-Windsor"): the index also stores their joined form.
	group int
	// possessive: the word ended in 's ("John's"); the index also stores
	// the word without the s, so "St John" finds "St. John's".
	possessive bool
	number     bool
}

// isSep reports whether r separates words. Letters, digits and combining
// marks make words; apostrophes and periods are handled by the tokenizer
// (inside words they vanish: O'Brien = OBrien, J.R. = JR); everything else
// separates, hyphens included (compound names are matched by parts).
func isSep(r rune) bool {
	return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || isApostrophe(r) || r == '.')
}

func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', '`', '´', 'ʼ', 'ʻ':
		return true
	}
	return false
}

func isHyphen(r rune) bool {
	switch r {
	case '-', '‐', '‑', '‒', '–', '—':
		return true
	}
	return false
}

// particles are name prefixes people write both joined and apart
// ("Mac Donald", "O Brien", "Fitz Gerald", "Le Blanc"); a particle standing
// alone is glued to the next word so both spellings give one term. De, La
// and St are left apart: they start place names (Bay de Verde, La Scie,
// St. John's) whose other words must stay findable alone.
var particles = map[string]bool{
	"mc": true, "mac": true, "o": true, "fitz": true, "le": true, "du": true, "van": true, "von": true,
}

// canonical spellings: both the indexed text and the query go through it,
// so each pair below is one term.
var canonical = map[string]string{
	"saint": "st", "sainte": "st", "ste": "st", "mt": "mount", "pt": "point",
	"hr": "harbour", "hbr": "harbour", "harbor": "harbour",
	"gray": "grey", "blonde": "blond", "color": "colour", "colored": "coloured",
	"center": "centre", "jr": "junior", "sr": "senior",
}

// tokenize splits text into folded words. It never fails: invalid UTF-8
// and control characters separate words like spaces.
func tokenize(s string) []token {
	var out []token
	group := 0
	// joinNext: the separators since the last word were only spaces and at
	// least one hyphen, so the next word belongs to the same group.
	hyphen, broken := false, false
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || isSep(r) || r == '.' || isApostrophe(r) {
			switch {
			case isHyphen(r):
				hyphen = true
			case !unicode.IsSpace(r):
				broken = true
			}
			i += n
			continue
		}
		// A word: letters, digits and marks, with apostrophes and periods
		// inside it. A period followed by a letter ends the word
		// ("St.John's" is two words; "J.R." is J and R).
		j := i
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if r == utf8.RuneError || isSep(r) {
				break
			}
			if r == '.' {
				break
			}
			j += n
		}
		raw := strings.TrimRightFunc(s[i:j], isApostrophe)
		i = j
		t := token{raw: raw}
		folded := fold(raw)
		if folded == "" {
			continue
		}
		if strings.HasSuffix(folded, "'s") {
			t.possessive = true
		}
		t.term = folded
		if strings.IndexByte(folded, '\'') >= 0 {
			t.term = strings.ReplaceAll(folded, "'", "")
		}
		if t.term == "" {
			continue
		}
		t.term = canon(t.term)
		t.number = isNumber(t.term)
		if !hyphen || broken || len(out) == 0 {
			group++
		}
		hyphen, broken = false, false
		t.group = group
		out = append(out, t)
	}
	return glueParticles(out)
}

// glueParticles joins a lone Mc/Mac/O/Fitz with the following word.
func glueParticles(ts []token) []token {
	out := ts[:0]
	for k := 0; k < len(ts); k++ {
		t := ts[k]
		if particles[t.term] && k+1 < len(ts) && !ts[k+1].number {
			next := ts[k+1]
			t = token{term: canon(t.term + next.term), raw: t.raw + next.raw, group: next.group, possessive: next.possessive}
			k++
		}
		out = append(out, t)
	}
	return out
}

// canon maps a folded word to the spelling the index uses: the table above,
// and Mac+name to Mc+name (MacDonald = McDonald) when what follows is a
// name of at least three letters (not Mack, Macy).
func canon(w string) string {
	if c, ok := canonical[w]; ok {
		return c
	}
	if len(w) >= 6 && strings.HasPrefix(w, "mac") && !strings.HasPrefix(w, "mach") {
		return "mc" + w[3:]
	}
	return w
}

func isNumber(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

// letterMap folds letters that Unicode decomposition leaves alone.
var letterMap = map[rune]string{
	'ø': "o", 'æ': "ae", 'œ': "oe", 'ß': "ss", 'ł': "l", 'đ': "d", 'ð': "d",
	'þ': "th", 'ı': "i", 'ŀ': "l", 'ĸ': "k",
}

// fold lower-cases w, strips accents (Côté = cote) and keeps apostrophes
// (the caller drops them after noting a possessive). ASCII words, nearly
// all of them, take the fast path.
func fold(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(w)
	}
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range norm.NFKD.String(w) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case isApostrophe(r):
			b.WriteByte('\'')
			continue
		}
		r = unicode.ToLower(r)
		if m, ok := letterMap[r]; ok {
			b.WriteString(m)
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
