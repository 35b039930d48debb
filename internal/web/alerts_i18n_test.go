package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"lostinnl/internal/i18n"
	"lostinnl/internal/mail"
	"lostinnl/internal/store"
)

// The alert pages and the subscribers' mail in both languages (issue 18).

// asShown checks a form answered with want and hands the page to
// assertPseudo, which takes pages that answered 200 or 404.
func asShown(t *testing.T, pg string, rec *httptest.ResponseRecorder, want int) *httptest.ResponseRecorder {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("%s: status %d, want %d\n%s", pg, rec.Code, want, truncate(rec.Body.String(), 400))
	}
	rec.Code = http.StatusOK
	return rec
}

// TestPseudoLocaleAlerts renders every state of the alert pages in the
// pseudo-locale: a word outside ［…］ did not come through the catalog.
func TestPseudoLocaleAlerts(t *testing.T) {
	s := newSite(t, func(d *Deps) { d.forceLang = i18n.Pseudo })
	open := s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Quentin Pseudocase" })
	closed := s.addCase(store.StatusLocated, func(c *store.Case) { c.FullName = "Zelda Pseudofound" })
	follow := "/cases/" + strconv.FormatInt(open, 10) + "/follow"
	check := func(pg string, rec *httptest.ResponseRecorder) {
		t.Helper()
		assertPseudo(t, pg, rec, nil)
	}

	check("/alerts", s.get("/alerts"))
	for name, vals := range map[string]url.Values{
		"empty":          {},
		"bad address":    {"email": {"not an address"}, "region": {"Avalon"}},
		"no region":      {"email": {"a@example.org"}},
		"unknown region": {"email": {"a@example.org"}, "region": {"Mars", "Avalon"}},
		"long address":   {"email": {strings.Repeat("a", 300) + "@example.org"}, "region": {"all"}},
	} {
		check("POST /alerts "+name, asShown(t, name, s.post("/alerts", vals), http.StatusUnprocessableEntity))
	}
	check("POST follow empty", asShown(t, "follow", s.post(follow, url.Values{"email": {""}}), http.StatusUnprocessableEntity))
	check("POST follow bad", asShown(t, "follow", s.post(follow, url.Values{"email": {"x@"}}), http.StatusUnprocessableEntity))
	check("POST follow closed", asShown(t, "closed", s.post("/cases/"+strconv.FormatInt(closed, 10)+"/follow", url.Values{"email": {"a@example.org"}}), http.StatusGone))

	// A request, its answer, the confirmation page and the bad links.
	wantStatus(t, s.post(follow, url.Values{"email": {"pseudo@example.org"}}), http.StatusSeeOther)
	wantStatus(t, s.post("/alerts", url.Values{"email": {"pseudo@example.org"}, "region": {"Avalon", "Labrador"}}), http.StatusSeeOther)
	check("/alerts/sent", s.get("/alerts/sent"))
	token := s.confirmToken()
	check("/alerts/confirm", s.get(mail.ConfirmPath+"?token="+url.QueryEscape(token)))
	check("/alerts/confirm bad", s.get(mail.ConfirmPath+"?token=nope"))
	check("POST /alerts/confirm bad", s.post(mail.ConfirmPath, url.Values{"token": {"nope"}}))
	check("/alerts/unsubscribe bad", s.get(mail.UnsubscribePath+"?token=forged"))

	// The manage page: one subscription still waiting, just confirmed,
	// the current one, stopped, none left.
	subs := s.subsOf("pseudo@example.org")
	if len(subs) != 3 {
		t.Fatalf("subscriptions: %+v", subs)
	}
	link := manageLink(subs[0].EmailIndex, subs[0].ID, fixedNow.Add(mail.ManageTTL))
	check("manage waiting", s.get(link))
	rec := s.post(mail.ConfirmPath, url.Values{"token": {token}})
	wantStatus(t, rec, http.StatusSeeOther)
	check("manage confirmed", s.get(rec.Header().Get("Location")))
	wantStatus(t, s.post("/alerts", url.Values{"email": {"pseudo@example.org"}, "region": {"all"}}), http.StatusSeeOther)
	check("manage all regions waiting", s.get(link))
	rec = s.post(link, url.Values{"subscription": {strconv.FormatInt(subs[1].ID, 10)}})
	wantStatus(t, rec, http.StatusSeeOther)
	check("manage done", s.get(rec.Header().Get("Location")))
	check("POST unsubscribe no button", asShown(t, "bad button", s.post(manageLink(subs[0].EmailIndex, 0, fixedNow.Add(mail.ManageTTL)), url.Values{"subscription": {"x"}}), http.StatusBadRequest))
	check("one-click", s.postFrom(link, "cross-site", "https://mail.example.net", url.Values{"List-Unsubscribe": {"One-Click"}}))
	wantStatus(t, s.post(link, url.Values{"all": {"1"}}), http.StatusSeeOther)
	check("manage none", s.get(link))

	// The confirmation mail made on the pseudo-locale's page is in it too.
	for _, m := range s.outbox() {
		if m.Kind != mail.KindSubscriptionConfirm {
			continue
		}
		text := urlRe.ReplaceAllString(strings.ReplaceAll(m.Text, "Quentin Pseudocase", " "), " ")
		if words := i18n.Untranslated(text); len(words) > 0 {
			t.Errorf("confirmation mail: text outside the catalog: %q\n%s", words, m.Text)
		}
	}
}

