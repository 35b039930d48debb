package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// The admin case pages (issue 18): every page and state of the case,
// report, tip and public-note screens in the pseudo-locale, and the case
// form in French. forceLang stands in for the staff member's saved
// language, which picks the admin template set like /fr does for the
// public pages.

var (
	// Addresses the takedown page lists are data, not text.
	siteURLRE = regexp.MustCompile(`https://missing\.example\.ca[^\s<"]*`)
	// What the test cases hold (see testSite.addCase): data, not text.
	adminCaseData = []string{
		"Rita Reporter", "rita@example.com", "sister", "Red rain jacket", "brown", "green",
		"mod", // the signed-in moderator's name
		"Left home on foot in the evening.", "TEST-0001", "Quentin Pseudoreport", "Quentin Pseudoreports",
		"Hope you are found, call 709-555-0199", "Seen near the wharf", "Pseudo Street search on Saturday.", "Pseudo Street", "Kind Stranger", "Q. Pseudoreport",
	}
)

// assertAdminPseudo is pseudoOK for these pages: their data set, and the
// site addresses the takedown page lists, are not text to translate.
func assertAdminPseudo(t *testing.T, pg string, rec *httptest.ResponseRecorder, want int, extra ...string) {
	t.Helper()
	body := siteURLRE.ReplaceAllString(rec.Body.String(), " ")
	rec.Body.Reset()
	rec.Body.WriteString(body)
	pseudoOK(t, pg, rec, want, append(extra, adminCaseData...)...)
}

// adminCasesFixture is a small data set covering the pages' states: a
// published case with a photo, an update, tips and notes; a pending
// report asking for first-name-only publishing with a possible duplicate;
// a located case.
type adminCasesFixture struct {
	s                        *adminSite
	mod                      *browser
	open, report, dup, found int64
	tip, note                int64
}

