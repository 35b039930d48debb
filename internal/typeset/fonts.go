package typeset

import (
	"fmt"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
)

// Fonts holds the two faces every generated document uses, both as the
// TrueType bytes (a PDF embeds these) and parsed (a picture draws with
// these, and Clean asks them which characters exist). Parsing takes a few
// milliseconds, so callers load the fonts once and keep them.
type Fonts struct {
	RegularTTF, BoldTTF []byte
	Regular, Bold       *opentype.Font
}

// Load parses the embedded Go fonts.
func Load() (*Fonts, error) {
	reg, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("typeset: parse Go Regular: %w", err)
	}
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, fmt.Errorf("typeset: parse Go Bold: %w", err)
	}
	return &Fonts{RegularTTF: goregular.TTF, BoldTTF: gobold.TTF, Regular: reg, Bold: bold}, nil
}

// has reports whether both faces have a glyph for r. Go Regular and Go Bold
// cover the same characters, but asking both costs little and keeps a
// future font change honest. buf belongs to the caller, so Fonts stays
// safe for concurrent use.
func (f *Fonts) has(buf *sfnt.Buffer, r rune) bool {
	for _, font := range [...]*opentype.Font{f.Regular, f.Bold} {
		i, err := font.GlyphIndex(buf, r)
		if err != nil || i == 0 {
			return false
		}
	}
	return true
}
