package form

import (
	"net/url"
	"strconv"

	"lostinnl/internal/web/kit"
)

// ReportAddForm is "add information or photos" on the reporter's page.
type ReportAddForm struct {
	Message    string
	PhotoCount int
	Honeypot   string
	read       *formReader
}

func NewReportAddForm(vals url.Values, photoCount int) *ReportAddForm {
	fr := NewFormReader(vals)
	return &ReportAddForm{
		Message:    fr.Text("message", 5000),
		PhotoCount: photoCount,
		Honeypot:   vals.Get(honeypotField),
		read:       fr,
	}
}

func (f *ReportAddForm) Validate() map[string]string {
	errs := f.read.errorsWith()
	if f.Message == "" && f.PhotoCount == 0 && len(errs) == 0 {
		errs["message"] = "Write what you want to add, or choose at least one photo."
	}
	if f.PhotoCount > kit.MaxReportPhotos {
		errs["photos"] = "Choose at most " + strconv.Itoa(kit.MaxReportPhotos) + " photos."
	}
	return errs
}

// ReportWithdrawForm is "ask for this report to be withdrawn".
type ReportWithdrawForm struct {
	Confirm  bool
	Reason   string
	Honeypot string
	read     *formReader
}

func NewReportWithdrawForm(vals url.Values) *ReportWithdrawForm {
	fr := NewFormReader(vals)
	return &ReportWithdrawForm{
		Confirm:  vals.Get("confirm") == "yes",
		Reason:   fr.Text("reason", 2000),
		Honeypot: vals.Get(honeypotField),
		read:     fr,
	}
}

func (f *ReportWithdrawForm) Validate() map[string]string {
	errs := f.read.errorsWith()
	if !f.Confirm {
		errs["confirm"] = "Tick the box to confirm that you want this report withdrawn."
	}
	return errs
}

// ReportLinkFieldOrder is the on-page order of both forms' fields.
var ReportLinkFieldOrder = []string{"message", "photos", "confirm", "reason"}
