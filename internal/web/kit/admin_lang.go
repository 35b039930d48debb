package kit

import "net/http"

// TErrors is a form's field errors in the request's language. Validation
// keeps its messages as English msgids (written with i18n.Mark where they
// are set, so the catalog tests see them) and the handler translates the
// map once, just before rendering the form again. A message with no
// catalog entry (one built with its numbers in it) stays as it is.
func TErrors(r *http.Request, errs map[string]string) map[string]string {
	if len(errs) == 0 {
		return errs
	}
	lz := L(r)
	out := make(map[string]string, len(errs))
	for k, m := range errs {
		out[k] = lz.T(m)
	}
	return out
}