func newAdminCasesFixture(t *testing.T, lang i18n.Lang) *adminCasesFixture {
	t.Helper()
	s := newAdminSite(t, func(d *Deps) { d.forceLang = lang })
	s.addUser("mod@example.org", store.RoleModerator, false)
	f := &adminCasesFixture{s: s, mod: s.signIn("mod@example.org", "")}
	f.open = s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Quentin Pseudocase" })
	f.report = s.addCase(store.StatusPending, func(c *store.Case) {
		c.FullName, c.FirstNameRequested, c.FirstNameOnly = "Quentin Pseudoreport", true, true
	})
	f.dup = s.addCase(store.StatusPending, func(c *store.Case) { c.FullName = "Quentin Pseudoreports" })
	f.found = s.addCase(store.StatusLocated, func(c *store.Case) { c.FullName = "Zelda Pseudofound" })
	f.tip = s.addTip(f.open, "Seen near the wharf", store.TipContact{Name: "Kind Stranger"})
	ctx := context.Background()
	if _, err := s.st.SetNotesAllowed(ctx, f.open, true, nil); err != nil {
		t.Fatal(err)
	}
	var err error
	if f.note, err = s.st.CreateNote(ctx, f.open, store.NoteSupport, store.NoteText{Message: "Hope you are found, call 709-555-0199"}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *adminCasesFixture) casePath(id int64, rest string) string {
	return fmt.Sprintf("/admin/cases/%d%s", id, rest)
}

func TestPseudoLocaleAdminCases(t *testing.T) {
	f := newAdminCasesFixture(t, i18n.Pseudo)
	s, mod := f.s, f.mod
	get := func(p string, want int) {
		t.Helper()
		assertAdminPseudo(t, "GET "+p, mod.get(p), want)
	}
	post := func(p string, vals url.Values, want int) *httptest.ResponseRecorder {
		t.Helper()
		rec := mod.post(p, vals)
		if want != http.StatusSeeOther {
			assertAdminPseudo(t, "POST "+p, rec, want)
		} else if rec.Code != want {
			t.Fatalf("POST %s: status %d\n%s", p, rec.Code, truncate(rec.Body.String(), 3000))
		}
		return rec
	}

	// The published case with a photo, an update and a flash message.
	rec := mod.postFiles(f.casePath(f.open, "/photos"), nil, map[string][]byte{"one.png": testPNG(t, 60, 80)})
	wantStatus(t, rec, http.StatusSeeOther)
	get(f.casePath(f.open, ""), http.StatusOK) // the flash of the upload
	post(f.casePath(f.open, "/updates"), url.Values{"body": {"Pseudo Street search on Saturday."}}, http.StatusSeeOther)
	assertAdminPseudo(t, "case page", mod.get(f.casePath(f.open, "")), http.StatusOK)
	// Its refusals: an empty update, a bad upload, a case form with errors.
	post(f.casePath(f.open, "/updates"), url.Values{"body": {""}}, http.StatusUnprocessableEntity)
	rec = mod.postFiles(f.casePath(f.open, "/photos"), nil, nil)
	assertAdminPseudo(t, "empty upload", rec, http.StatusUnprocessableEntity)
	post(f.casePath(f.open, ""), url.Values{"full_name": {""}, "latitude": {"x"}, "last_seen_time": {"late"}, "reporter_email": {"nope"}}, http.StatusUnprocessableEntity)

	// Lists and filters.
	for _, p := range []string{
		"/admin/cases", "/admin/cases?status=pending&region=Avalon", "/admin/cases?q=zzzzqqq",
		"/admin/cases?status=bogus&age_min=abc", "/admin/reports", "/admin/tips", "/admin/tips?state=new",
		"/admin/notes", f.casePath(f.open, "/tips"), f.casePath(f.found, "/takedown"),
	} {
		get(p, http.StatusOK)
	}
	post(f.casePath(f.open, fmt.Sprintf("/tips/%d", f.tip)), url.Values{"state": {"lost"}}, http.StatusUnprocessableEntity)

	// The new-case form, empty and refused.
	get("/admin/cases/new", http.StatusOK)
	post("/admin/cases", url.Values{"full_name": {""}, "longitude": {"200"}}, http.StatusUnprocessableEntity)

	// Status confirmations and their refusals.
	for _, to := range []string{"located", "archived"} {
		get(f.casePath(f.open, "/status?to="+to), http.StatusOK)
	}
	for _, to := range []string{"missing", "rejected"} {
		get(f.casePath(f.report, "/status?to="+to), http.StatusOK)
	}
	get(f.casePath(f.found, "/status?to=missing"), http.StatusOK)
	post(f.casePath(f.open, "/status"), url.Values{"to": {"located"}}, http.StatusUnprocessableEntity)
	post(f.casePath(f.report, "/status"), url.Values{"to": {"rejected"}, "confirm": {"yes"}}, http.StatusUnprocessableEntity)

	// The report under review: first-name-only, duplicates, approve and
	// reject refused; the merge confirmation and its refusal.
	get(fmt.Sprintf("/admin/reports/%d", f.report), http.StatusOK)
	post(fmt.Sprintf("/admin/reports/%d/approve", f.report), url.Values{"full_name": {"Quentin Pseudoreport"}}, http.StatusUnprocessableEntity)
	post(fmt.Sprintf("/admin/reports/%d/reject", f.report), url.Values{"reason": {""}}, http.StatusUnprocessableEntity)
	get(f.casePath(f.report, fmt.Sprintf("/merge?into=%d", f.dup)), http.StatusOK)
	get(f.casePath(f.report, fmt.Sprintf("/merge?into=%d", f.found)), http.StatusOK) // not possible: says why
	post(f.casePath(f.report, "/merge"), url.Values{"into": {fmt.Sprint(f.dup)}}, http.StatusUnprocessableEntity)

	// Notes: the queue with a flagged note, then approved.
	post(fmt.Sprintf("/admin/notes/%d/approve", f.note), nil, http.StatusSeeOther)
	get("/admin/notes?state=approved", http.StatusOK)
	get("/admin/notes", http.StatusOK) // empty queue, and the flash
	_ = s
}

// TestFrenchAdminCases: with French chosen, the case form and its
// validation messages are French, and the admin links stay as they are.
func TestFrenchAdminCases(t *testing.T) {
	f := newAdminCasesFixture(t, i18n.French)
	mod := f.mod
	page := mod.get("/admin/cases/new")
	wantStatus(t, page, http.StatusOK)
	body := page.Body.String()
	mustContain(t, body, "<h1>Ajouter un dossier</h1>", "Nom complet", "Autres noms qu&#39;elle utilise, séparés par des virgules.",
		"Lieu où la personne a été vue pour la dernière fois", "Numéro de dossier de police", `action="/admin/cases"`,
		"Personne déclarante (confidentiel, jamais publié)", "Enregistrer le dossier")
	mustNotContain(t, body, "Full name", "Save case", "/fr/admin")

	rec := mod.post("/admin/cases", url.Values{"full_name": {"Jeanne Essai"}, "latitude": {"47.5"}, "longitude": {"abc"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "Entrez la longitude en nombre décimal avec un point, par exemple 47.5615 ou -52.7126.")
	mustNotContain(t, rec.Body.String(), "Enter the longitude")

	// A case page: status words, actions, dates and the flash after a save.
	c := mod.get(f.casePath(f.open, ""))
	wantStatus(t, c, http.StatusOK)
	mustContain(t, c.Body.String(), "Marquer comme retrouvée", "Renseignements (1)", "Mises à jour publiques", "Messages publics", "Créé le ")
	rec = mod.post(f.casePath(f.open, "/updates"), url.Values{"body": {"Recherche samedi."}})
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); !strings.HasPrefix(loc, "/admin/cases/") {
		t.Errorf("redirect to %q", loc)
	}
	mustContain(t, mod.get(f.casePath(f.open, "")).Body.String(), "Mise à jour ajoutée.")

	// A status change's refusal and the reports list.
	rec = mod.post(f.casePath(f.open, "/status"), url.Values{"to": {"located"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "Cochez la case pour confirmer.", "Marquer comme retrouvée : Quentin Pseudocase")
	mustContain(t, mod.get("/admin/reports").Body.String(), "Signalements à examiner")
	mustContain(t, mod.get("/admin/cases?status=pending").Body.String(), `<option value="pending" selected>En attente</option>`)
}
