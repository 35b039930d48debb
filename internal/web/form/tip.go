package form

import (
	"net/url"
	"regexp"
	"time"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// TipForm is the "I have information" form on a case page.
type TipForm struct {
	Message      string
	SeenAt       string
	SeenLocation string
	Name         string
	Phone        string
	Email        string
	Honeypot     string
	read         *formReader
}

// TipFieldOrder is the on-page order, for the error summary.
var TipFieldOrder = []string{"message", "seen_at", "seen_location", "name", "phone", "email"}

func NewTipForm(vals url.Values) *TipForm {
	fr := NewFormReader(vals)
	return &TipForm{
		Message:      fr.Text("message", 5000),
		SeenAt:       fr.line("seen_at", 100),
		SeenLocation: fr.line("seen_location", 200),
		Name:         fr.line("name", 100),
		Phone:        fr.line("phone", 40),
		Email:        fr.line("email", 254),
		Honeypot:     vals.Get(honeypotField),
		read:         fr,
	}
}

// looksLikeDate matches what a date or datetime-local input sends, so that
// a typed date can be checked; free text ("Tuesday evening") is allowed.
var looksLikeDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2})?$`)

// Validate returns a message per bad field; empty means valid. today is
// the current date in the site's zone. The messages are English msgids:
// the case page shows them in its language.
func (f *TipForm) Validate(today time.Time) map[string]string {
	errs := f.read.errorsWith()
	if f.Message == "" {
		SetIfNone(errs, "message", i18n.Mark("Tell us what you saw or know."))
	}
	if f.SeenAt != "" && looksLikeDate.MatchString(f.SeenAt) && !f.read.has("seen_at") {
		if _, msg := parsePastDate(f.SeenAt[:10], today); msg != "" {
			errs["seen_at"] = msg
		}
	}
	if f.Phone != "" && !validPhone(f.Phone) {
		SetIfNone(errs, "phone", "Enter a phone number using digits, spaces, +, -, ( ) and an optional ext.")
	}
	if f.Email != "" && !ValidEmail(f.Email) {
		SetIfNone(errs, "email", "Enter an email address like name@example.com.")
	}
	return errs
}

func (f *TipForm) Tip(caseID int64) (*store.Tip, store.TipContact) {
	return &store.Tip{
			CaseID:       caseID,
			Message:      f.Message,
			SeenAt:       f.SeenAt,
			SeenLocation: f.SeenLocation,
			State:        store.TipNew,
		}, store.TipContact{
			Name:  f.Name,
			Phone: f.Phone,
			Email: f.Email,
		}
}

// Blank reports whether nothing shown in the tip form has a value.
func (f *TipForm) Blank() bool {
	return f.Message == "" && f.SeenAt == "" && f.SeenLocation == "" && f.Name == "" && f.Phone == "" && f.Email == ""
}
