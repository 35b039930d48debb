package site

import (
	"net/http"

	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// contactSave is POST /contact.
func (h *handler) contactSave(w http.ResponseWriter, r *http.Request) error {
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	f := form.NewContactFormFor(kit.L(r), vals)
	if f.Honeypot != "" {
		return h.honeypotHit(w, r, "contact", kit.LangPath(r, "/contact/thanks"))
	}
	if errs := f.Validate(); len(errs) > 0 {
		h.formRejected("contact", "invalid")
		return h.renderContact(w, r, http.StatusUnprocessableEntity, &contactView{Form: f, Errors: errs})
	}
	if _, err := h.Store.CreateMessage(r.Context(), f.StoreMessage()); err != nil {
		status := h.LogSaveFailure(r, "contact", err)
		return h.renderContact(w, r, status, &contactView{Form: f, Notice: saveFailed(r, "")})
	}
	http.Redirect(w, r, kit.LangPath(r, "/contact/thanks"), http.StatusSeeOther)
	return nil
}
