package kit

import (
	"net/http"
	"strings"

	"lostinnl/internal/i18n"
)

// LangFile is a file's or feed's address (an English site path, maybe
// with a query) for a link on r's page: files have no /fr path, so on a
// French page it asks for the French copy with lang=fr
// ("/cases/12/poster.pdf?size=a4" → "/cases/12/poster.pdf?size=a4&lang=fr").
// The routes that read it are kit.Route.LangQuery ones: the poster, the
// share picture, the feeds and the API.
func LangFile(r *http.Request, p string) string { return langFile(LangFrom(r.Context()), p) }

// langFile is LangFile for language l (the templates' langFile).
func langFile(l i18n.Lang, p string) string {
	if l != i18n.French {
		return p
	}
	if strings.Contains(p, "?") {
		return p + "&lang=fr"
	}
	return p + "?lang=fr"
}
