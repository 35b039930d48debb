package alerts

import (
	"net/http"

	"lostinnl/internal/mail"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// followView is alerts_follow.html: the case page's follow form shown on
// its own again, with the visitor's address and a message, when it was
// not accepted (the case page itself stays one static, cached page).
type followView struct {
	Case    *store.Case
	Action  string
	Email   kit.Field
	Summary []kit.FieldError
	Notice  string
}

// followSave is POST /cases/{id}/follow: "Email me when this case
// changes". Only published cases that are still open can be followed.
func (h *handler) followSave(w http.ResponseWriter, r *http.Request) error {
	id, ok := kit.ParseID(r.PathValue("id"))
	if !ok {
		return kit.ErrNotFound()
	}
	c, err := h.Store.GetPublicCase(r.Context(), id)
	if err != nil {
		return err
	}
	if c.Status != store.StatusMissing {
		return errFollowClosed()
	}
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	f := form.NewAlertsForm(vals)
	if f.Honeypot != "" {
		h.formRejected("honeypot")
		http.Redirect(w, r, sentPath, http.StatusSeeOther)
		return nil
	}
	again := func(errs map[string]string, notice string, status int) error {
		v := &followView{
			Case: c, Action: r.URL.Path, Notice: notice,
			Email:   kit.NewField("email", "Your email", f.Email, errs, "required", "type=email", "max=254", "auto=email"),
			Summary: kit.ErrorSummary(errs, form.AlertsFieldOrder),
		}
		p := h.Page(r, "Follow the appeal for "+c.FullName)
		p.NoIndex = true
		p.Data = v
		return h.HTML(w, status, kit.CacheNone, "alerts_follow.html", p)
	}
	if errs := f.Validate(false); len(errs) > 0 {
		h.formRejected("invalid")
		return again(errs, "", http.StatusUnprocessableEntity)
	}
	return h.subscribe(w, r, mail.SubscribeForm{Email: f.Email, CaseID: c.ID, CaseName: c.FullName}, func(notice string, status int) error {
		return again(map[string]string{}, notice, status)
	})
}
