package store

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// First-name-only publishing (issue 19 point 4). Police in Canada often
// release only a first name, above all for minors; a case with
// FirstNameOnly set is shown to the public as "Jordan Z." and without its
// aliases, everywhere. This file is the one copy of that rule: the public
// reads (GetPublicCase, GetCaseForPublic, PublicCases) return cases
// already passed through ForPublic, so a page, feed, export or index built
// from them cannot show the surname by forgetting a call, and texts read
// separately (updates, photo captions) go through PublicText. Staff pages
// read with GetCase and keep the full name.

// FirstNameOnlyUnder is the age under which a reporter's request for
// first-name-only publishing turns the option on at once; for older
// people the request is flagged for the moderator, who decides.
const FirstNameOnlyUnder = 16

// nameSuffixes are not last names: "Jordan Zxqwerty Jr." is "Jordan Z.".
var nameSuffixes = map[string]bool{"jr": true, "sr": true, "ii": true, "iii": true, "iv": true}

// nameWord reports whether w can be a given or family name: it holds a
// letter and is not a quoted or bracketed nickname ("JJ", (Jay)).
func nameWord(w string) bool {
	if strings.IndexFunc(w, unicode.IsLetter) < 0 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(w)
	return !strings.ContainsRune(`"“”„«»([{`, r)
}

// nameParts splits a full name into its first name and the word whose
// initial stands for the last name ("" when the name is one word).
// "Zxqwerty, Jordan" (family name first, as lists write it) is understood.
func nameParts(full string) (first, last string) {
	words := strings.Fields(full)
	if before, after, ok := strings.Cut(full, ","); ok && !onlySuffixes(after) {
		words = append(strings.Fields(after), strings.Fields(strings.ReplaceAll(before, ",", " "))...)
	}
	var cand []string
	for _, w := range words {
		w = strings.TrimRight(w, ",;:")
		if nameWord(w) {
			cand = append(cand, w)
		}
	}
	for len(cand) > 1 && nameSuffixes[strings.ToLower(strings.TrimRight(cand[len(cand)-1], "."))] {
		cand = cand[:len(cand)-1]
	}
	switch len(cand) {
	case 0:
		// Nothing name-like (punctuation only): one word at most, so no
		// surname can be in it.
		if len(words) > 0 {
			return words[0], ""
		}
		return "", ""
	case 1:
		return cand[0], ""
	}
	return cand[0], cand[len(cand)-1]
}

// onlySuffixes reports whether s holds no name after a comma: nothing,
// or only suffixes ("Jordan Zxqwerty, Jr.").
func onlySuffixes(s string) bool {
	for _, w := range strings.Fields(strings.ReplaceAll(s, ",", " ")) {
		if nameWord(w) && !nameSuffixes[strings.ToLower(strings.TrimRight(w, "."))] {
			return false
		}
	}
	return true
}

// ShortName is the public form of a name under first-name-only
// publishing: the first name and the initial of the last name ("Jordan
// Zxqwerty" → "Jordan Z."; "Zxqwerty, Jordan" → "Jordan Z."; a single
// name stays as it is). ShortName(ShortName(n)) == ShortName(n), so a
// masked case can be masked again safely.
func ShortName(full string) string {
	first, last := nameParts(full)
	if last == "" {
		return first
	}
	i := strings.IndexFunc(last, unicode.IsLetter)
	r, _ := utf8.DecodeRuneInString(last[i:])
	return first + " " + string(unicode.ToUpper(r)) + "."
}

// PublicName is the name every public surface shows: the full name, or
// ShortName of it when FirstNameOnly is set.
func (c *Case) PublicName() string {
	if c.FirstNameOnly {
		return ShortName(c.FullName)
	}
	return c.FullName
}

// PublicAliases is the aliases as the public sees them: none for a
// first-name-only case (a nickname or a married name can identify).
func (c *Case) PublicAliases() string {
	if c.FirstNameOnly {
		return ""
	}
	return c.Aliases
}

// realName is the full name behind c, also on a copy ForPublic made.
func (c *Case) realName() string {
	if c.hiddenName != "" {
		return c.hiddenName
	}
	return c.FullName
}

