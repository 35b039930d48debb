package alerts

import (
	"net/http"
	"strconv"

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
	CaseURL string // the case page in the page's language
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
	f := form.NewAlertsFormFor(kit.L(r), vals)
	if f.Honeypot != "" {
		h.formRejected("honeypot")
		http.Redirect(w, r, kit.LangPath(r, sentPath), http.StatusSeeOther)
		return nil
	}
	lz := kit.L(r)
	again := func(errs map[string]string, notice string, status int) error {
		errs = translated(lz, errs)
		v := &followView{
			Case: c, CaseURL: kit.LangPath(r, "/cases/"+strconv.FormatInt(c.ID, 10)),
			// r.URL.Path has lost its /fr: the form posts back to the
			// page's language.
			Action: kit.LangPath(r, r.URL.Path), Notice: translate(lz, notice),
			Email:   kit.NewField("email", lz.T("Your email"), f.Email, errs, "required", "type=email", "max=254", "auto=email"),
			Summary: kit.ErrorSummary(errs, form.AlertsFieldOrder),
		}
		p := h.Page(r, lz.T("Follow the appeal for {name}", "name", c.FullName))
		p.NoIndex = true
		p.Data = v
		return h.HTML(w, status, kit.CacheNone, "alerts_follow.html", p)
	}
	if errs := f.Validate(false); len(errs) > 0 {
		h.formRejected("invalid")
		return again(errs, "", http.StatusUnprocessableEntity)
	}
	return h.subscribe(w, r, mail.SubscribeForm{Email: f.Email, CaseID: c.ID, CaseName: c.FullName, Lang: kit.LangFrom(r.Context())}, func(notice string, status int) error {
		return again(map[string]string{}, notice, status)
	})
}
