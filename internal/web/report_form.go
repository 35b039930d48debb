package web

import (
	"net/http"
)

type reportView struct {
	Form   *reportForm
	Errors map[string]string
	Order  []string
	Notice string
}

// reportForm is GET /submit: the empty "report a missing person" form.
func (h *handler) reportForm(w http.ResponseWriter, r *http.Request) error {
	return h.renderReport(w, r, http.StatusOK, &reportView{Form: &reportForm{}})
}

func (h *handler) renderReport(w http.ResponseWriter, r *http.Request, status int, v *reportView) error {
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	v.Order = reportFieldOrder
	title := "Report a missing person"
	if len(v.Errors) > 0 {
		title = "Check your report: " + title
	}
	p := h.page(r, title)
	p.Nav = "report"
	p.Description = "Families and friends can ask Missing Persons NL to share information about a person missing in Newfoundland and Labrador, after reporting to police."
	p.Canonical = h.baseURL + "/submit"
	p.Data = v
	return h.html(w, status, cacheNone, "submit.html", p)
}
