package web

import (
	"net/http"
	"net/url"
	"path"
	"strings"

	"lostinnl/internal/i18n"
	"lostinnl/internal/web/kit"
)

// langPrefix serves the French site under /fr (issue 18): it takes the
// prefix off the path, records the language in the request's context
// (kit.LangFrom) and hands the request on, so the route table keeps one
// English pattern per page. "/fr" alone is sent to "/fr/" (308).
//
// Only pages are French. Under /fr these answer 404, never their English
// selves: the admin area (English until staff choose a language), the API
// and feeds (they take ?lang=fr instead: querylang.go), and files: media, static
// assets, the service worker, the manifest, sitemaps, posters, share
// pictures, CSV (any last segment with a dot). A French path that is not
// clean ("/fr//cases", "/fr/../admin", dot segments once decoded) is a 404
// too rather than the mux's redirect to a cleaned English path.
func (h *handler) langPrefix(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l := h.deps.forceLang
		// The prefix is read from the path as sent: "/fr%2Fcases" is not
		// under /fr (and is a 404 of the English site).
		ep := r.URL.EscapedPath()
		if ep == i18n.Prefix {
			u := i18n.Prefix + "/"
			if r.URL.RawQuery != "" {
				u += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, u, http.StatusPermanentRedirect)
			return
		}
		lang, rest := i18n.SplitPath(ep)
		if lang != i18n.French {
			if l != "" {
				r = r.WithContext(kit.WithLang(r.Context(), l))
			}
			next.ServeHTTP(w, r)
			return
		}
		r = r.WithContext(kit.WithLang(r.Context(), i18n.French))
		p, err := url.PathUnescape(rest)
		if err != nil || !frenchPage(p) {
			h.Fail(w, r, kit.ErrNotFound())
			return
		}
		u := *r.URL
		u.Path, u.RawPath = p, rest
		r.URL = &u
		r.RequestURI = u.RequestURI()
		next.ServeHTTP(w, r)
	})
}

// frenchPage: may p (decoded, without the prefix) be answered in French?
func frenchPage(p string) bool {
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	if clean != p || strings.ContainsAny(p, "\\\x00") {
		return false
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	switch first {
	case "admin", "api", "media", "static", "feeds", "pfif", "sitemaps", "healthz":
		return false
	}
	return !strings.Contains(path.Base(p), ".")
}

// langCacheKey makes a page's cache key tell its languages apart: the
// French page's key is its /fr path (the English key is unchanged). The
// English home page differs with the visitor's Accept-Language (the offer
// of the French site), so its key says which.
func (h *handler) langCacheKey(r *http.Request, key string) string {
	switch l := kit.LangFrom(r.Context()); {
	case l == i18n.French:
		return i18n.Prefix + key
	case l != i18n.English:
		return string(l) + "\x00" + key
	}
	if r.URL.Path == "/" && kit.SuggestFrench(r) {
		key += "\x00fr" // the home page's Vary: Accept-Language is site.home's
	}
	return key
}
