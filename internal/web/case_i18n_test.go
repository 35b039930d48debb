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
	"lostinnl/internal/web/site"
)

// caseI18nData are the values the case tests' cases show (staff-written
// data, not text to translate), removed before looking for untranslated
// words.
var caseI18nData = []string{
	"Quentin Pseudocase", "Zelda Pseudofound", "Pseudoville", "Water Street", "RNC", "TEST-0001",
	"brown", "green", "slim", "Red rain jacket", "Tattoo of an anchor", "Left home on foot in the evening.",
	"Search teams are on the trail this morning.", "Quenny", "Thinking of you all", "Ann",
	"Wearing the red jacket",
	// The page's address (shown as the share link) and a brand name.
	"https://missing.example.ca/cases/", "Facebook",
}

// caseI18nSite is a site with one missing case showing every field (a
// photo gallery, an update, notes on with an approved note, a map) and a
// located one, rendered in language l (forced, or "" for by path).
func caseI18nSite(t *testing.T, l i18n.Lang) (s *testSite, open, located int64) {
	t.Helper()
	s = newSite(t, func(d *Deps) {
		d.forceLang = l
		d.Retention = site.Retention{LocatedDays: 14, PendingDays: 61, RejectedDays: 1, TipDays: 400, MessageDays: 45, LocatedPublicDays: 21}
	})
	lat, lng := 47.5615, -52.7126
	open = s.addCase(store.StatusMissing, func(c *store.Case) {
		c.FullName, c.Community, c.Aliases = "Quentin Pseudocase", "Pseudoville", "Quenny"
		c.Build, c.Features = "slim", "Tattoo of an anchor"
		c.Latitude, c.Longitude = &lat, &lng
	})
	located = s.addCase(store.StatusLocated, func(c *store.Case) { c.FullName = "Zelda Pseudofound" })
	ctx := context.Background()
	if err := s.st.AddPhotos(ctx, open, []store.Photo{
		{Key: "k1primary", Primary: true, Width: 1600, Height: 2000},
		{Key: "k2second", Position: 1, Width: 1600, Height: 2000},
		{Key: "k3third", Position: 2, Width: 1600, Height: 2000, Alt: "Wearing the red jacket"},
	}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.AddUpdate(ctx, open, "Search teams are on the trail this morning.", nil); err != nil {
		t.Fatal(err)
	}
	return s, open, located
}

// approveNotes turns notes on and publishes two notes, one of them
// anonymous (no name).
func approveNotes(t *testing.T, s *testSite, id int64) {
	t.Helper()
	notesOn(t, s.st, id)
	ctx := context.Background()
	for _, n := range []struct {
		kind store.NoteKind
		text store.NoteText
	}{
		{store.NoteSupport, store.NoteText{Message: "Thinking of you all", DisplayName: "Ann"}},
		{store.NoteSharing, store.NoteText{}},
	} {
		nid, err := s.st.CreateNote(ctx, id, n.kind, n.text)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.st.ApproveNote(ctx, nid, n.text, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPseudoLocaleCase renders every state of the case pages in the
// pseudo-locale: a missing case (notes off, then on with approved notes,
// with a tip form error, a note form error, just after a tip and a note),
// a photo page, a located case, an archived case's 410 and the 410 of a
// tip or note sent to a closed case. Every visible word must come from
// the catalog.
func TestPseudoLocaleCase(t *testing.T) {
	s, open, located := caseI18nSite(t, i18n.Pseudo)
	resources, err := s.st.ListResources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	extra := caseI18nData
	check := func(name string, rec *httptest.ResponseRecorder, status int) {
		t.Helper()
		if rec.Code != status {
			t.Fatalf("%s: status %d, want %d\n%s", name, rec.Code, status, truncate(rec.Body.String(), 2000))
		}
		if status != http.StatusOK && status != http.StatusNotFound {
			// assertPseudo takes pages that answer 200 or 404; the
			// status was checked just above.
			ok := httptest.NewRecorder()
			ok.Body = rec.Body
			rec = ok
		}
		assertPseudo(t, name, rec, resources, extra...)
	}
	path := fmt.Sprintf("/cases/%d", open)

	rec := s.get(path)
	mustNotContain(t, rec.Body.String(), `id="notes"`) // notes off
	check("missing, notes off", rec, http.StatusOK)

	approveNotes(t, s, open)
	rec = s.get(path)
	mustContain(t, rec.Body.String(), `id="notes"`, `id="note-list"`, `class="gallery"`, `class="place-map"`, `class="timeline"`)
	check("missing, notes on", rec, http.StatusOK)
	check("tip sent", s.get(path+"?tip=sent"), http.StatusOK)
	check("note sent", s.get(path+"?note=sent"), http.StatusOK)

	rec = s.post(path+"/tips", url.Values{"message": {""}, "phone": {"x"}})
	mustContain(t, rec.Body.String(), `id="error-summary"`, `aria-invalid="true"`)
	check("tip form errors", rec, http.StatusUnprocessableEntity)
	check("note form errors", s.post(path+"/notes", noteVals("", "", "")), http.StatusUnprocessableEntity)

	for _, p := range []string{path + "/photos/1", path + "/photos/2", path + "/photos/3"} {
		check(p, s.get(p), http.StatusOK)
	}
	check("located", s.get(fmt.Sprintf("/cases/%d", located)), http.StatusOK)

	// The 410s: a tip and a note about a located case, its photo page,
	// and an archived case.
	check("tip to located", s.post(fmt.Sprintf("/cases/%d/tips", located), url.Values{"message": {"hi"}}), http.StatusGone)
	check("note to located", s.post(fmt.Sprintf("/cases/%d/notes", located), noteVals("support", "hi", "")), http.StatusGone)
	check("photo of located", s.get(fmt.Sprintf("/cases/%d/photos/1", located)), http.StatusGone)
	archived := s.addCase(store.StatusArchived, nil)
	check("archived", s.get(fmt.Sprintf("/cases/%d", archived)), http.StatusGone)

	// A note to a case that takes none: its 404 says why.
	other := s.addCase(store.StatusMissing, nil)
	check("note, notes off", s.post(fmt.Sprintf("/cases/%d/notes", other), noteVals("support", "hi", "")), http.StatusNotFound)
}

// caseLinkRE finds links and form actions to English case addresses.
var caseLinkRE = regexp.MustCompile(`(?:href|action)="(/cases/[^"]*)"[^>]*`)

// TestFrenchCasePage: under /fr the case pages are French (labels, dates,
// times, units, the map's text), their links and form actions stay under
// /fr, the tip and note forms answer in French (errors too) and send the
// visitor back to the French page, and the closed-case answers are French.
// The English page keeps its English addresses.
func TestFrenchCasePage(t *testing.T) {
	s, open, located := caseI18nSite(t, "")
	approveNotes(t, s, open)
	en := fmt.Sprintf("/cases/%d", open)
	fr := "/fr" + en

	rec := s.get(fr)
	wantStatus(t, rec, http.StatusOK)
	body := rec.Body.String()
	mustContain(t, body, `<html lang="fr-CA">`,
		"<title>Personne disparue : Quentin Pseudocase, Pseudoville",
		`<h2 id="desc-title">Signalement</h2>`, "Âge au moment de la disparition", "<dd>Femme</dd>",
		"<dd>170 cm (5 pi 7 po)</dd>", "<dd>70 kg (154 lb)</dd>", "Signes particuliers", "Vêtements portés",
		`<time datetime="2026-11-20">20 novembre 2026 à 21`+"\u00a0h\u00a0"+`30</time>`,
		"Vu(e) pour la dernière fois le 20 novembre 2026 à 21\u00a0h\u00a030, Water Street, Pseudoville, Avalon.",
		"Aussi connu(e) sous le nom de Quenny", "Avez-vous vu Quentin Pseudocase?",
		`ou joignez le service de police <strong>RNC</strong> au <a href="tel:709-729-8000">709-729-8000</a> (dossier TEST-0001).`,
		"Circonstances", "Mises à jour", "Messages de la communauté", "Message de soutien · Ann", "Partage l&#39;avis dans sa communauté · Anonyme",
		"Transmettre un renseignement", "Qu&#39;avez-vous vu ou que savez-vous?", "« mardi soir »",
		"Où la personne a été vue pour la dernière fois", "° N, ", "° O, à Pseudoville ou près de là.", "Photo de Quentin Pseudocase",
		// Links and form actions in French.
		`<link rel="canonical" href="https://missing.example.ca`+fr+`">`,
		`href="`+fr+`/photos/2"`, `href="/fr/map"`, `href="/fr/saved"`,
		`action="`+fr+`/tips"`, `action="`+fr+`/notes"`, `action="`+fr+`/follow"`,
		`<a href="https://missing.example.ca`+fr+`">https://missing.example.ca`+fr+`</a>`,
		`data-copied="Lien copié" data-copy-failed="Copie impossible : le lien est affiché plus bas"`,
		// Files have no French address: their French versions are named
		// with lang=fr.
		`href="`+en+`/poster.pdf?lang=fr"`, `href="`+en+`/poster.pdf?size=a4&amp;lang=fr"`,
		`content="https://missing.example.ca`+en+`/share.jpg?lang=fr"`)
	mustNotContain(t, body, "Send a tip", "Last seen wearing", "Distinguishing features", "Have you seen",
		`href="/map"`, `href="/saved"`, "° W")
	// Every link to a case page is French, but the switch to English and
	// the poster (a file).
	for _, m := range caseLinkRE.FindAllStringSubmatch(body, -1) {
		if !strings.Contains(m[0], `hreflang="en"`) && !strings.Contains(m[1], "/poster.pdf") {
			t.Errorf("English link on the French page: %s", m[0])
		}
	}

	// The English page is unchanged: English text and addresses.
	enBody := s.get(en).Body.String()
	mustContain(t, enBody, `<html lang="en-CA">`, "Send a tip", `action="`+en+`/tips"`, `action="`+en+`/notes"`,
		`href="/map"`, "November 20, 2026 at 21:30", "° W")
	mustNotContain(t, enBody, `action="/fr`, "Signalement", "data-copied")

	// The tip form: posted from the French page, back to it.
	rec = s.post(fr+"/tips", url.Values{"message": {"Saw her near the wharf."}})
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != fr+"?tip=sent#tip-sent" {
		t.Errorf("French tip: Location %q", loc)
	}
	mustContain(t, s.get(fr+"?tip=sent").Body.String(), "Merci. Votre renseignement a été transmis.")
	rec = s.post(fr+"/tips", url.Values{"message": {"x"}, "website": {"spam"}}) // the honeypot
	if loc := rec.Header().Get("Location"); rec.Code != http.StatusSeeOther || loc != fr+"?tip=sent#tip-sent" {
		t.Errorf("French tip honeypot: %d %q", rec.Code, loc)
	}
	if loc := s.post(en+"/tips", url.Values{"message": {"Saw her."}}).Header().Get("Location"); loc != en+"?tip=sent#tip-sent" {
		t.Errorf("English tip: Location %q", loc)
	}
	// Errors: shown again in French, still posting to the French page.
	rec = s.post(fr+"/tips", url.Values{"message": {""}, "seen_location": {"<b>wharf</b>"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	body = rec.Body.String()
	mustContain(t, body, `<html lang="fr-CA">`, "Dites-nous ce que vous avez vu ou ce que vous savez.",
		`<a href="#f-message">Dites-nous`, `action="`+fr+`/tips"`, `value="&lt;b&gt;wharf&lt;/b&gt;"`, "Vos coordonnées (facultatif)")
	mustNotContain(t, body, "Tell us what you saw or know.", "<b>wharf")

	// The note form likewise.
	rec = s.post(fr+"/notes", noteVals("support", "Courage à la famille", "Lise"))
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != fr+"?note=sent#note-sent" {
		t.Errorf("French note: Location %q", loc)
	}
	mustContain(t, s.get(fr+"?note=sent").Body.String(), "Merci — votre mot paraîtra après qu&#39;un modérateur l&#39;aura lu.")
	for _, c := range []struct {
		vals url.Values
		want string
	}{
		{noteVals("", "", ""), "Indiquez s&#39;il s&#39;agit d&#39;un message de soutien"},
		{noteVals("support", "", ""), "Écrivez un court message de soutien."},
		{noteVals("sharing", "", "ann@example.com"), "Indiquez seulement un prénom ou un surnom"},
	} {
		rec := s.post(fr+"/notes", c.vals)
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		mustContain(t, rec.Body.String(), `<html lang="fr-CA">`, c.want, `action="`+fr+`/notes"`, "Laisser un mot")
	}

	// The photo page.
	rec = s.get(fr + "/photos/2")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), "<h1>Photo 2 sur 3 : Quentin Pseudocase</h1>", `<a href="`+fr+`">← Retour à Quentin Pseudocase</a>`,
		`href="`+fr+`/photos/1" rel="prev">Photo précédente`, `href="`+fr+`/photos/3" rel="next">Photo suivante`,
		`<a href="`+fr+`#tip">transmettez un renseignement</a>`, `alt="Photo de Quentin Pseudocase"`)

	// A located case: French notice, dates and links.
	rec = s.get(fmt.Sprintf("/fr/cases/%d", located))
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), "<title>Personne retrouvée : Zelda Pseudofound", "<strong>Personne retrouvée.</strong> Zelda Pseudofound a été retrouvé(e) (information reçue le ",
		"Cet avis sera retiré le ", `<a href="/fr/cases">Voir les personnes toujours disparues</a>`)
	mustNotContain(t, rec.Body.String(), "has been found", "November")

	// Closed: French 410s, nothing kept.
	rec = s.post(fmt.Sprintf("/fr/cases/%d/tips", located), url.Values{"message": {"hi"}})
	wantStatus(t, rec, http.StatusGone)
	mustContain(t, rec.Body.String(), `<html lang="fr-CA">`, "nous ne recevons plus de renseignements sur cette personne")
	rec = s.post(fmt.Sprintf("/fr/cases/%d/notes", located), noteVals("support", "hi", ""))
	wantStatus(t, rec, http.StatusGone)
	mustContain(t, rec.Body.String(), "il ne reçoit plus de mots")
	archived := s.addCase(store.StatusArchived, nil)
	for _, p := range []string{fmt.Sprintf("/fr/cases/%d", archived), fmt.Sprintf("/fr/cases/%d/photos/1", located)} {
		rec = s.get(p)
		wantStatus(t, rec, http.StatusGone)
		mustContain(t, rec.Body.String(), `<html lang="fr-CA">`, "Cet avis de recherche a pris fin et n&#39;est plus publié.")
	}
	notesOff := s.addCase(store.StatusMissing, nil)
	rec = s.post(fmt.Sprintf("/fr/cases/%d/notes", notesOff), noteVals("support", "hi", ""))
	wantStatus(t, rec, http.StatusNotFound)
	mustContain(t, rec.Body.String(), "Ce dossier ne reçoit pas de mots publics")
}
