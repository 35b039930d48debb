package form

import (
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"lostinnl/internal/i18n"
)

// honeypotField is a form field hidden from people (CSS and aria-hidden)
// that naive bots fill in. Its name looks attractive to them on purpose.
const honeypotField = "website"

// formReader reads text fields the same careful way for every form:
// invalid UTF-8 is refused (not silently mangled), line endings unified,
// control characters dropped, Unicode NFC-normalised, trimmed, and the
// length checked in characters after all that. Problems found while
// reading are kept per field and win over later validation messages.
//
// Messages are written in the reader's language (lz): a form is read for
// one request, so its messages are translated when they are made, with
// their numbers in them.
type formReader struct {
	vals url.Values
	Errs map[string]string
	lz   *i18n.Localizer
}

// NewFormReader reads vals with messages in English (the admin area).
func NewFormReader(vals url.Values) *formReader {
	return NewFormReaderFor(i18n.For(i18n.English), vals)
}

// NewFormReaderFor reads vals with messages in lz's language.
func NewFormReaderFor(lz *i18n.Localizer, vals url.Values) *formReader {
	if lz == nil {
		lz = i18n.For(i18n.English)
	}
	return &formReader{vals: vals, Errs: map[string]string{}, lz: lz}
}

// num writes a number in a message: English keeps plain digits ("5000",
// as the messages always said), other languages group them their way.
func num(lz *i18n.Localizer, n int) string {
	if lz.Lang() == i18n.English {
		return strconv.Itoa(n)
	}
	return lz.Number(n)
}

// line reads a single-line field (newlines become spaces).
func (fr *formReader) line(name string, max int) string { return fr.read(name, max, false) }

// Text reads a multi-line field.
func (fr *formReader) Text(name string, max int) string { return fr.read(name, max, true) }

func (fr *formReader) read(name string, max int, multiline bool) string {
	raw := fr.vals.Get(name)
	if raw == "" {
		return ""
	}
	if !utf8.ValidString(raw) {
		fr.Errs[name] = fr.lz.T("This contains characters we could not read (invalid text encoding). Please type it again.")
		// Shown back so the person sees the damaged spots; never stored.
		return strings.ToValidUTF8(raw, "\uFFFD")
	}
	v := CleanText(raw, multiline)
	if n := utf8.RuneCountInString(v); n > max {
		fr.Errs[name] = fr.lz.T("Please keep this to {max} characters or fewer (it has {n}).", "max", num(fr.lz, max), "n", num(fr.lz, n))
	}
	return v
}

// CleanText normalises valid UTF-8 text as described on formReader.
func CleanText(s string, multiline bool) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			if multiline {
				return r
			}
			return ' '
		case unicode.IsControl(r), r == '\u2028', r == '\u2029', r == '\ufeff':
			return -1
		case unicode.Is(unicode.Bidi_Control, r):
			// Bidi overrides can disguise text shown to moderators.
			return -1
		}
		return r
	}, s)
	s = norm.NFC.String(s)
	return strings.TrimSpace(s)
}

// has reports whether a field already has a reading problem.
func (fr *formReader) has(name string) bool { _, ok := fr.Errs[name]; return ok }

// errorsWith starts a form's Validate result from the reading problems.
func (fr *formReader) errorsWith() map[string]string {
	out := make(map[string]string, len(fr.Errs))
	for k, v := range fr.Errs {
		out[k] = v
	}
	return out
}

// SetIfNone adds msg for name unless the field already has a message.
func SetIfNone(errs map[string]string, name, msg string) {
	if _, ok := errs[name]; !ok {
		errs[name] = msg
	}
}

var phoneRe = regexp.MustCompile(`^\+?[0-9 ().\-]+((\s*(ext\.?|x)\s*)[0-9]{1,6})?$`)

// validPhone accepts the ways people write North American and
// international numbers: digits, spaces, + - ( ) . and an extension.
func validPhone(s string) bool {
	if len(s) > 40 || !phoneRe.MatchString(strings.ToLower(s)) {
		return false
	}
	main := strings.ToLower(s)
	if i := strings.IndexAny(main, "ex"); i >= 0 {
		main = main[:i]
	}
	digits := 0
	for _, r := range main {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	return digits >= 7 && digits <= 15
}

// ValidEmail accepts a bare address (no display name) with a dotted domain.
func ValidEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	return at > 0 && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".") && !strings.ContainsAny(s, " \t")
}

// parsePastDate parses YYYY-MM-DD that is not after today (in the site's
// zone) nor absurdly old. The message says what is wrong in plain words.
func parsePastDate(lz *i18n.Localizer, s string, today time.Time) (time.Time, string) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, lz.T("Enter the date as year-month-day, for example 2026-03-14.")
	}
	if d.Year() < 1900 {
		return time.Time{}, lz.T("Enter a date after 1900.")
	}
	t := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	if d.After(t) {
		return time.Time{}, lz.T("The date can't be in the future.")
	}
	return d, ""
}

// rangeMsgs are the two messages of a number field: not a whole number
// (msgid only), out of range (with {min} and {max}). Each field has its
// own sentences, so a translation never has to fit a name into a frame.
type rangeMsgs struct{ notNumber, outOfRange string }

// parseIntRange parses an optional whole number within [lo, hi].
func parseIntRange(lz *i18n.Localizer, s string, lo, hi int, m rangeMsgs) (*int, string) {
	if s == "" {
		return nil, ""
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, lz.T(m.notNumber)
	}
	if n < lo || n > hi {
		return nil, lz.T(m.outOfRange, "min", num(lz, lo), "max", num(lz, hi))
	}
	return &n, ""
}

func InList(v string, list []string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
