package mail

import (
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// The mail templates' functions, bound to one language (issue 18): the
// text of every message comes from the catalog (internal/i18n/locales,
// mail.po), dates and times in the reader's way of writing them.

// commonFuncs are the functions the text and HTML templates share.
func commonFuncs(lz *i18n.Localizer) map[string]any {
	return map[string]any{
		"t":        lz.T,
		"tc":       lz.TC,
		"n":        lz.N,
		"lang":     func() string { return lz.Lang().Short() },
		"subject":  func(c Content) string { return c.Subject(lz) },
		"lastSeen": func(c CaseInfo) string { return lastSeen(lz, c) },
		"region":   func(r string) string { return lz.TC("region", r) },
		"regions":  func(rs []string) string { return regionsPhrase(lz, rs) },
	}
}

func textFuncs(lz *i18n.Localizer) texttemplate.FuncMap {
	fm := texttemplate.FuncMap(commonFuncs(lz))
	// In text the markup helpers give the plain value, so one message
	// serves both parts.
	fm["th"] = lz.T
	fm["strong"] = func(s string) string { return s }
	fm["tel"] = func(s string) string { return s }
	return fm
}

func htmlFuncs(lz *i18n.Localizer) htmltemplate.FuncMap {
	fm := htmltemplate.FuncMap(commonFuncs(lz))
	// th is t for a message whose arguments carry markup (strong, tel):
	// the catalog is ours and embedded, its text trusted; string
	// arguments are data and are escaped, template.HTML ones were built
	// (and escaped) by strong and tel.
	fm["th"] = func(msgid string, args ...any) htmltemplate.HTML {
		for i := 1; i < len(args); i += 2 {
			if s, ok := args[i].(string); ok {
				args[i] = htmltemplate.HTMLEscapeString(s)
			}
		}
		return htmltemplate.HTML(lz.T(msgid, args...)) // catalog text, escaped args: see above
	}
	fm["strong"] = func(s string) htmltemplate.HTML {
		return htmltemplate.HTML("<strong>" + htmltemplate.HTMLEscapeString(s) + "</strong>") // escaped value
	}
	fm["tel"] = func(s string) htmltemplate.HTML {
		// A telephone number typed by staff: only its digits and + go
		// into the tel: link, the text is shown escaped.
		var digits strings.Builder
		for _, r := range s {
			if r >= '0' && r <= '9' || r == '+' {
				digits.WriteRune(r)
			}
		}
		return htmltemplate.HTML(`<a href="tel:` + digits.String() + `">` + htmltemplate.HTMLEscapeString(s) + `</a>`) // digits only, escaped text
	}
	return fm
}

// mailDate is a date in a message: English mail keeps the form it always
// had ("14 March 2026"); French is "1er décembre 2026".
func mailDate(lz *i18n.Localizer, c CaseInfo) string {
	if c.LastSeenDate.IsZero() {
		return ""
	}
	if lz.Lang() == i18n.English {
		return c.LastSeenDate.Format("2 January 2006")
	}
	return lz.Date(c.LastSeenDate)
}

// lastSeen is "14 March 2026, 9:40 PM, Water Street, Harbour Grace" /
// "14 mars 2026, 21 h 40, Water Street, Harbour Grace": what is known of
// it.
func lastSeen(lz *i18n.Localizer, c CaseInfo) string {
	var clock string
	if c.LastSeenTime != "" {
		clock = lz.ClockText(c.LastSeenTime)
	}
	return strings.Join(nonEmpty(mailDate(lz, c), clock, c.LastSeenPlace), ", ")
}

// regionsPhrase names the regions of an area subscription as the
// confirmation mail says them: "anywhere in Newfoundland and Labrador",
// "the Avalon region", "the Avalon, Central and Western regions" ("la
// région d'Avalon", "les régions d'Avalon, du Centre et de l'Ouest": a
// region's name after "région" takes its preposition, hence the context).
func regionsPhrase(lz *i18n.Localizer, regions []string) string {
	for _, r := range regions {
		if r == store.AllRegions {
			return lz.T("anywhere in Newfoundland and Labrador")
		}
	}
	names := make([]string, len(regions))
	for i, r := range regions {
		names[i] = lz.TC("region, after “the … region”", r)
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return lz.T("the {region} region", "region", names[0])
	}
	return lz.T("the {regions} and {last} regions", "regions", strings.Join(names[:len(names)-1], ", "), "last", names[len(names)-1])
}

// The contexts of region names the code above uses, for the catalog.
var _ = []string{
	i18n.MarkC("region, after “the … region”", "Eastern"),
	i18n.MarkC("region, after “the … region”", "Central"),
	i18n.MarkC("region, after “the … region”", "Western"),
	i18n.MarkC("region, after “the … region”", "Avalon"),
	i18n.MarkC("region, after “the … region”", "Labrador"),
}
