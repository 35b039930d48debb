package kit

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"lostinnl/internal/feed"
	"lostinnl/internal/i18n"
)

// The language of a request comes from its path only (issue 18): /fr/…
// is French, everything else English. The web layer's language
// middleware strips the prefix and records the language here, so the
// route table keeps one English pattern per page.

type langKey struct{}

// WithLang records the request's language.
func WithLang(ctx context.Context, l i18n.Lang) context.Context {
	return context.WithValue(ctx, langKey{}, l)
}

// HasLang reports whether a language was recorded for the request: the
// /fr prefix, or a test's forced language. The admin area's session
// middleware sets the staff member's own language only when none was.
func HasLang(ctx context.Context) bool {
	_, ok := ctx.Value(langKey{}).(i18n.Lang)
	return ok
}

// LangFrom is the request's language; English when none was recorded
// (requests built by tests, the admin sign-in page).
func LangFrom(ctx context.Context) i18n.Lang {
	if l, ok := ctx.Value(langKey{}).(i18n.Lang); ok {
		return l
	}
	return i18n.English
}

// L is the localizer of the request's language, for text a handler
// builds in Go (titles, descriptions, error messages).
func L(r *http.Request) *i18n.Localizer { return i18n.For(LangFrom(r.Context())) }

// LangPath is p (an English site path, maybe with a query) as a link in
// the request's language.
func LangPath(r *http.Request, p string) string { return i18n.Path(LangFrom(r.Context()), p) }

// LangLinks are the layout's language links for the current page: both
// versions of the same path and query (hreflang alternates and the
// language switch).
type LangLinks struct {
	English, French string // absolute URLs
	// Switch is the other language's path (relative), SwitchLabel its
	// name in that language, SwitchLang its code for hreflang/lang.
	Switch, SwitchLabel, SwitchLang string
}

// languageLinks builds LangLinks for r, whose URL has the prefix already
// stripped. Only the path and the query are kept; the base is the site's.
func (h *Env) languageLinks(r *http.Request) *LangLinks {
	p := r.URL.EscapedPath()
	if p == "" {
		p = "/"
	}
	if q := linkQuery(r); q != "" {
		p += "?" + q
	}
	fr := i18n.Path(i18n.French, p) // "/?q=1" → "/fr/?q=1"
	l := &LangLinks{English: h.BaseURL + p, French: h.BaseURL + fr}
	if LangFrom(r.Context()) == i18n.French {
		l.Switch, l.SwitchLabel, l.SwitchLang = p, "English", "en"
	} else {
		l.Switch, l.SwitchLabel, l.SwitchLang = fr, "Français", "fr"
	}
	return l
}

// SuggestFrench: the English home page offers the French version to a
// browser that prefers French (no redirect). The page cache keys on it.
func SuggestFrench(r *http.Request) bool {
	return LangFrom(r.Context()) == i18n.English && r.URL.Path == "/" && i18n.Suggest(r.Header.Get("Accept-Language"))
}

// TH is lz.T for a message that holds markup (a link, <strong>): the
// catalog is ours and embedded, so its text is trusted HTML; the arguments
// are data and are escaped before they go in. Templates call it as th.
func TH(lz *i18n.Localizer, msgid string, args ...any) template.HTML {
	for i := 1; i < len(args); i += 2 {
		if s, ok := args[i].(string); ok {
			args[i] = template.HTMLEscapeString(s)
		}
	}
	return template.HTML(lz.T(msgid, args...)) // catalog text, escaped args: see above
}

// langFuncs are the template functions bound to one language: text
// (t, tc, n, th), formats (date, stamp, height, weight) and links
// (path). Every page template set is parsed once per language with them.
func (h *Env) LangFuncs(l i18n.Lang) template.FuncMap {
	lz := i18n.For(l)
	fm := template.FuncMap{
		"t":  lz.T,
		"tc": lz.TC,
		"n":  lz.N,
		// th is t for a message that holds markup (a link, <strong>):
		// the catalog is ours and embedded, so its text is trusted HTML;
		// the arguments are data and are escaped before they go in.
		"th":   func(msgid string, args ...any) template.HTML { return TH(lz, msgid, args...) },
		"path": func(p string) string { return i18n.Path(l, p) },
		"lang": func() string { return l.Short() },
		// langFile is path for a file or feed, which have no /fr path:
		// lang=fr on a French page (LangFile).
		"langFile": func(p string) string { return langFile(l, p) },
		// The scripts' messages (client.go); nil on English pages.
		"clientMessages": func() string { return ClientMessagesJSON(l) },
	}
	if l == i18n.French {
		// The French pages' feed links name the French feeds.
		fm["feedAll"] = func() string { return langFile(l, feed.AllPath) }
		fm["feedRegion"] = func(region string) string { return langFile(l, feed.RegionPath(region)) }
		fm["feedCase"] = func(id int64) string { return langFile(l, feed.CasePath(id)) }
	}
	if l != i18n.English {
		// English keeps the functions it always had (same bytes).
		fm["date"] = lz.Date
		fm["stamp"] = func(t time.Time) string { return lz.Stamp(t, h.Loc) }
		fm["height"] = func(cm *int) string {
			if cm == nil {
				return ""
			}
			return lz.Height(*cm)
		}
		fm["photoMax"] = func() string { return h.PhotoLimitIn(lz) }
		fm["weight"] = func(kg *int) string {
			if kg == nil {
				return ""
			}
			return lz.Weight(*kg)
		}
	}
	return fm
}

// otherLang is the language the switch leads to.
func (l *LangLinks) otherLang() i18n.Lang {
	if l.SwitchLang == "fr" {
		return i18n.French
	}
	return i18n.English
}

type linkParamsKey struct{}

// WithLinkParams records the query parameters the route reads (its
// kit.Route.CacheQuery): the language links keep those and no others, so
// a page never echoes parameters it ignores (and its cached copy, keyed
// on the same parameters, is the same for every request it answers).
func WithLinkParams(ctx context.Context, params []string) context.Context {
	return context.WithValue(ctx, linkParamsKey{}, params)
}

// linkQuery is r's query reduced to the route's parameters, in their
// order and as sent; "live" (the live search's fetches) is never a link.
func linkQuery(r *http.Request) string {
	params, _ := r.Context().Value(linkParamsKey{}).([]string)
	if len(params) == 0 || r.URL.RawQuery == "" {
		return ""
	}
	var b strings.Builder
	for rest := r.URL.RawQuery; rest != ""; {
		var kv string
		kv, rest, _ = strings.Cut(rest, "&")
		k, _, _ := strings.Cut(kv, "=")
		name, err := url.QueryUnescape(k)
		if err != nil || name == "live" || !slices.Contains(params, name) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(kv)
	}
	return b.String()
}
