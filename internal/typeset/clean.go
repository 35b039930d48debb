package typeset

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// Replacement stands for a letter the fonts cannot draw. A visible mark is
// more honest on an appeal than silently dropping part of a name.
const Replacement = '?'

// Clean makes text safe to print on one line of flowing text: it composes
// accents (NFC, so a decomposed "Côté" prints as typed), turns every run of
// white space (new lines and tabs included) into one space, drops control
// and format characters (bidirectional overrides and marks, zero-width
// characters, soft hyphens, invalid UTF-8) that could reorder or hide what
// is printed, drops pictographs (emoji) and marks the fonts lack, and
// replaces any other character the fonts lack with Replacement.
//
// At most maxRunes characters are kept (0: no limit); cut reports whether
// text was longer, so the caller can show that it was shortened. The limit
// bounds the work of fitting a hostile 10 KB field into a box that holds a
// few hundred characters.
func (f *Fonts) Clean(text string, maxRunes int) (clean string, cut bool) {
	var buf sfnt.Buffer
	text = norm.NFC.String(strings.ToValidUTF8(text, ""))
	var b strings.Builder
	b.Grow(min(len(text), 4*max(maxRunes, 64)))
	n := 0
	space := false // a space is pending: written before the next character
	for _, r := range text {
		switch {
		case unicode.IsSpace(r):
			space = n > 0
			continue
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Co, r),
			unicode.Is(unicode.Cs, r), r == utf8.RuneError:
			continue
		case !f.has(&buf, r):
			if unicode.Is(unicode.So, r) || unicode.Is(unicode.Sk, r) || unicode.Is(unicode.M, r) {
				continue
			}
			r = Replacement
		}
		if maxRunes > 0 && n+1 > maxRunes || maxRunes > 0 && space && n+2 > maxRunes {
			return b.String(), true
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		b.WriteRune(r)
		n++
	}
	return b.String(), false
}
