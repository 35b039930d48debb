package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"lostinnl/internal/i18n"
	"lostinnl/internal/web/kit"
)

// The API, feeds, posters and share pictures have no /fr path (a file's
// address is the same in both languages, and the API's paths are an
// interface partners depend on): they take the language from a lang
// query parameter instead (issue 18). Only "en" and "fr" are accepted, once,
// exactly as written, so a URL names one language in one way and the
// page cache keeps one copy per language.

// langParam is the query parameter's name.
const langParam = "lang"

// withLangParam is a route's cache parameters with lang added, so the
// French copy is kept (the cache keeps only URLs whose parameters it
// knows) and keyed apart from the English one.
func withLangParam(params []string) []string {
	if slices.Contains(params, langParam) {
		return params
	}
	return append(slices.Clone(params), langParam)
}

// queryLang records the language a LangQuery route's lang parameter asks
// for (kit.LangFrom), before the page cache and the handler see the
// request: langCacheKey then keys the French copy apart, error answers
// are French too, and handlers use kit.L and kit.LangPath as pages do.
// Without the parameter the request keeps the language it has (English,
// or a test's forced pseudo-locale). A bad value is a 400 that says what
// is accepted.
func (h *handler) queryLang(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang, given, err := parseQueryLang(r.URL.RawQuery)
		if err != nil {
			// In the language the request has without the parameter:
			// it did not name one the site could answer in.
			msg := kit.L(r).T(`The lang parameter must be "en" (English) or "fr" (French).`)
			if errors.Is(err, errLangRepeated) {
				msg = kit.L(r).T("Give the lang parameter only once.")
			}
			h.Fail(w, r, kit.ErrBadRequest(msg))
			return
		}
		if given {
			r = r.WithContext(kit.WithLang(r.Context(), lang))
		}
		next.ServeHTTP(w, r)
	})
}

var (
	errLangBad      = errors.New("lang is not en or fr")
	errLangRepeated = errors.New("lang given more than once")
)

// parseQueryLang reads lang from a raw query. An empty value counts as
// absent (a form that sends "lang="); a repeated one is refused even if
// the values agree, since the cache key would then differ for one page.
func parseQueryLang(rawQuery string) (lang i18n.Lang, given bool, err error) {
	vals, perr := url.ParseQuery(rawQuery)
	raw := vals[langParam]
	if perr != nil && len(raw) == 0 {
		// A malformed pair ("lang=fr%zz") is dropped by ParseQuery: it
		// still asked for a language, and not one we have.
		for _, kv := range strings.Split(rawQuery, "&") {
			if k, _, _ := strings.Cut(kv, "="); k == langParam {
				return i18n.English, false, errLangBad
			}
		}
	}
	switch {
	case len(raw) == 0:
		return i18n.English, false, nil
	case len(raw) > 1:
		return i18n.English, false, errLangRepeated
	}
	switch raw[0] {
	case "":
		return i18n.English, false, nil
	case "en":
		return i18n.English, true, nil
	case "fr":
		return i18n.French, true, nil
	}
	return i18n.English, false, errLangBad
}

// apiErrorLang: the API's 404 and 405 for a path or method no route has
// still follow a valid lang parameter (a bad one changes nothing there:
// the missing route is the error to report).
func apiErrorLang(r *http.Request) *http.Request {
	if !strings.HasPrefix(r.URL.Path, "/api/") {
		return r
	}
	if lang, given, err := parseQueryLang(r.URL.RawQuery); err == nil && given {
		return r.WithContext(kit.WithLang(r.Context(), lang))
	}
	return r
}
