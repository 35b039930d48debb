package site

import (
	"net/http"

	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

type contactView struct {
	Form   *form.ContactForm
	Errors map[string]string
	Order  []string
	Notice string
}

// contactForm is GET /contact.
func (h *handler) contactForm(w http.ResponseWriter, r *http.Request) error {
	return h.renderContact(w, r, http.StatusOK, &contactView{Form: &form.ContactForm{}})
}

func (h *handler) renderContact(w http.ResponseWriter, r *http.Request, status int, v *contactView) error {
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	v.Order = form.ContactFieldOrder
	lz := kit.L(r)
	p := h.Page(r, lz.T("Contact the team"))
	p.Nav = "contact"
	p.Description = lz.T("Contact the Missing Persons NL team. For emergencies call 911; for information about a case, use the tip form on its page.")
	p.Canonical = h.BaseURL + kit.LangPath(r, "/contact")
	p.Data = v
	return h.HTML(w, status, kit.CacheNone, "contact.html", p)
}
