package alerts

import (
	"net/http"

	"lostinnl/internal/i18n"

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
	lz := kit.L(r)
	errs = translated(lz, errs)
	v := &areaView{
		Email:   kit.NewField("email", lz.T("Your email"), f.Email, errs, "required", "type=email", "max=254", "auto=email"),
		Error:   errs["region"],
		Summary: kit.ErrorSummary(errs, form.AlertsFieldOrder),
		Notice:  translate(lz, notice),
	}
	// The values stay the English names the form posts; the labels are
	// in the page's language.
	v.Regions = append(v.Regions, regionBox{store.AllRegions, lz.T("All of Newfoundland and Labrador"), "f-region", f.Has(store.AllRegions)})
	for _, reg := range store.Regions {
		v.Regions = append(v.Regions, regionBox{reg, lz.TC("region", reg), "f-region-" + kit.Slug(reg), f.Has(reg)})
	}
	p := h.Page(r, lz.T("Email alerts for your region"))
	p.Nav = "alerts"
	p.Description = lz.T("Get one email when a new missing person appeal is published in your region of Newfoundland and Labrador.")
	p.Canonical = h.BaseURL + kit.LangPath(r, "/alerts")
	p.Data = v
	return h.HTML(w, status, kit.CacheNone, "alerts.html", p)
}

// translated is a form's problems in the page's language: the form keeps
// them as English message ids (marked with i18n.Mark where written).
func translated(lz *i18n.Localizer, errs map[string]string) map[string]string {
	out := make(map[string]string, len(errs))
	for k, m := range errs {
		out[k] = lz.T(m)
	}
	return out
}

// translate is one notice in the page's language ("" stays "").
func translate(lz *i18n.Localizer, msg string) string {
	if msg == "" {
		return ""
	}
	return lz.T(msg)
}
