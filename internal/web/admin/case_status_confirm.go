package admin

import "net/http"

// adminCaseStatusConfirm is GET /admin/cases/{id}/status?to=…: asks "are
// you sure" and explains what the change does to the public page.
func (h *handler) adminCaseStatusConfirm(w http.ResponseWriter, r *http.Request) error {
	c, t, err := h.caseTransition(r, r.URL.Query().Get("to"))
	if err != nil {
		return err
	}
	return h.AdminRender(w, r, http.StatusOK, "case_status.html", t.Label, "cases", &statusView{Case: c, T: t, RetDays: h.days})
}
