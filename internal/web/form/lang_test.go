package form

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/auth"
	"lostinnl/internal/i18n"
)

// TestFormMessagesFrench: every form's messages come out in the language
// it was read for, numbers written the French way; the English
// constructors say what they always said.
func TestFormMessagesFrench(t *testing.T) {
	fr := i18n.For(i18n.French)
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	check := func(what string, errs map[string]string, field, want string) {
		t.Helper()
		if got := errs[field]; got != want {
			t.Errorf("%s: %s = %q, want %q", what, field, got, want)
		}
	}
	long := strings.Repeat("é", 10001)
	c := NewContactFormFor(fr, url.Values{"message": {long}, "email": {"x"}, "subject": {"a\xffb"}})
	errs := c.Validate()
	check("contact", errs, "name", "Entrez votre nom.")
	check("contact", errs, "email", "Entrez une adresse courriel comme nom@exemple.com.")
	check("contact", errs, "message", "Veuillez vous limiter à 5000 caractères (ce texte en compte 10\u202f001).")
	check("contact", errs, "subject", "Ce texte contient des caractères illisibles (encodage non valide). Veuillez le taper de nouveau.")

	r := NewReportFormFor(fr, url.Values{"age": {"200"}, "height_cm": {"x"}, "last_seen_date": {"2099-01-01"}, "sex": {"robot"}}, 9)
	errs = r.Validate(today)
	check("report", errs, "age", "Entrez un âge de 0 à 120 ans.")
	check("report", errs, "height_cm", "Entrez la taille en centimètres, en nombre entier.")
	check("report", errs, "last_seen_date", "La date ne peut pas être dans le futur.")
	check("report", errs, "sex", "Choisissez l'une des options de la liste.")
	check("report", errs, "photos", "Choisissez au plus 5 photos.")
	check("report", errs, "full_name", "Entrez le nom complet de la personne disparue.")

	tip := NewTipFormFor(fr, url.Values{"seen_at": {"1850-01-01"}})
	errs = tip.Validate(today)
	check("tip", errs, "message", "Dites-nous ce que vous avez vu ou ce que vous savez.")
	check("tip", errs, "seen_at", "Entrez une date postérieure à 1900.")

	note := NewNoteFormFor(fr, url.Values{"note_kind": {"x"}})
	check("note", note.Validate(), "note_kind", "Indiquez s'il s'agit d'un message de soutien ou d'une note disant que vous partagez l'appel.")
	check("alerts", NewAlertsFormFor(fr, url.Values{}).Validate(true), "region", "Choisissez au moins une région, ou tout Terre-Neuve-et-Labrador.")
	check("withdraw", NewReportWithdrawFormFor(fr, url.Values{}).Validate(), "confirm", "Cochez la case pour confirmer que vous voulez retirer ce signalement.")
	check("resource", NewResourceFormFor(fr, url.Values{}).Validate(), "phone", "Indiquez un numéro de téléphone ou une adresse Web.")
	check("user", NewUserFormFor(fr, url.Values{"role": {"king"}}).Validate(), "role", "Choisissez modérateur ou administrateur.")
	errs = NewAdminCaseFormFor(fr, url.Values{"latitude": {"30"}, "longitude": {"abc"}}).Validate(today)
	check("case", errs, "full_name", "Ce champ est obligatoire.")
	check("case", errs, "latitude", "Cette latitude est hors de Terre-Neuve-et-Labrador.")
	check("case", errs, "longitude", "Entrez la longitude en nombre décimal avec un point, par exemple 47.5615 ou -52.7126.")
	if got := PasswordMessageFor(fr, auth.ErrPasswordTooLong); got != "Utilisez au plus 128 caractères." {
		t.Errorf("password: %q", got)
	}

	// English, as before: plain digits, the old sentences.
	errs = NewContactForm(url.Values{"message": {long}}).Validate()
	check("contact en", errs, "message", "Please keep this to 5000 characters or fewer (it has 10001).")
	errs = NewReportForm(url.Values{"age": {"200"}, "weight_kg": {"x"}}, 9).Validate(today)
	check("report en", errs, "age", "Enter the age between 0 and 120.")
	check("report en", errs, "weight_kg", "Enter the weight in kilograms as a whole number.")
	check("report en", errs, "photos", "Choose at most 5 photos.")
	check("report en", errs, "sex", "Choose the person's sex, or “Not known”.")
}
