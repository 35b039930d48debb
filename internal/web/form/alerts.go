package form

import (
	"net/url"
	"slices"

	"lostinnl/internal/i18n"
	"lostinnl/internal/mail"
	"lostinnl/internal/store"
)

// AlertsForm is the public subscription forms' input: "Email me when this
// case changes" on a case page (Email only) and the area alerts page
// (Email and Regions).
type AlertsForm struct {
	Email    string
	Regions  []string // store.Regions or store.AllRegions; area form only
	Honeypot string
	read     *formReader
}

// AlertsFieldOrder is the order of the error summary.
var AlertsFieldOrder = []string{"email", "region"}

// NewAlertsForm reads the form. Regions are taken as sent (every checked
// box) and checked in Validate, so an unknown one is named, not dropped.
func NewAlertsForm(vals url.Values) *AlertsForm {
	fr := NewFormReader(vals)
	f := &AlertsForm{Email: fr.line("email", 254), Honeypot: vals.Get(honeypotField), read: fr}
	for _, r := range vals["region"] {
		// A region is one of a handful of fixed words: anything longer
		// is refused in Validate without being kept whole.
		if len(r) > 40 {
			r = r[:40]
		}
		if !slices.Contains(f.Regions, r) {
			f.Regions = append(f.Regions, r)
		}
		if len(f.Regions) > len(store.Regions)+1 {
			break
		}
	}
	return f
}

// Validate checks the address the way internal/mail will store and mail
// it (a bare address, no line breaks), and, when area is set, the regions.
func (f *AlertsForm) Validate(area bool) map[string]string {
	errs := f.read.errorsWith()
	if _, bad := errs["email"]; bad {
		// Too long or not valid text: either way not an address. Said
		// with the message below, which the French site has in its
		// catalog (the reader's messages carry numbers in English).
		errs["email"] = i18n.Mark("Enter an email address like name@example.com.")
	}
	if f.Email == "" {
		SetIfNone(errs, "email", i18n.Mark("Enter your email address."))
	} else if _, err := mail.NormalizeAddress(f.Email); err != nil {
		SetIfNone(errs, "email", i18n.Mark("Enter an email address like name@example.com."))
	}
	if !area {
		return errs
	}
	if len(f.Regions) == 0 {
		errs["region"] = i18n.Mark("Choose at least one region, or all of Newfoundland and Labrador.")
	}
	for _, r := range f.Regions {
		if r != store.AllRegions && !slices.Contains(store.Regions, r) {
			errs["region"] = i18n.Mark("Choose regions from the list.")
			break
		}
	}
	return errs
}

// Has reports whether region r was checked (to keep the boxes ticked when
// the form is shown again).
func (f *AlertsForm) Has(r string) bool { return slices.Contains(f.Regions, r) }
