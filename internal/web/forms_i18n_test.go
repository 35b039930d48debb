package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
	"lostinnl/internal/web/site"
)

// The public forms in French and in the pseudo-locale (issue 18): the
// report form, its receipt, the reporter's private page in every state,
// and the contact form, each with its validation errors.

// sendReport posts the report form to path (/submit or /fr/submit) and
// returns the response and the receipt cookie (nil when none was set).
func sendReport(t *testing.T, s *testSite, path string, vals url.Values, files map[string][]byte) (*httptest.ResponseRecorder, *http.Cookie) {
	t.Helper()
	rec := s.postMultipart(path, vals, files)
	for _, c := range rec.Result().Cookies() {
		if c.Name == site.ReceiptCookie {
			return rec, c
		}
	}
	return rec, nil
}

// getWith is GET target with a cookie.
func getWith(s *testSite, target string, c *http.Cookie) *httptest.ResponseRecorder {
	s.t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	if c != nil {
		req.AddCookie(c)
	}
	return s.do(req)
}

// newReport sends a valid report in English and returns its token.
func newReport(t *testing.T, s *testSite, fileNumber string) string {
	t.Helper()
	rec, c := sendReport(t, s, "/submit", with(validReport(), "police_file_number", fileNumber), nil)
	if rec.Code != http.StatusSeeOther || c == nil {
		t.Fatalf("report %s: status %d, cookie %v", fileNumber, rec.Code, c)
	}
	return c.Value
}

