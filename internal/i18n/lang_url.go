package i18n

import (
	"strings"

	"golang.org/x/text/language"
)

// Prefix is the path prefix of the French site: /fr/cases/12 is
// /cases/12 in French. The paths after it are the English ones (one set
// of routes, and a shared link can be switched by adding or removing
// three characters).
const Prefix = "/fr"

// SplitPath reports the language of a request path and the path without
// the prefix: "/fr/cases/1" → French, "/cases/1"; "/fr" → French, "/";
// "/france" is English (the prefix must be a whole segment).
func SplitPath(p string) (Lang, string) {
	if p == Prefix {
		return French, "/"
	}
	if rest, ok := strings.CutPrefix(p, Prefix+"/"); ok {
		return French, "/" + rest
	}
	return English, p
}

// Path is p (an English site path starting with "/") in language l.
func Path(l Lang, p string) string {
	if l != French {
		return p
	}
	if p == "/" || p == "" {
		return Prefix + "/"
	}
	return Prefix + p
}

var matcher = language.NewMatcher([]language.Tag{language.MustParse("en-CA"), language.MustParse("fr-CA")})

// Suggest reads an Accept-Language header and reports whether the
// visitor prefers French to English: French listed before any English,
// at any region (fr, fr-FR, fr-CA). The site does not redirect on it; the
// home page offers the French version (issue 18).
func Suggest(acceptLanguage string) bool {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return false
	}
	_, i, conf := matcher.Match(tags...)
	return i == 1 && conf >= language.High
}
