package site

import (
	"net/http"

	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

type reportView struct {
	Form   *form.ReportForm
	Errors map[string]string
	Order  []string
	Notice string
	// Hold is the photos held for this form (report_photos.go).
	Hold formHold
}

// HeldPhotos are the thumbnails of the photos held for the form.
func (v *reportView) HeldPhotos() []heldThumb { return v.Hold.thumbs() }

// FormToken is the value of the hidden token field ("" when nothing is
// held: a token is drawn when the first photo is).
func (v *reportView) FormToken() string {
	if len(v.Hold.photos) == 0 {
		return "" // the next post would find nothing under it anyway
	}
	return v.Hold.token
}

// PhotoMax is how many photos a report may have.
func (v *reportView) PhotoMax() int { return kit.MaxReportPhotos }

// PhotoRoom is how many more photos may be added.
func (v *reportView) PhotoRoom() int { return max(0, kit.MaxReportPhotos-len(v.Hold.photos)) }

// reportForm is GET /submit: the empty "report a missing person" form.
func (h *handler) reportForm(w http.ResponseWriter, r *http.Request) error {
	return h.renderReport(w, r, http.StatusOK, &reportView{Form: &form.ReportForm{}})
}

func (h *handler) renderReport(w http.ResponseWriter, r *http.Request, status int, v *reportView) error {
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	v.Order = form.ReportFieldOrder
	lz := kit.L(r)
	title := lz.T("Report a missing person")
	if len(v.Errors) > 0 {
		title = lz.T("Check your report: {title}", "title", title)
	}
	p := h.Page(r, title)
	p.Nav = "report"
	p.Description = lz.T("Families and friends can ask Missing Persons NL to share information about a person missing in Newfoundland and Labrador, after reporting to police.")
	p.Canonical = h.BaseURL + kit.LangPath(r, "/submit")
	p.Data = v
	return h.HTML(w, status, kit.CacheNone, "submit.html", p)
}
