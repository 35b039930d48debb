package alerts

import (
	"net/http"

	"lostinnl/internal/mail"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// areaSave is POST /alerts: subscribe to new appeals in some regions.
func (h *handler) areaSave(w http.ResponseWriter, r *http.Request) error {
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	f := form.NewAlertsFormFor(kit.L(r), vals)
	if f.Honeypot != "" {
		h.formRejected("honeypot")
		http.Redirect(w, r, kit.LangPath(r, sentPath), http.StatusSeeOther)
		return nil
	}
	if errs := f.Validate(true); len(errs) > 0 {
		h.formRejected("invalid")
		return h.renderArea(w, r, http.StatusUnprocessableEntity, f, errs, "")
	}
	return h.subscribe(w, r, mail.SubscribeForm{Email: f.Email, Regions: f.Regions, Lang: kit.LangFrom(r.Context())}, func(notice string, status int) error {
		return h.renderArea(w, r, status, f, map[string]string{}, notice)
	})
}
