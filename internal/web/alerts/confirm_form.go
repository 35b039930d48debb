package alerts

import (
	"net/http"

	"lostinnl/internal/i18n"

	"lostinnl/internal/web/kit"
)

// maxToken bounds a token taken from a URL or form (ours are 43 and 76
// characters); anything longer is not one of ours.
const maxToken = 200

// errBadConfirm answers a confirmation link that is unknown, used or
// expired: the three are not told apart (a guessed token learns nothing).
func errBadConfirm() error {
	return &kit.HTTPError{Status: http.StatusNotFound, Msg: i18n.Mark("This confirmation link does not work any more. It may have been used already, it may be older than 48 hours, or part of it may be missing. If you still want alerts, ask for them again: a new link will be emailed to you.")}
}

// confirmForm is GET /alerts/confirm?token=…: a page with one button.
// Confirming takes a POST because mail scanners and link previews open
// GET links by themselves, and must not confirm anything.
func (h *handler) confirmForm(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("token")
	if token == "" || len(token) > maxToken {
		return errBadConfirm()
	}
	noReferrer(w)
	p := h.Page(r, kit.L(r).T("Confirm your email alerts"))
	p.NoIndex = true
	p.Data = struct{ Token string }{token}
	return h.HTML(w, http.StatusOK, kit.CacheNone, "alerts_confirm.html", p)
}

// noReferrer keeps a page's token out of the Referer of whatever it links
// to (our own pages included: nginx logs Referers).
func noReferrer(w http.ResponseWriter) { w.Header().Set("Referrer-Policy", "no-referrer") }
