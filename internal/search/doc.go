// Package search owns the public name search: an in-memory index over what
// public case pages show (names, aliases, community, region, last-seen place,
// descriptive fields), with typo tolerance, phonetic and nickname matching,
// accent folding, place variants, prefix search and "Did you mean".
//
// It is pure: no database, no HTTP, no clock, no globals that change. The
// caller (the read model) builds an Index from Docs and swaps it when content
// changes; an Index never changes after Build, so any number of goroutines may
// Search it at once. It imports internal/store only for the model types in
// FromCase; it must not query the store.
//
// How a query is read (the same whatever database holds the cases):
//
//   - Words are folded: case, accents (Côté = Cote) and punctuation do not
//     matter; apostrophes and periods vanish inside words (O'Brien =
//     OBrien, St. = St); hyphens separate (Côté-Tremblay is Côté and
//     Tremblay). Saint/Sainte/Ste = St, Mac = Mc, Mt = Mount, and a lone
//     Mc/Mac/O/Fitz/Le/Du joins the next word (Mac Donald = MacDonald).
//   - Every word must match (AND), except stop words (in, the, near,
//     missing, hair, eyes, …), which only add to the score.
//   - A word matches exactly, by nickname (given names), by sound (names
//     and places), or with typos: one edit for 4–7 letters, two from 8.
//     Words of 1 letter are initials; 2–3 letters match exactly, by
//     nickname, or (3) by sound. A word that exists as typed somewhere in
//     the index ranks its sound and typo matches below every exact match.
//   - Numbers are words like any other: they match an age (a year off
//     ranks lower) or a number in the text, and are never ignored, so
//     "Kit Gullcry 21" means all three.
//   - Only the first 512 bytes and 8 words count; words over 40 bytes
//     match exactly only. This bounds the cost of any input.
//   - Options.Prefix lets the last word be unfinished.
//   - Score: per word, the best match's field weight (name 100, place and
//     age 40, description 10) × kind weight (exact 1, prefix 0.8, nickname
//     0.75, sound 0.7, typo 0.55/0.45); summed over words. Ties: open
//     before closed, newer last-seen date, lower id.
//
// An Index holds up to 2^28 docs (postings pack the doc number with
// field bits in 32 bits).
package search

import (
	"strings"
	"time"

	"lostinnl/internal/store"
)

// Doc is what the index knows about one public case.
type Doc struct {
	ID        int64
	Name      string   // full name
	Aliases   []string // other names the person is known by
	Community string
	Region    string // one of store.Regions
	Place     string // last seen place (free text)
	// Descriptive holds hair colour, eye colour, build, distinguishing
	// features and clothing: ranked below names and places.
	Descriptive []string
	Open        bool      // open (missing) cases rank before closed/located ones
	Date        time.Time // last seen date: newer first among equal scores
	// Age at disappearance, 0 when unknown. A number in a query matches it
	// (see Search).
	Age int
}

// FromCase takes from a case what public pages show and search may match.
// Aliases are split on commas, semicolons, slashes and new lines, the way
// moderators list them. A first-name-only case gives its public name, no
// aliases, and texts without its surname (store.Case.IndexText), so a
// search by the surname cannot find it.
func FromCase(c store.Case) Doc {
	d := Doc{
		ID:        c.ID,
		Name:      c.PublicName(),
		Community: c.Community,
		Region:    c.Region,
		Place:     c.IndexText(c.LastSeenPlace),
		Open:      c.Status == store.StatusMissing,
		Date:      c.LastSeenDate,
	}
	for a := range strings.FieldsFuncSeq(c.PublicAliases(), func(r rune) bool {
		return r == ',' || r == ';' || r == '/' || r == '\n' || r == '\r'
	}) {
		if a = strings.TrimSpace(a); a != "" {
			d.Aliases = append(d.Aliases, a)
		}
	}
	for _, s := range []string{c.HairColour, c.EyeColour, c.Build, c.Features, c.Clothing} {
		if s = strings.TrimSpace(c.IndexText(s)); s != "" {
			d.Descriptive = append(d.Descriptive, s)
		}
	}
	if age, ok := c.AgeWhenLastSeen(); ok {
		d.Age = age // 0 stays "unknown" to the index: no one searches for age 0
	}
	return d
}
