package admin

import (
	"lostinnl/internal/web/kit"
	"net/http"

	"lostinnl/internal/web/form"
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
	return h.AdminRender(w, r, http.StatusOK, "case_new.html", "Add a case", "cases", &caseFormView{Form: f, Order: form.AdminCaseFieldOrder})
}
