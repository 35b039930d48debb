package alerts

import (
	"net/http"

	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// areaView is alerts.html, the area alerts page.
type areaView struct {
	Email   kit.Field
	Regions []regionBox
	Error   string // the regions' message
	Summary []kit.FieldError
	Notice  string
}

type regionBox struct {
	Value, Label, ID string
	Checked          bool
}

// areaForm is GET /alerts: one email when a new appeal is published in
// the regions a visitor chooses.
func (h *handler) areaForm(w http.ResponseWriter, r *http.Request) error {
	return h.renderArea(w, r, http.StatusOK, &form.AlertsForm{}, map[string]string{}, "")
}

func (h *handler) renderArea(w http.ResponseWriter, r *http.Request, status int, f *form.AlertsForm, errs map[string]string, notice string) error {
	v := &areaView{
		Email:   kit.NewField("email", "Your email", f.Email, errs, "required", "type=email", "max=254", "auto=email"),
		Error:   errs["region"],
		Summary: kit.ErrorSummary(errs, form.AlertsFieldOrder),
		Notice:  notice,
	}
	v.Regions = append(v.Regions, regionBox{store.AllRegions, "All of Newfoundland and Labrador", "f-region", f.Has(store.AllRegions)})
	for _, reg := range store.Regions {
		v.Regions = append(v.Regions, regionBox{reg, reg, "f-region-" + kit.Slug(reg), f.Has(reg)})
	}
	p := h.Page(r, "Email alerts for your region")
	p.Nav = "alerts"
	p.Description = "Get one email when a new missing person appeal is published in your region of Newfoundland and Labrador."
	p.Canonical = h.BaseURL + "/alerts"
	p.Data = v
	return h.HTML(w, status, kit.CacheNone, "alerts.html", p)
}
