package i18n

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// entry is one translated message: a singular msgstr, or the plural forms
// in the order the catalog's Plural-Forms header numbers them.
type entry struct {
	forms []string
}

// catalog is one language's messages, keyed by msgctxt "\x04" msgid (the
// key gettext's own runtime uses).
type catalog struct {
	entries map[string]entry
	// nplurals from the Plural-Forms header; the forms are mapped to
	// CLDR categories by pluralOrder.
	nplurals int
}

func key(ctxt, id string) string {
	if ctxt == "" {
		return id
	}
	return ctxt + "\x04" + id
}

// parsePO reads a gettext .po file: msgctxt, msgid, msgid_plural, msgstr
// and msgstr[N], strings continued on following lines, the C escapes
// gettext writes, comments. Fuzzy entries and empty translations are
// left out, so the caller falls back to the English text rather than
// showing a guess or nothing.
func parsePO(r io.Reader) (*catalog, error) {
	c := &catalog{entries: map[string]entry{}, nplurals: 2}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var (
		ctxt, id, idPlural string
		strs               = map[int]string{}
		fuzzy, pluralEntry bool
		nextFuzzy          bool         // a "#, fuzzy" seen before the next entry
		last               func(string) // extends the string a continuation line continues
		lineNo, entryLine  int
		started            bool
	)
	flush := func() error {
		if !started {
			return nil
		}
		defer func() {
			ctxt, id, idPlural, strs, fuzzy, pluralEntry, last, started = "", "", "", map[int]string{}, false, false, nil, false
		}()
		if id == "" && ctxt == "" {
			// The header: only Plural-Forms matters here.
			return c.header(strs[0])
		}
		n := 1
		if pluralEntry {
			n = c.nplurals
		}
		forms := make([]string, n)
		for i := range forms {
			s, ok := strs[i]
			if !ok || s == "" {
				return nil // untranslated: fall back to English
			}
			forms[i] = s
		}
		if len(strs) != n {
			return fmt.Errorf("line %d: %d msgstr forms, want %d", entryLine, len(strs), n)
		}
		if fuzzy {
			return nil
		}
		k := key(ctxt, id)
		if _, dup := c.entries[k]; dup {
			return fmt.Errorf("line %d: duplicate message %q", entryLine, id)
		}
		c.entries[k] = entry{forms: forms}
		return nil
	}
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
			last = nil
			continue
		case strings.HasPrefix(line, "#,"):
			// Flags belong to the entry that follows (the one before may
			// still be open: it ends at the next msgctxt or msgid).
			nextFuzzy = nextFuzzy || strings.Contains(line, "fuzzy")
			continue
		case strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, `"`):
			if last == nil {
				return nil, fmt.Errorf("line %d: string outside an entry", lineNo)
			}
			s, err := unquote(line)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", lineNo, err)
			}
			last(s)
			continue
		}
		kw, rest, ok := strings.Cut(line, " ")
		if !ok {
			return nil, fmt.Errorf("line %d: %q is not a .po line", lineNo, line)
		}
		s, err := unquote(strings.TrimSpace(rest))
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", lineNo, err)
		}
		// A msgctxt or msgid after a msgstr starts the next entry.
		if (kw == "msgctxt" || kw == "msgid") && started && len(strs) > 0 {
			if err := flush(); err != nil {
				return nil, err
			}
		}
		if !started {
			started, entryLine = true, lineNo
			fuzzy, nextFuzzy = nextFuzzy, false
		}
		switch {
		case kw == "msgctxt":
			ctxt = s
			last = func(s string) { ctxt += s }
		case kw == "msgid":
			id = s
			last = func(s string) { id += s }
		case kw == "msgid_plural":
			idPlural, pluralEntry = s, true
			last = func(s string) { idPlural += s }
		case kw == "msgstr" || strings.HasPrefix(kw, "msgstr[") && strings.HasSuffix(kw, "]"):
			i := 0
			if kw != "msgstr" {
				n, err := strconv.Atoi(kw[len("msgstr[") : len(kw)-1])
				if err != nil || n < 0 || n > 5 {
					return nil, fmt.Errorf("line %d: bad plural index in %s", lineNo, kw)
				}
				i = n
			}
			if _, dup := strs[i]; dup {
				return nil, fmt.Errorf("line %d: %s given twice", lineNo, kw)
			}
			strs[i] = s
			m := strs
			last = func(s string) { m[i] += s }
		default:
			return nil, fmt.Errorf("line %d: unknown keyword %q", lineNo, kw)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return c, nil
}

var errQuote = errors.New("a .po string must be in double quotes")

func unquote(s string) (string, error) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", errQuote
	}
	var b strings.Builder
	body := s[1 : len(s)-1]
	for i := 0; i < len(body); i++ {
		ch := body[i]
		if ch == '"' {
			return "", errors.New("unescaped double quote inside a .po string")
		}
		if ch != '\\' {
			b.WriteByte(ch)
			continue
		}
		i++
		if i == len(body) {
			return "", errors.New("a .po string ends with a backslash")
		}
		switch body[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case '"', '\\':
			b.WriteByte(body[i])
		default:
			return "", fmt.Errorf("unknown escape \\%c in a .po string", body[i])
		}
	}
	return b.String(), nil
}

// header reads nplurals from the Plural-Forms line. The plural expression
// itself is not evaluated: plural categories come from CLDR (see
// pluralForm), and the catalog's forms must be ordered as gettext orders
// them for the language, which the tests check.
func (c *catalog) header(h string) error {
	for _, line := range strings.Split(h, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(k) != "Plural-Forms" {
			continue
		}
		for _, part := range strings.Split(v, ";") {
			pk, pv, ok := strings.Cut(strings.TrimSpace(part), "=")
			if ok && strings.TrimSpace(pk) == "nplurals" {
				n, err := strconv.Atoi(strings.TrimSpace(pv))
				if err != nil || n < 1 || n > 6 {
					return fmt.Errorf("bad nplurals in Plural-Forms: %q", pv)
				}
				c.nplurals = n
			}
		}
	}
	return nil
}
