package admin

import (
	"net/http"

	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// caseFormView is the data of admin/case_new.html.
type caseFormView struct {
	Form   *form.AdminCaseForm
	Errors map[string]string
	Order  []string
	Notice string
}

// adminCaseNew is GET /admin/cases/new: an empty case form. New cases start
// pending; publishing is a separate, confirmed step.
func (h *handler) adminCaseNew(w http.ResponseWriter, r *http.Request) error {
	f := form.NewAdminCaseFormFor(kit.L(r), nil)
	return h.renderCaseNew(w, r, http.StatusOK, &caseFormView{Form: f, Order: form.AdminCaseFieldOrder})
}

// renderCaseNew renders the new-case form with its messages in the
// page's language.
func (h *handler) renderCaseNew(w http.ResponseWriter, r *http.Request, status int, v *caseFormView) error {
	lz := kit.L(r)
	v.Errors = kit.TErrorsIn(lz, v.Errors)
	if v.Notice != "" {
		v.Notice = lz.T(v.Notice)
	}
	return h.AdminRender(w, r, status, "case_new.html", lz.TC("admin cases", "Add a case"), "cases", v)
}
