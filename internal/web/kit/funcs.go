package kit

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"lostinnl/internal/feed"
	"lostinnl/internal/geo"
	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// TemplateFuncs are the helpers templates may call. None of them returns
// template.HTML built from data: escaping stays html/template's job.
func (h *Env) TemplateFuncs() template.FuncMap {
	// Asset URLs carry a content hash fixed at build time: work each one
	// out once here rather than concatenating it on every page render
	// (every layout asks for four or five).
	assetURLs := make(map[string]string, len(h.Assets.byName))
	for name := range h.Assets.byName {
		assetURLs[name] = h.Assets.URL(name)
	}
	fm := template.FuncMap{
		"asset": func(name string) string {
			if u, ok := assetURLs[name]; ok {
				return u
			}
			return h.Assets.URL(name)
		},
		"photo":     h.PhotoURL,
		"photoMax":  h.PhotoLimit, // per-photo size limit, "10 MB"
		"srcset":    h.Srcset,
		"date":      FormatDate,
		"isodate":   func(t time.Time) string { return t.Format(time.DateOnly) },
		"stamp":     h.Stamp,
		"isostamp":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"height":    FormatHeight,
		"weight":    FormatWeight,
		"sexLabel":  SexLabel,
		"caseURL":   func(id int64) string { return "/cases/" + strconv.FormatInt(id, 10) },
		"plural":    Plural,
		"field":     NewField,
		"summary":   ErrorSummary,
		"selected":  func(a, b string) bool { return a == b },
		"deref":     func(p *int) int { return *p },
		"regions":   func() []string { return store.Regions },
		"sexes":     func() []string { return store.Sexes },
		"ageText":   AgeText,
		"lastSeen":  h.LastSeenText,
		"statusTag": StatusLabel,
		"sentence":  sentenceCase,
		"slug":      Slug,
		// The maps' tile template and credit (templates/_map.html).
		"mapTiles":          func() string { return h.Tiles.Template },
		"mapAttribution":    func() string { return geo.Attribution },
		"mapAttributionURL": func() string { return geo.AttributionURL },
		// Atom feed paths for <link rel="alternate"> (internal/feed).
		"feedAll":    func() string { return feed.AllPath },
		"feedRegion": feed.RegionPath,
		"feedCase":   feed.CasePath,
		// ordinal numbers things for people, who count from 1.
		"ordinal": func(i int) int { return i + 1 },
	}
	// The text and link functions in English (NewLangRenderer binds them
	// per language); with them a set parsed by NewRenderer works too.
	for k, v := range h.LangFuncs(i18n.English) {
		fm[k] = v
	}
	return fm
}

func (h *Env) Srcset(key string) string {
	return h.PhotoURL(key, "320") + " 320w, " + h.PhotoURL(key, "800") + " 800w, " + h.PhotoURL(key, "1600") + " 1600w"
}

// Stamp is a moment in the site's time zone ("November 3, 2026 at 9:30 PM").
func (h *Env) Stamp(t time.Time) string {
	return t.In(h.Loc).Format("January 2, 2006 at 3:04 PM")
}

func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("January 2, 2006")
}

// FormatHeight shows centimetres and feet/inches ("170 cm (5 ft 7 in)").
func FormatHeight(cm *int) string {
	if cm == nil || *cm <= 0 {
		return ""
	}
	inches := int(math.Round(float64(*cm) / 2.54))
	return fmt.Sprintf("%d cm (%d ft %d in)", *cm, inches/12, inches%12)
}

// FormatWeight shows kilograms and pounds ("70 kg (154 lb)").
func FormatWeight(kg *int) string {
	if kg == nil || *kg <= 0 {
		return ""
	}
	return fmt.Sprintf("%d kg (%d lb)", *kg, int(math.Round(float64(*kg)*2.20462)))
}

func SexLabel(s string) string {
	switch s {
	case "female":
		return "Female"
	case "male":
		return "Male"
	case "other":
		return "Another gender"
	case "unknown", "":
		return "Not known"
	}
	return s
}

func StatusLabel(s store.Status) string {
	switch s {
	case store.StatusMissing:
		return "Missing"
	case store.StatusLocated:
		return "Located"
	}
	return string(s)
}

func AgeText(c *store.Case) string {
	if age, ok := c.AgeWhenLastSeen(); ok {
		return strconv.Itoa(age)
	}
	return ""
}

// LastSeenText is one line such as "November 3, 2026 at 21:30, Water Street, St. John's".
func (h *Env) LastSeenText(c *store.Case) string {
	var b strings.Builder
	b.WriteString(FormatDate(c.LastSeenDate))
	if c.LastSeenTime != "" {
		b.WriteString(" at " + c.LastSeenTime)
	}
	place := strings.TrimSpace(c.LastSeenPlace)
	if c.Community != "" && !strings.Contains(strings.ToLower(place), strings.ToLower(c.Community)) {
		if place != "" {
			place += ", "
		}
		place += c.Community
	}
	if place != "" {
		b.WriteString(", " + place)
	}
	return b.String()
}

func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// Field is what the "field" partial needs to draw one labelled control
// with its value, hint and error.
type Field struct {
	Name, ID, Label, Value, Error, Hint, Type, Autocomplete string
	Required                                                bool
	Max                                                     int
	Options                                                 []option
	Rows                                                    int
}

// option is one choice of a select. The "field" partial translates
// Label (in context Ctxt when set): the regions and sexes are the
// catalog's "region" and "sex" messages.
type option struct{ Value, Label, Ctxt string }

// NewField builds a field. opts are "key=value" strings (or bare flags):
// required, type=email|tel|date|number|textarea|select, max=200, hint=…,
// auto=… (autocomplete), rows=…, options=regions|sexes.
func NewField(name, label, value string, errs map[string]string, opts ...string) Field {
	f := Field{Name: name, ID: "f-" + name, Label: label, Value: value, Error: errs[name], Type: "text"}
	for _, o := range opts {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "required":
			f.Required = true
		case "type":
			f.Type = v
		case "max":
			f.Max, _ = strconv.Atoi(v) // template literal; a typo only drops maxlength
		case "rows":
			f.Rows, _ = strconv.Atoi(v)
		case "hint":
			f.Hint = v
		case "auto":
			f.Autocomplete = v
		case "options":
			f.Type = "select"
			switch v {
			case "regions":
				f.Options = []option{{"", i18n.Mark("Choose a region"), ""}}
				for _, r := range store.Regions {
					f.Options = append(f.Options, option{r, r, "region"})
				}
			case "sexes":
				f.Options = []option{{"", i18n.Mark("Choose one"), ""}}
				for _, s := range store.Sexes {
					f.Options = append(f.Options, option{s, SexLabel(s), "sex"})
				}
			}
		}
	}
	return f
}

type FieldError struct{ ID, Message string }

// ErrorSummary orders a form's errors as its fields appear on the page.
func ErrorSummary(errs map[string]string, order []string) []FieldError {
	var out []FieldError
	for _, name := range order {
		if m, ok := errs[name]; ok {
			out = append(out, FieldError{ID: "f-" + name, Message: m})
		}
	}
	return out
}

// sentenceCase capitalises the first letter ("search and rescue" →
// "Search and rescue") for headings built from stored lower-case labels.
func sentenceCase(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+utf8.RuneLen(r):]
	}
	return s
}

// Slug makes an id-safe token ("search and rescue" → "search-and-rescue"):
// ids may not contain spaces, and aria-labelledby splits on them.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}
