package kit

import (
	"net/http"

	"lostinnl/internal/i18n"
)

// TErrors is a form's field errors in the request's language. Validation
// keeps its messages as English msgids (written with i18n.Mark where they
// are set, so the catalog tests see them) and the handler translates the
// map once, just before rendering the form again. A message with no
// catalog entry (one built with its numbers in it) stays as it is.
func TErrors(r *http.Request, errs map[string]string) map[string]string {
	return TErrorsIn(L(r), errs)
}

// TErrorsIn is TErrors in lz's language. English messages are their own
// ids, so an English map is returned as it is.
func TErrorsIn(lz *i18n.Localizer, errs map[string]string) map[string]string {
	if len(errs) == 0 || lz.Lang() == i18n.English {
		return errs
	}
	out := make(map[string]string, len(errs))
	for k, m := range errs {
		out[k] = lz.T(m)
	}
	return out
}