// PublicText is s as a public page may show it: for a first-name-only
// case, every occurrence of the full name (also as first and last name
// with other middle names or none, in any letter case) becomes the short
// name. Other uses
// of the surname on its own are not touched, since a surname can be an
// ordinary word or place ("Signal Hill"); staff see them listed by
// NameLeaks instead. Other cases' texts are returned as they are.
func (c *Case) PublicText(s string) string {
	if !c.FirstNameOnly || s == "" {
		return s
	}
	full := c.realName()
	re := namePattern(full)
	if re == nil {
		return s
	}
	short := ShortName(full)
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringIndex(s, -1) {
		if !wordEdge(s, m[0], m[1]) {
			continue
		}
		b.WriteString(s[last:m[0]])
		b.WriteString(short)
		last = m[1]
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// namePattern matches a full name, and its first and last name with or
// without middle names, case-insensitively with any spacing; nil when
// the name has no surname.
func namePattern(full string) *regexp.Regexp {
	first, last := nameParts(full)
	if last == "" || ShortName(full) == full {
		return nil // one name, or already short: nothing to hide
	}
	phrase := func(words []string) string {
		q := make([]string, len(words))
		for i, w := range words {
			q[i] = regexp.QuoteMeta(w)
		}
		return strings.Join(q, `[\s\p{Z}]+`)
	}
	// The name as written first, then first and last name with up to
	// three middle names between them ("Jordan Lee Zxqwerty").
	alts := []string{phrase(strings.Fields(full)),
		regexp.QuoteMeta(first) + `(?:[\s\p{Z}]+[\p{L}\p{M}'’.-]+){0,3}?[\s\p{Z}]+` + regexp.QuoteMeta(last)}
	return regexp.MustCompile(`(?i)(?:` + strings.Join(alts, "|") + `)`)
}

// wordEdge reports whether s[i:j] is not part of a longer word.
func wordEdge(s string, i, j int) bool {
	inWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }
	if r, _ := utf8.DecodeLastRuneInString(s[:i]); i > 0 && inWord(r) {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(s[j:]); j < len(s) && inWord(r) {
		return false
	}
	return true
}

// ForPublic is c as the public may see it. For a first-name-only case it
// is a copy with FullName set to the short name, no aliases, and the full
// name replaced in the descriptive texts and the primary photo's caption
// (PublicText); the copy still knows the full name privately, so
// PublicText keeps working on texts read later. Any other case is
// returned as it is. ForPublic of its own result changes nothing.
func (c *Case) ForPublic() *Case {
	if !c.FirstNameOnly {
		return c
	}
	p := *c
	p.hiddenName = c.realName()
	p.FullName = ShortName(p.hiddenName)
	p.Aliases = ""
	p.Features = p.PublicText(c.Features)
	p.Clothing = p.PublicText(c.Clothing)
	p.Circumstances = p.PublicText(c.Circumstances)
	p.CircumstancesAlt = p.PublicText(c.CircumstancesAlt)
	p.LastSeenPlace = p.PublicText(c.LastSeenPlace)
	if c.PrimaryPhoto != nil {
		ph := *c.PrimaryPhoto
		ph.Alt = p.PublicText(ph.Alt)
		p.PrimaryPhoto = &ph
	}
	return &p
}

// surnameWords are the folded words of a first-name-only case's name
// other than its first name, of three letters or more (particles and
// initials are left alone); nil for any other case.
func (c *Case) surnameWords() map[string]bool {
	if !c.FirstNameOnly {
		return nil
	}
	full := c.realName()
	first, _ := nameParts(full)
	given := map[string]bool{}
	for w := range strings.FieldsFuncSeq(first, notWordRune) {
		given[strings.ToLower(w)] = true
	}
	var want map[string]bool
	for w := range strings.FieldsFuncSeq(full, notWordRune) {
		if lw := strings.ToLower(w); utf8.RuneCountInString(w) >= 3 && !given[lw] && !nameSuffixes[lw] {
			if want == nil {
				want = map[string]bool{}
			}
			want[lw] = true
		}
	}
	return want
}

// NameLeaks is for staff: the labels of the texts in which a word of a
// first-name-only case's surname still shows after PublicText, so a
// moderator can reword them before the public reads them.
func (c *Case) NameLeaks(texts []LabelledText) []string {
	want := c.surnameWords()
	if len(want) == 0 {
		return nil
	}
	var out []string
	for _, t := range texts {
		for w := range strings.FieldsFuncSeq(c.PublicText(t.Text), notWordRune) {
			if want[strings.ToLower(w)] {
				out = append(out, t.Label)
				break
			}
		}
	}
	return out
}

// IndexText is s as the public search index may hold it: PublicText,
// and for a first-name-only case without any word of the surname, so a
// search by the surname cannot find the case through a description that
// still names it (the page shows that text; staff are warned by
// NameLeaks). Never shown to anyone.
func (c *Case) IndexText(s string) string {
	want := c.surnameWords()
	if len(want) == 0 {
		return s
	}
	s = c.PublicText(s)
	var b strings.Builder
	for w := range strings.FieldsFuncSeq(s, notWordRune) {
		if !want[strings.ToLower(w)] {
			b.WriteString(w)
			b.WriteByte(' ')
		}
	}
	return strings.TrimSpace(b.String())
}

// LabelledText is one public text of a case for NameLeaks.
type LabelledText struct{ Label, Text string }

func notWordRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
}
