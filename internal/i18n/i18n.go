package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// Lang is one of the site's languages, as a BCP 47 tag.
type Lang string

const (
	English Lang = "en-CA"
	French  Lang = "fr-CA"
	// Pseudo is a pseudo-locale for tests: every message comes out with
	// accented look-alike letters in brackets ("［Ŝéàŕçĥ］"), so text a
	// page shows in plain ASCII was not looked up in the catalog.
	Pseudo Lang = "en-XA"
)

// Langs are the languages visitors choose from, the default first.
var Langs = []Lang{English, French}

// Short is the language's two-letter code, for <html lang> and hreflang
// ("en", "fr"): the content is Canadian either way, and the plain codes
// match what browsers send.
func (l Lang) Short() string {
	if l == French {
		return "fr"
	}
	return "en"
}

// Parse accepts the languages' codes ("fr", "fr-CA", "en", "en-CA", any
// case) and reports whether s was one.
func Parse(s string) (Lang, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "en", "en-ca":
		return English, true
	case "fr", "fr-ca":
		return French, true
	}
	return English, false
}

// Each language's catalog is a folder of .po files, one per part of the
// product (site.po, admin.po, mail.po…): translators take a part at a
// time, and work on one part never touches another's file. Together they
// are one catalog; a message defined in two files is an error, so every
// text has one translation to review.
//
//go:embed locales/*/*.po
var localeFiles embed.FS

var (
	loadOnce sync.Once
	catalogs map[Lang]*catalog
	loadErr  error
)

func load() {
	catalogs = map[Lang]*catalog{}
	for _, l := range Langs {
		c, err := loadLang(localeFiles, l)
		if err != nil {
			loadErr = err
			return
		}
		catalogs[l] = c
	}
}

// loadLang merges the .po files of l's folder, in name order.
func loadLang(fsys fs.FS, l Lang) (*catalog, error) {
	dir := "locales/" + string(l)
	files, err := fs.Glob(fsys, dir+"/*.po")
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("i18n: %s: no .po files in %s", l, dir)
	}
	var all *catalog
	from := map[string]string{} // message key → file that defined it
	for _, name := range files {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		c, err := parsePO(f)
		_ = f.Close()
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		if all == nil {
			all = &catalog{entries: map[string]entry{}, nplurals: c.nplurals}
		}
		if c.nplurals != all.nplurals {
			return nil, fmt.Errorf("i18n: %s: Plural-Forms has %d forms, %s has %d", name, c.nplurals, files[0], all.nplurals)
		}
		for k, e := range c.entries {
			if prev, dup := from[k]; dup {
				return nil, fmt.Errorf("i18n: %s: message %q is also in %s", name, strings.ReplaceAll(k, "\x04", "|"), prev)
			}
			from[k] = name
			all.entries[k] = e
		}
	}
	return all, nil
}

// Mark returns msgid as it is. It marks a message written in Go where
// it is not yet translated — a table of labels, a problem stored to be
// shown later — so the catalog tests find it (gettext's N_); the code
// translates the stored text with T when it shows it.
func Mark(msgid string) string { return msgid }

// MarkC is Mark for a message with a context, translated later by TC.
func MarkC(ctxt, msgid string) string { return msgid }

// Check loads the embedded catalogs and reports the first error. The
// server calls it at start-up so a broken catalog stops it there, not on
// the first French page.
func Check() error {
	loadOnce.Do(load)
	return loadErr
}

// Localizer formats and translates for one language. Safe for concurrent
// use; get one with For.
type Localizer struct {
	lang Lang
	tag  language.Tag
	cat  *catalog
	// collator is not safe for concurrent use: one per call of Compare
	// would allocate tables each time, so a pool.
	collators sync.Pool
}

var localizers sync.Map // Lang → *Localizer

// For returns the localizer of l; unknown languages get English.
func For(l Lang) *Localizer {
	if v, ok := localizers.Load(l); ok {
		return v.(*Localizer)
	}
	loadOnce.Do(load)
	switch l {
	case English, French, Pseudo:
	default:
		l = English
	}
	lz := &Localizer{lang: l, tag: language.MustParse(string(l)), cat: catalogs[l]}
	if l == Pseudo {
		lz.tag = language.MustParse(string(English))
	}
	lz.collators.New = func() any { return collate.New(lz.tag, collate.Loose, collate.Numeric) }
	v, _ := localizers.LoadOrStore(l, lz)
	return v.(*Localizer)
}

// Lang is the localizer's language.
func (lz *Localizer) Lang() Lang { return lz.lang }

// T translates msgid and fills its {name} arguments from args, given as
// name, value pairs.
func (lz *Localizer) T(msgid string, args ...any) string {
	return lz.TC("", msgid, args...)
}

// TC is T with a context, for one English text with two meanings.
func (lz *Localizer) TC(ctxt, msgid string, args ...any) string {
	s := msgid
	if lz.cat != nil {
		if e, ok := lz.cat.entries[key(ctxt, msgid)]; ok {
			s = e.forms[0]
		}
	}
	return lz.finish(s, args)
}

// N chooses the singular or plural form by n, with CLDR's plural rules
// for the language (French: 0 and 1 are singular), and fills {n} with n
// formatted as a number, and the other {name} arguments from args.
func (lz *Localizer) N(singular, pluralForm string, n int, args ...any) string {
	one := lz.pluralOne(n)
	s := pluralForm
	if one {
		s = singular
	}
	if lz.cat != nil {
		if e, ok := lz.cat.entries[key("", singular)]; ok && len(e.forms) >= 2 {
			if one {
				s = e.forms[0]
			} else {
				s = e.forms[len(e.forms)-1]
			}
		}
	}
	return lz.finish(s, append(args, "n", lz.Number(n)))
}

// pluralOne: both languages have two gettext forms, singular first; CLDR
// says which numbers take the singular ("one"). French's "many" (a
// million, in compact forms) takes gettext's plural form, as "other".
func (lz *Localizer) pluralOne(n int) bool {
	abs := n
	if abs < 0 {
		abs = -abs
	}
	return plural.Cardinal.MatchPlural(lz.tag, abs, 0, 0, 0, 0) == plural.One
}

func (lz *Localizer) finish(s string, args []any) string {
	if lz.lang == Pseudo {
		s = pseudo(s)
	}
	if len(args) == 0 || !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		name := s[i+1 : i+j]
		b.WriteString(s[:i])
		if v, ok := arg(args, name); ok {
			b.WriteString(v)
		} else {
			// Left visible: a missing argument is a bug a test should see.
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
}

func arg(args []any, name string) (string, bool) {
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok && k == name {
			switch v := args[i+1].(type) {
			case string:
				return v, true
			case fmt.Stringer:
				return v.String(), true
			default:
				return fmt.Sprint(v), true
			}
		}
	}
	return "", false
}

// Compare orders two strings as the language sorts them, ignoring
// accents and case at first (Côté sorts with Cote), for lists of names,
// communities and resources.
func (lz *Localizer) Compare(a, b string) int {
	c := lz.collators.Get().(*collate.Collator)
	defer lz.collators.Put(c)
	return c.CompareString(a, b)
}

// Has reports whether the language's catalog translates msgid (in
// context ctxt; plural messages by their singular): the completeness
// tests ask it for every message the site uses.
func (lz *Localizer) Has(ctxt, msgid string) bool {
	if lz.cat == nil {
		return false
	}
	e, ok := lz.cat.entries[key(ctxt, msgid)]
	return ok && len(e.forms) > 0 && e.forms[0] != ""
}