// setReportStatus moves a report's case on (published: checked by police).
func setReportStatus(t *testing.T, s *testSite, token string, to store.Status) {
	t.Helper()
	ctx := context.Background()
	a, err := s.st.ReportAccessByToken(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if to == store.StatusMissing || to == store.StatusArchived {
		c, err := s.st.GetCase(ctx, a.CaseID)
		if err != nil {
			t.Fatal(err)
		}
		c.PoliceVerified = true
		if err := s.st.UpdateCase(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.st.TransitionCase(ctx, a.CaseID, store.StatusMissing, "", nil); err != nil {
			t.Fatal(err)
		}
		if to == store.StatusMissing {
			return
		}
	}
	if err := s.st.TransitionCase(ctx, a.CaseID, to, "", nil); err != nil {
		t.Fatalf("%s → %s: %v", token[:6], to, err)
	}
}

// reportErrorPosts are report forms that, together, raise every message
// the report form has (a form shows one message per field at a time).
func reportErrorPosts() []url.Values {
	long := strings.Repeat("x", 201)
	return []url.Values{
		{}, // every required field, the consent, phone-or-email
		{
			"full_name": {long}, "age": {"abc"}, "height_cm": {"x"}, "weight_kg": {"y"},
			"sex": {"robot"}, "region": {"Mars"}, "last_seen_date": {"14/03/2026"}, "last_seen_time": {"9pm"},
			"reporter_phone": {"call me"}, "reporter_email": {"not-an-email"}, "circumstances": {"ok\xffbad"},
		},
		{"age": {"130"}, "height_cm": {"900"}, "weight_kg": {"999"}, "last_seen_date": {"2099-01-01"}},
		{"last_seen_date": {"1850-01-01"}},
	}
}

// TestPseudoLocaleForms renders every page and state of the public forms
// in the pseudo-locale: any word outside ［…］ did not come through the
// catalog.
func TestPseudoLocaleForms(t *testing.T) {
	clock := fixedNow
	s := newSite(t, withMedia(t), func(d *Deps) {
		d.forceLang = i18n.Pseudo
		d.Now = func() time.Time { return clock }
	})
	resources, err := s.st.ListResources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, rec *httptest.ResponseRecorder, extra ...string) {
		t.Helper()
		if rec.Code >= 400 && rec.Code != http.StatusNotFound {
			// 409, 410 and 422 pages are pages too: check them as 200s.
			rec.Code = http.StatusOK
		}
		assertPseudo(t, name, rec, resources, extra...)
	}

	check("/submit", s.get("/submit"))
	for i, vals := range reportErrorPosts() {
		rec, _ := sendReport(t, s, "/submit", vals, nil)
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		check("/submit errors "+string(rune('1'+i)), rec, "xxxxx", "ok", "bad")
	}
	// Photos: one kept, one refused, and the form over its limit; a
	// child's report comes back with first-name-only ticked for them.
	photos := jpegs(t, 6)
	photos["z-not-a-photo.jpg"] = []byte("<html>not a photo</html>")
	rec, _ := sendReport(t, s, "/submit", with(with(validReport(), "consent", "\x00delete"), "age", "12"), photos)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), `id="held-photos"`, `name="first_name_suggested"`)
	check("/submit photos", rec, validReport().Get("circumstances"), validReport().Get("features"), validReport().Get("clothing"))
	full := readHeldForm(t, rec.Body.String())
	rec, _ = sendReport(t, s, "/submit", with(validReport(), "form_token", full.token), jpegs(t, 1))
	check("/submit photos full", rec, validReport().Get("circumstances"), validReport().Get("features"), validReport().Get("clothing"))

	// The receipt, with and without the cookie, and with photos for later.
	token := newReport(t, s, "PSEUDO-1")
	link := "https://missing.example.ca/report/" + token
	check("/submit/thanks", getWith(s, "/submit/thanks", &http.Cookie{Name: site.ReceiptCookie, Value: token}), link)
	check("/submit/thanks general", s.get("/submit/thanks?photos=later"))

	// The private page: pending, with each "sent" notice, its forms'
	// errors, and the closed-link notices.
	page := "/report/" + token
	check(page, s.get(page))
	for _, sent := range []string{"info", "withdrawn", "requested"} {
		check(page+"?sent="+sent, s.get(page+"?sent="+sent))
	}
	rec = s.post(page+"/add", url.Values{})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	check(page+" add empty", rec)
	rec = s.postMultipart(page+"/add", url.Values{"message": {strings.Repeat("y", 5001)}}, jpegs(t, 1))
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	check(page+" add too long", rec, strings.Repeat("y", 5001))
	rec = s.postMultipart(page+"/add", url.Values{"message": {"More"}}, map[string][]byte{"a.jpg": []byte("not a photo")})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	check(page+" add bad photo", rec, "More")
	rec = s.postMultipart(page+"/add", url.Values{"message": {"Many"}}, jpegs(t, 6))
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	check(page+" add too many photos", rec, "Many")
	rec = s.post(page+"/withdraw", url.Values{"reason": {"Found"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	check(page+" withdraw unconfirmed", rec, "Found")
	check("/report/bad", s.get("/report/"+randomToken(t)))

	// Every state of a report.
	published := newReport(t, s, "PSEUDO-2")
	setReportStatus(t, s, published, store.StatusMissing)
	check("published", s.get("/report/"+published))
	wantStatus(t, s.post("/report/"+published+"/withdraw", url.Values{"confirm": {"yes"}}), http.StatusSeeOther)
	check("withdraw-requested", s.get("/report/"+published))
	rec = s.post("/report/"+published+"/add", url.Values{"message": {"x"}})
	wantStatus(t, rec, http.StatusConflict)
	check("withdraw-requested add", rec)

	wantStatus(t, s.post(page+"/withdraw", url.Values{"confirm": {"yes"}}), http.StatusSeeOther)
	check("withdrawn", s.get(page))

	rejected := newReport(t, s, "PSEUDO-3")
	setReportStatus(t, s, rejected, store.StatusRejected)
	check("not-published", s.get("/report/"+rejected))

	closed := newReport(t, s, "PSEUDO-4")
	setReportStatus(t, s, closed, store.StatusArchived)
	check("closed", s.get("/report/"+closed))
	rec = s.post("/report/"+closed+"/add", url.Values{"message": {"x"}})
	wantStatus(t, rec, http.StatusConflict)
	check("closed add", rec)

	expired := newReport(t, s, "PSEUDO-5")
	clock = clock.Add(store.ReportLinkLifetime + time.Hour)
	rec = s.get("/report/" + expired)
	wantStatus(t, rec, http.StatusGone)
	check("expired", rec)
	rec = s.post("/report/"+expired+"/add", url.Values{"message": {"x"}})
	wantStatus(t, rec, http.StatusGone)
	check("expired add", rec)

	// Contact: the form, each error, and the thanks page.
	check("/contact", s.get("/contact"))
	for i, vals := range []url.Values{{}, {"email": {"nope"}, "name": {strings.Repeat("n", 101)}, "message": {"ok\xffbad"}}} {
		rec := s.post("/contact", vals)
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		check("/contact errors "+string(rune('1'+i)), rec, "ok", "bad")
	}
	check("/contact/thanks", s.get("/contact/thanks"))
}

// TestPseudoLocaleFormsNoPipeline: the report form and the reporter's page
// of a site that takes no photos.
func TestPseudoLocaleFormsNoPipeline(t *testing.T) {
	s := newSite(t, func(d *Deps) { d.forceLang = i18n.Pseudo })
	rec, _ := sendReport(t, s, "/submit", validReport(), jpegs(t, 6))
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "［Çĥööšé àţ ɱöšţ 5 ƥĥöţöš.］")
	assertPseudo(t, "/submit six photos without pipeline", &httptest.ResponseRecorder{Code: http.StatusOK, Body: rec.Body}, nil,
		validReport().Get("circumstances"), validReport().Get("features"), validReport().Get("clothing"))
	token := newReport(t, s, "PSEUDO-NP")
	rec = s.postMultipart("/report/"+token+"/add", url.Values{"message": {"hello"}}, jpegs(t, 1))
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	assertPseudo(t, "add without pipeline", &httptest.ResponseRecorder{Code: http.StatusOK, Body: rec.Body}, nil, "hello")
}

// TestFrenchForms: under /fr the forms are French, their links, actions
// and redirects stay under /fr, and a form sent back with errors is French
// and keeps what was typed.
func TestFrenchForms(t *testing.T) {
	s := newSite(t)

	// The report form.
	rec := s.get("/fr/submit")
	wantStatus(t, rec, http.StatusOK)
	body := rec.Body.String()
	mustContain(t, body, `<html lang="fr-CA">`, "<title>Signaler une personne disparue",
		"<strong>Signalez d'abord la disparition à la police.</strong>", `composez le <a href="tel:911">911</a> maintenant`,
		`action="/fr/submit"`, `<a href="/fr/privacy">Comment nous traitons cette information</a>`,
		`Nom complet <span class="req">(obligatoire)</span>`, `<option value="" selected>Choisissez une région</option>`,
		`<option value="female">Femme</option>`, "Envoyer le signalement", `<label for="f-website">Laissez ce champ vide</label>`,
		`<link rel="canonical" href="https://missing.example.ca/fr/submit">`)
	mustNotContain(t, body, "Full name", "Send report", "(required)", `action="/submit"`, `href="/privacy"`)

	// Errors: French, and what was typed is kept.
	typed := url.Values{"full_name": {"Zoé Côté"}, "age": {"deux"}, "circumstances": {"Vue près du quai « du Roy »."},
		"reporter_email": {"zoe@"}, "region": {"Western"}, "sex": {"female"}}
	rec, cookie := sendReport(t, s, "/fr/submit", typed, nil)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if cookie != nil {
		t.Error("a refused report set a receipt cookie")
	}
	body = rec.Body.String()
	mustContain(t, body, `<html lang="fr-CA">`, "<title>Vérifiez votre signalement : Signaler une personne disparue",
		"Il y a 9 problèmes dans ce que vous avez envoyé", "Entrez l&#39;âge en nombre entier.",
		"Entrez la date où la personne a été vue pour la dernière fois.", "Entrez une adresse courriel comme nom@exemple.com.",
		"Veuillez confirmer que vous pouvez communiquer cette information", `<span class="visually-hidden">Erreur : </span>`,
		`value="Zoé Côté"`, `value="deux"`, `value="zoe@"`, ">Vue près du quai « du Roy ».</textarea>",
		`<option value="Western" selected>Ouest</option>`, `<option value="female" selected>Femme</option>`, `action="/fr/submit"`)
	mustNotContain(t, body, "Enter the", "There are", "Error: ")

	// Sent: the thanks page is French, under /fr, with the French link.
	rec, cookie = sendReport(t, s, "/fr/submit", validReport(), nil)
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != "/fr/submit/thanks" {
		t.Fatalf("French report → %q", loc)
	}
	if cookie == nil || cookie.Path != "/fr/submit/thanks" {
		t.Fatalf("receipt cookie %+v: the French thanks page would not get it", cookie)
	}
	token := cookie.Value
	body = getWith(s, "/fr/submit/thanks", cookie).Body.String()
	mustContain(t, body, `<html lang="fr-CA">`, "Merci. Nous avons bien reçu votre signalement.", "Votre numéro de référence est",
		`<a href="https://missing.example.ca/fr/report/`+token+`" id="private-link">`, "Il est valide jusqu&#39;au 26 janvier 2027.",
		"Prochaines étapes", `<a href="/fr/resources">Aide et soutien aux familles</a>`, `<a href="/fr/">Retour à la page d&#39;accueil</a>`)
	mustNotContain(t, body, "What happens next", "January")
	mustContain(t, s.get("/fr/submit/thanks?photos=later").Body.String(), "Nous ne pouvions pas recevoir de photos")

	// The private page and its forms.
	page := "/fr/report/" + token
	body = s.get(page).Body.String()
	mustContain(t, body, `<html lang="fr-CA">`, "<strong>En attente de vérification.</strong>", "Votre signalement <span class=\"reference\">NL-",
		`action="/fr/report/`+token+`/add"`, `action="/fr/report/`+token+`/withdraw"`, "Elle est valide jusqu&#39;au 26 janvier 2027.",
		"Retirer mon signalement")
	mustNotContain(t, body, "Waiting for review", `action="/report/`)
	rec = s.post(page+"/add", url.Values{})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "Écrivez ce que vous voulez ajouter, ou choisissez au moins une photo.", "Il y a un problème dans ce que vous avez envoyé",
		// The switch leads to the page, not to the address posted to.
		`<p class="lang-switch"><a href="/report/`+token+`" hreflang="en" lang="en">English</a></p>`)
	rec = s.post(page+"/add", url.Values{"message": {strings.Repeat("é", 5001)}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "Veuillez vous limiter à 5000 caractères (ce texte en compte 5001).", strings.Repeat("é", 5001)+"</textarea>")
	rec = s.post(page+"/add", url.Values{"message": {"Elle a été vue à Stephenville."}})
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != page+"?sent=info#sent" {
		t.Errorf("French addition → %q", loc)
	}
	mustContain(t, s.get(page+"?sent=info").Body.String(), "Merci. Ce que vous avez envoyé a été transmis à l&#39;équipe de modération")
	rec = s.post(page+"/withdraw", url.Values{"reason": {"Retrouvée à Corner Brook"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "Cochez la case pour confirmer que vous voulez retirer ce signalement.", ">Retrouvée à Corner Brook</textarea>")
	rec = s.post(page+"/withdraw", url.Values{"confirm": {"yes"}})
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != page+"?sent=withdrawn#sent" {
		t.Errorf("French withdrawal → %q", loc)
	}
	body = s.get(page + "?sent=withdrawn").Body.String()
	mustContain(t, body, "Votre signalement a été retiré. Il ne sera pas publié.", "<strong>Retiré.</strong>")
	rec = s.post(page+"/add", url.Values{"message": {"x"}})
	wantStatus(t, rec, http.StatusConflict)
	mustContain(t, rec.Body.String(), "Vous avez déjà demandé le retrait de ce signalement")

	// A published report links to the French case page.
	published := newReport(t, s, "FR-PUB")
	setReportStatus(t, s, published, store.StatusMissing)
	a, err := s.st.ReportAccessByToken(t.Context(), published)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, s.get("/fr/report/"+published).Body.String(), "<strong>Publié.</strong>", `<a href="/fr/cases/`+strconv.FormatInt(a.CaseID, 10)+`">voir la page publique</a>`)

	// An unknown link: the French 404.
	rec = s.get("/fr/report/" + randomToken(t))
	wantStatus(t, rec, http.StatusNotFound)
	mustContain(t, rec.Body.String(), "Ce lien privé de signalement n&#39;est pas valide.")

	// Contact.
	body = s.get("/fr/contact").Body.String()
	mustContain(t, body, `<html lang="fr-CA">`, "<title>Écrire à l&#39;équipe", `action="/fr/contact"`, `<a href="/fr/submit">formulaire de signalement</a>`,
		`<a href="/fr/privacy">Confidentialité</a>`, "Envoyer le message")
	rec = s.post("/fr/contact", url.Values{"name": {"Élise Gagnon"}, "email": {"elise"}, "subject": {"Correction"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "Il y a 2 problèmes dans ce que vous avez envoyé", "Entrez une adresse courriel comme nom@exemple.com.",
		"Entrez votre message.", `value="Élise Gagnon"`, `value="elise"`, `value="Correction"`)
	rec = s.post("/fr/contact", url.Values{"name": {"Élise"}, "email": {"elise@example.com"}, "message": {"Bonjour"}})
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != "/fr/contact/thanks" {
		t.Errorf("French contact → %q", loc)
	}
	mustContain(t, s.get("/fr/contact/thanks").Body.String(), "Merci. Votre message a été envoyé.", `<a href="/fr/">Retour à la page d&#39;accueil</a>`)

	// The English forms are unchanged by all this.
	rec = s.post("/contact", url.Values{})
	mustContain(t, rec.Body.String(), "There are 3 problems with what you sent", "Enter your name.", `action="/contact"`)
	rec = s.post("/contact", url.Values{"name": {"Ed"}, "email": {"ed@example.com"}, "message": {"Hi"}})
	if loc := rec.Header().Get("Location"); loc != "/contact/thanks" {
		t.Errorf("English contact → %q", loc)
	}
}

// TestFrenchFormPhotos: photo problems on the French form are French.
func TestFrenchFormPhotos(t *testing.T) {
	s := newSite(t, withMedia(t))
	photos := jpegs(t, 6)
	photos["z.jpg"] = []byte("<html>not a photo</html>")
	rec, _ := sendReport(t, s, "/fr/submit", with(validReport(), "consent", "\x00delete"), photos)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	body := rec.Body.String()
	mustContain(t, body, "5 photos sont conservées; vous n&#39;avez pas à les choisir de nouveau.",
		"Un signalement peut compter au plus 5 photos : 2 des photos choisies n&#39;ont pas été ajoutées.",
		`alt="Photo 1 sur 5"`, "Retirer<span class=\"visually-hidden\"> la photo 1</span>",
		"Un signalement peut compter au plus 5 photos. Pour en ajouter une autre, retirez-en d&#39;abord une.")
	rec = s.postMultipart("/fr/report/"+newReport(t, s, "FR-PH")+"/add", url.Values{"message": {"Voici"}}, map[string][]byte{"a.jpg": []byte("<html>")})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "La photo n&#39;a pas pu être utilisée : ce n&#39;est pas une image JPEG, PNG, WebP ou GIF.", ">Voici</textarea>")
}

// TestFormsCatalogExtras: messages the scans cannot see because they are
// held in constants of other packages.
func TestFormsCatalogExtras(t *testing.T) {
	if !i18n.For(i18n.French).Has("", kit.SaveFailedNotice) {
		t.Errorf("kit.SaveFailedNotice is not in the French catalog")
	}
}
