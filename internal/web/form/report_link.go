package form

import (
	"net/url"

	"lostinnl/internal/i18n"
	"lostinnl/internal/web/kit"
)

// ReportAddForm is "add information or photos" on the reporter's page.
type ReportAddForm struct {
	Message    string
	PhotoCount int
	Honeypot   string
	read       *formReader
}

// NewReportAddForm reads the form with messages in English.
func NewReportAddForm(vals url.Values, photoCount int) *ReportAddForm {
	return NewReportAddFormFor(i18n.For(i18n.English), vals, photoCount)
}

// NewReportAddFormFor reads the form with messages in lz's language.
func NewReportAddFormFor(lz *i18n.Localizer, vals url.Values, photoCount int) *ReportAddForm {
	fr := NewFormReaderFor(lz, vals)
	return &ReportAddForm{
		Message:    fr.Text("message", 5000),
		PhotoCount: photoCount,
		Honeypot:   vals.Get(honeypotField),
		read:       fr,
	}
}

func (f *ReportAddForm) Validate() map[string]string {
	lz := f.read.lz
	errs := f.read.errorsWith()
	if f.Message == "" && f.PhotoCount == 0 && len(errs) == 0 {
		errs["message"] = lz.T("Write what you want to add, or choose at least one photo.")
	}
	if f.PhotoCount > kit.MaxReportPhotos {
		errs["photos"] = lz.N("Choose at most {n} photo.", "Choose at most {n} photos.", kit.MaxReportPhotos)
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

// NewReportWithdrawForm reads the form with messages in English.
func NewReportWithdrawForm(vals url.Values) *ReportWithdrawForm {
	return NewReportWithdrawFormFor(i18n.For(i18n.English), vals)
}

// NewReportWithdrawFormFor reads the form with messages in lz's language.
func NewReportWithdrawFormFor(lz *i18n.Localizer, vals url.Values) *ReportWithdrawForm {
	fr := NewFormReaderFor(lz, vals)
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
		errs["confirm"] = f.read.lz.T("Tick the box to confirm that you want this report withdrawn.")
	}
	return errs
}

// ReportLinkFieldOrder is the on-page order of both forms' fields.
var ReportLinkFieldOrder = []string{"message", "photos", "confirm", "reason"}