var urlRe = regexp.MustCompile(`https?://\S+`)

// cipherOpener lets the fan-out read the test site's sealed addresses.
type cipherOpener struct{ c *testCipher }

func (o cipherOpener) OpenRow(_ context.Context, sealed []byte, table, column string, id int64, token []byte) ([]byte, error) {
	return o.c.openRow(sealed, table, column, id, token)
}

// TestFrenchAlerts: a visitor of the French site gets French pages,
// French links and redirects, and French mail from the confirmation to
// the last notice, with links to the French pages; an English subscriber
// of the same case and region still gets English.
func TestFrenchAlerts(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Wanda Frenchtest" })
	casePath := "/cases/" + strconv.FormatInt(id, 10)

	page := s.get("/fr/alerts")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page.Body.String(), `<html lang="fr-CA">`, "Alertes par courriel pour votre région",
		`action="/fr/alerts"`, `href="/fr/privacy#alerts"`, "Tout Terre-Neuve-et-Labrador", "Centre", "Votre adresse courriel",
		"(obligatoire)", "Laissez ce champ vide")
	mustNotContain(t, page.Body.String(), "Email me new appeals", "Your email")

	// A refused form comes back in French with what was typed.
	rec := s.post("/fr/alerts", url.Values{"email": {"kept@example.org"}, "region": {"Central", "Mars"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), `<html lang="fr-CA">`, "Il y a un problème dans ce que vous avez envoyé",
		"Choisissez des régions dans la liste.", `value="kept@example.org"`, `value="Central" checked`, `action="/fr/alerts"`)
	rec = s.post("/fr/alerts", url.Values{"email": {"nope"}})
	mustContain(t, rec.Body.String(), "Il y a 2 problèmes", "Entrez une adresse courriel comme nom@exemple.com.", "Erreur :")
	rec = s.post("/fr"+casePath+"/follow", url.Values{"email": {"x@"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "Suivre l&#39;appel à l&#39;aide pour Wanda Frenchtest", `action="/fr`+casePath+`/follow"`,
		`value="x@"`, `href="/fr`+casePath+`"`)

	// Sign up on the French site: the answer, the mail, the link.
	rec = s.post("/fr"+casePath+"/follow", url.Values{"email": {"fr@example.org"}})
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != "/fr/alerts/sent" {
		t.Fatalf("Location %q", loc)
	}
	sent := s.get("/fr/alerts/sent").Body.String()
	mustContain(t, sent, "Consultez vos courriels", "valide pendant 48 heures", "au plus 3 courriels de confirmation", `href="/fr/cases"`)
	msgs := s.outbox()
	confirm := msgs[len(msgs)-1]
	if confirm.Kind != mail.KindSubscriptionConfirm || confirm.Subject != "Veuillez confirmer vos alertes par courriel de LostInNL" {
		t.Fatalf("confirmation mail: %s %q", confirm.Kind, confirm.Subject)
	}
	mustContain(t, confirm.Text, "les nouvelles de l'appel à l'aide pour Wanda Frenchtest", "https://missing.example.ca/fr/alerts/confirm?token=", "d'ici 48 heures")
	mustContain(t, confirm.HTML, `<html lang="fr">`, `href="https://missing.example.ca/fr/alerts/confirm?token=`, "Confirmer mes alertes par courriel")
	if subs := s.subsOf("fr@example.org"); len(subs) != 1 || subs[0].Lang != "fr-CA" {
		t.Fatalf("French subscription: %+v", subs)
	}
	token := s.confirmToken()
	form := s.get("/fr" + mail.ConfirmPath + "?token=" + url.QueryEscape(token))
	mustContain(t, form.Body.String(), "Confirmez vos alertes par courriel", `action="/fr/alerts/confirm"`)
	rec = s.post("/fr"+mail.ConfirmPath, url.Values{"token": {token}})
	wantStatus(t, rec, http.StatusSeeOther)
	manage := rec.Header().Get("Location")
	if !strings.HasPrefix(manage, "/fr"+mail.UnsubscribePath+"?token=") {
		t.Fatalf("after confirming: Location %q", manage)
	}
	body := s.get(manage).Body.String()
	// The switch to English keeps the page's token (and only it).
	tok := strings.TrimSuffix(strings.TrimPrefix(manage, "/fr"+mail.UnsubscribePath+"?token="), "&confirmed=1")
	mustContain(t, body, `<p class="lang-switch"><a href="`+mail.UnsubscribePath+`?token=`+tok+`" hreflang="en" lang="en">English</a></p>`)
	mustContain(t, body, "Merci. Vos alertes sont confirmées.", "Mises à jour de l&#39;appel à l&#39;aide pour Wanda Frenchtest",
		`href="/fr`+casePath+`"`, `action="/fr/alerts/unsubscribe?token=`, `href="/fr/alerts"`)
	wantStatus(t, s.post("/fr"+mail.ConfirmPath, url.Values{"token": {token}}), http.StatusNotFound)

	// Area alerts in French, one in English, both confirmed.
	wantStatus(t, s.post("/fr/alerts", url.Values{"email": {"fr@example.org"}, "region": {"Avalon", "Central"}}), http.StatusSeeOther)
	mustContain(t, s.outbox()[len(s.outbox())-1].Text, "les régions d'Avalon et du Centre")
	wantStatus(t, s.post(mail.ConfirmPath, url.Values{"token": {s.confirmToken()}}), http.StatusSeeOther)
	wantStatus(t, s.post("/alerts", url.Values{"email": {"en@example.org"}, "region": {"Avalon"}}), http.StatusSeeOther)
	mustContain(t, s.outbox()[len(s.outbox())-1].Text, "the Avalon region")
	wantStatus(t, s.post(mail.ConfirmPath, url.Values{"token": {s.confirmToken()}}), http.StatusSeeOther)
	wantStatus(t, s.post(casePath+"/follow", url.Values{"email": {"en@example.org"}}), http.StatusSeeOther)
	wantStatus(t, s.post(mail.ConfirmPath, url.Values{"token": {s.confirmToken()}}), http.StatusSeeOther)

	// Events: an update, a new case in Avalon, the first case located.
	ctx := context.Background()
	fan := &mail.Fanouts{Store: s.st, Opener: cipherOpener{s.cipher}, Keys: mail.NewKeys(testMailMaster), Templates: s.web.deps.MailTemplates,
		BaseURL: "https://missing.example.ca", Owner: "test"}
	run := func() {
		t.Helper()
		for range 100 {
			did, err := fan.RunOnce(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !did {
				return
			}
		}
	}
	run() // the cases' own fan-outs so far
	before := len(s.outbox())
	if _, err := s.st.AddUpdate(ctx, id, "Search resumes at dawn.", nil); err != nil {
		t.Fatal(err)
	}
	other := s.addCase(store.StatusPending, func(c *store.Case) { c.FullName = "Nora Newcase"; c.LastSeenDate = c.LastSeenDate.AddDate(0, 0, 11) })
	if err := s.st.TransitionCase(ctx, other, store.StatusMissing, "test", nil); err != nil {
		t.Fatal(err)
	}
	run()
	if err := s.st.TransitionCase(ctx, id, store.StatusLocated, "test", nil); err != nil {
		t.Fatal(err)
	}
	run()
	byKind := map[string][]store.OutboxMessage{}
	for _, m := range s.outbox()[before:] {
		to := s.cipher.open(t, m.Recipient, "outbox", "recipient", m.ID, m.SealToken)
		byKind[m.Kind+" "+to] = append(byKind[m.Kind+" "+to], m)
	}
	one := func(key string) store.OutboxMessage {
		t.Helper()
		if len(byKind[key]) != 1 {
			t.Fatalf("%s: %d messages (have %d kinds)", key, len(byKind[key]), len(byKind))
		}
		return byKind[key][0]
	}
	frManage := "https://missing.example.ca/fr/alerts/unsubscribe?token="
	up := one(mail.KindCaseUpdate + " fr@example.org")
	if up.Subject != "Nouvelles de l'appel à l'aide pour Wanda Frenchtest" {
		t.Errorf("French update subject %q", up.Subject)
	}
	mustContain(t, up.Text, "L'appel à l'aide que vous suivez a été mis à jour.", "Vue pour la dernière fois : 20 novembre 2026, 21\u00a0h\u00a030, Water Street, St. John's",
		"composez le 911", "Mise à jour :\n(Cette mise à jour n'a été rédigée qu'en anglais.)\nSearch resumes at dawn.", "https://missing.example.ca/fr"+casePath, "Gérer ou arrêter ces courriels : "+frManage)
	mustContain(t, up.HTML, `<html lang="fr">`, `href="`+frManage, `href="https://missing.example.ca/fr`+casePath+`"`)
	if !strings.HasPrefix(up.UnsubscribeURL, frManage) || !up.Bulk {
		t.Errorf("French update: List-Unsubscribe %q, bulk %v", up.UnsubscribeURL, up.Bulk)
	}
	area := one(mail.KindAreaAlert + " fr@example.org")
	mustContain(t, area.Subject, "Personne disparue, région Avalon : Nora Newcase")
	mustContain(t, area.Text, "1er décembre 2026", "Un nouvel appel à l'aide a été publié pour la région Avalon")
	closedFr := one(mail.KindCaseClosed + " fr@example.org")
	mustContain(t, closedFr.Text, "L'appel à l'aide pour Wanda Frenchtest est terminé. Merci de l'avoir partagé.", frManage)
	// Each French message: nothing English left but data.
	for _, m := range []store.OutboxMessage{up, area, closedFr} {
		mustNotContain(t, m.Text, "appeal", "email", "Last seen", "call 911")
	}

	// The English subscriber of the same events: English, English links.
	enUp := one(mail.KindCaseUpdate + " en@example.org")
	mustContain(t, enUp.Text, "There is a new update on the appeal you follow.", "Last seen: 20 November 2026, 9:30 PM, Water Street",
		"https://missing.example.ca"+casePath+"\n", "https://missing.example.ca/alerts/unsubscribe?token=")
	mustContain(t, one(mail.KindAreaAlert+" en@example.org").Subject, "Missing in Avalon: Nora Newcase")
	mustContain(t, one(mail.KindCaseClosed+" en@example.org").Text, "The appeal for Wanda Frenchtest has been closed.")
	// Each subscriber's own link in their copy of the one rendering.
	if strings.Contains(up.Text, "manage-link.invalid") || strings.Contains(enUp.HTML, "manage-link.invalid") {
		t.Error("a manage link was not filled in")
	}
	if up.UnsubscribeURL == "" || !strings.Contains(up.Text, up.UnsubscribeURL) || strings.Contains(enUp.Text, strings.TrimPrefix(up.UnsubscribeURL, "https://missing.example.ca/fr")) {
		t.Errorf("manage links: %q in the French copy, English copy:\n%s", up.UnsubscribeURL, enUp.Text)
	}

	// The French manage link's pages are French; one click stops. (The
	// update's subscription ended when the case was located: the area
	// alert's link.)
	link := strings.TrimPrefix(area.UnsubscribeURL, "https://missing.example.ca")
	mustContain(t, s.get(link).Body.String(), "Les courriels d&#39;où vient ce message", "Arrêter tous les courriels à cette adresse")
	rec = s.postFrom(link, "cross-site", "https://mail.example.net", url.Values{"List-Unsubscribe": {"One-Click"}})
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), "Votre abonnement a pris fin", `href="/fr/alerts/unsubscribe?token=`)
	frIndex := mail.NewKeys(testMailMaster).Index("fr@example.org")
	rec = s.post("/fr"+manageLink(frIndex, 0, fixedNow.Add(mail.ManageTTL)), url.Values{"all": {"1"}})
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); !strings.HasPrefix(loc, "/fr/alerts/unsubscribe?token=") || !strings.HasSuffix(loc, "&done=1") {
		t.Errorf("stop all: Location %q", loc)
	}
	mustContain(t, s.get(rec.Header().Get("Location")).Body.String(), "C'est fait.", "Cette adresse ne reçoit aucune alerte de notre part.")
	// Errors in French.
	mustContain(t, s.get("/fr/alerts/unsubscribe?token=forged").Body.String(), "Ce lien ne fonctionne plus")
	mustContain(t, s.post("/fr/cases/"+strconv.FormatInt(id, 10)+"/follow", url.Values{"email": {"a@example.org"}}).Body.String(),
		"il n&#39;est plus possible de le suivre")
}
