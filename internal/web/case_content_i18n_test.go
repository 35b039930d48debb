package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// Issue 18 item 4: case texts are shown as entered, in the reader's
// language when staff gave that version, else labelled with their language.

// section is the HTML of the case page's section labelled by id (the
// circumstances or the updates), "" when the page has none.
func section(body, labelledBy string) string {
	i := strings.Index(body, `aria-labelledby="`+labelledBy+`"`)
	if i < 0 {
		return ""
	}
	i = strings.LastIndex(body[:i], "<section")
	s := body[i:]
	return s[:strings.Index(s, "</section>")]
}

func TestCaseContentFallbackAndAlt(t *testing.T) {
	s := newSite(t)
	en := s.addCase(store.StatusMissing, func(c *store.Case) {
		c.Circumstances = "Left home on foot in the evening."
	})
	enAlt := s.addCase(store.StatusMissing, func(c *store.Case) {
		c.FullName = "Alma Bilingual"
		c.Circumstances = "Left home on foot in the evening."
		c.CircumstancesAlt = "Partie de chez elle à pied en soirée."
	})
	fr := s.addCase(store.StatusMissing, func(c *store.Case) {
		c.FullName = "Josée Francophone"
		c.ContentLang = store.ContentFrench
		c.Circumstances = "Partie de chez elle à pied en soirée."
	})

	// An English case without a French version: the French page shows
	// the English text, labelled, in lang="en".
	circ := section(s.get(fmt.Sprintf("/fr/cases/%d", en)).Body.String(), "circ-title")
	mustContain(t, circ, `<h2 id="circ-title">Circonstances</h2>`, `<p class="small">Rédigé en anglais</p>`,
		`<p class="multiline" lang="en">Left home on foot in the evening.</p>`)
	// The English page shows it plainly.
	circ = section(s.get(fmt.Sprintf("/cases/%d", en)).Body.String(), "circ-title")
	mustContain(t, circ, `<h2 id="circ-title">Circumstances</h2>`, `<p class="multiline">Left home on foot in the evening.</p>`)
	mustNotContain(t, circ, "Written in", `lang=`)

	// With the French version: French on /fr, no label; English on /.
	circ = section(s.get(fmt.Sprintf("/fr/cases/%d", enAlt)).Body.String(), "circ-title")
	mustContain(t, circ, `<p class="multiline">Partie de chez elle à pied en soirée.</p>`)
	mustNotContain(t, circ, "Rédigé", "Left home", `lang=`)
	circ = section(s.get(fmt.Sprintf("/cases/%d", enAlt)).Body.String(), "circ-title")
	mustContain(t, circ, "Left home on foot in the evening.")
	mustNotContain(t, circ, "Partie")

	// A French case on the English page: labelled, lang="fr"; on the
	// French page as entered.
	circ = section(s.get(fmt.Sprintf("/cases/%d", fr)).Body.String(), "circ-title")
	mustContain(t, circ, `<p class="small">Written in French</p>`, `<p class="multiline" lang="fr">Partie de chez elle à pied en soirée.</p>`)
	circ = section(s.get(fmt.Sprintf("/fr/cases/%d", fr)).Body.String(), "circ-title")
	mustContain(t, circ, `<p class="multiline">Partie de chez elle à pied en soirée.</p>`)
	mustNotContain(t, circ, "Rédigé", `lang=`)
}

func TestCaseContentUpdates(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	id := s.addCase(store.StatusMissing, nil)
	if _, err := s.st.AddUpdateText(ctx, id, store.UpdateText{Body: "Search resumes at dawn.", BodyAlt: "Les recherches reprennent à l'aube."}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.AddUpdate(ctx, id, "Police thank the volunteers.", nil); err != nil {
		t.Fatal(err)
	}
	ups := section(s.get(fmt.Sprintf("/fr/cases/%d", id)).Body.String(), "updates-title")
	mustContain(t, ups, `<h2 id="updates-title">Mises à jour</h2>`,
		`<p class="multiline">Les recherches reprennent à l&#39;aube.</p>`,
		`<p class="small">Rédigé en anglais</p><p class="multiline" lang="en">Police thank the volunteers.</p>`)
	mustNotContain(t, ups, "Search resumes")
	ups = section(s.get(fmt.Sprintf("/cases/%d", id)).Body.String(), "updates-title")
	mustContain(t, ups, `<p class="multiline">Search resumes at dawn.</p>`, `<p class="multiline">Police thank the volunteers.</p>`)
	mustNotContain(t, ups, "Les recherches", "Written in", "lang=")

	// The API gives both versions and the case's language.
	rec := s.get(fmt.Sprintf("/api/v1/cases/%d", id))
	wantStatus(t, rec, http.StatusOK)
	var d struct {
		ContentLang      string `json:"content_lang"`
		CircumstancesAlt string `json:"circumstances_alt"`
		Updates          []struct {
			Body    string `json:"body"`
			BodyAlt string `json:"body_alt"`
		} `json:"updates"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	if d.ContentLang != "en-CA" || d.CircumstancesAlt != "" || len(d.Updates) != 2 ||
		d.Updates[1].BodyAlt != "Les recherches reprennent à l'aube." || d.Updates[0].BodyAlt != "" {
		t.Fatalf("API: %+v", d)
	}
}

// The first-name-only rule holds in the other language too.
func TestCaseContentFirstNameOnly(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, func(c *store.Case) {
		c.FullName, c.FirstNameOnly = "Jordan Privatesurname", true
		c.CircumstancesAlt = "Jordan Privatesurname est parti à pied."
	})
	if _, err := s.st.AddUpdateText(context.Background(), id, store.UpdateText{Body: "Search continues.", BodyAlt: "Jordan Privatesurname a été vu."}, nil); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fmt.Sprintf("/fr/cases/%d", id), fmt.Sprintf("/api/v1/cases/%d", id)} {
		mustNotContain(t, s.get(p).Body.String(), "Privatesurname")
	}
}

func TestAdminCaseContentLang(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	id := s.addCase(store.StatusMissing, nil)
	path := fmt.Sprintf("/admin/cases/%d", id)
	page := mod.get(path).Body.String()
	mustContain(t, page, `<label for="f-content_lang">Language the case is written in</label>`,
		`<option value="en-CA" selected>English</option>`, `<option value="fr-CA">French</option>`,
		`<label for="f-circumstances_alt">Circumstances in the other language</label>`,
		`name="body_alt"`)

	vals := caseValues()
	vals.Set("police_verified", "yes")
	vals.Set("content_lang", "fr-CA")
	vals.Set("circumstances", "Parti marcher, pas revenu.")
	vals.Set("circumstances_alt", "Went for a walk and did not return.")
	wantStatus(t, mod.post(path, vals), http.StatusSeeOther)
	c, err := s.st.GetCase(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if c.ContentLang != store.ContentFrench || c.CircumstancesAlt != "Went for a walk and did not return." {
		t.Fatalf("saved: lang %q alt %q", c.ContentLang, c.CircumstancesAlt)
	}
	es := s.audit("case.update")
	if len(es) == 0 || !strings.Contains(es[len(es)-1].Summary, "content language") ||
		!strings.Contains(es[len(es)-1].Summary, "circumstances in the other language") {
		t.Errorf("audit: %+v", es)
	}
	page = mod.get(path).Body.String()
	mustContain(t, page, `<option value="fr-CA" selected>French</option>`, "Went for a walk and did not return.</textarea>")

	// Hostile values: an unknown language, a huge other-language text.
	// Clear errors, what was typed kept, nothing saved.
	bad := caseValues()
	bad.Set("police_verified", "yes")
	bad.Set("content_lang", "xx")
	bad.Set("circumstances_alt", "Texte gardé tel quel.")
	rec := mod.post(path, bad)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "Choose English or French.", `href="#f-content_lang"`, "Texte gardé tel quel.</textarea>")
	huge := caseValues()
	huge.Set("police_verified", "yes")
	huge.Set("circumstances_alt", strings.Repeat("a", 10001))
	rec = mod.post(path, huge)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "Please keep this to 10000 characters or fewer (it has 10001).", strings.Repeat("a", 10001)+"</textarea>")
	if c, _ := s.st.GetCase(context.Background(), id); c.ContentLang != store.ContentFrench || c.CircumstancesAlt != "Went for a walk and did not return." {
		t.Fatalf("a refused save changed the case: %q %q", c.ContentLang, c.CircumstancesAlt)
	}

	// A case created in French.
	nv := caseValues()
	nv.Set("content_lang", "fr-CA")
	rec = mod.post("/admin/cases", nv)
	wantStatus(t, rec, http.StatusSeeOther)
	var nid int64
	if _, err := fmt.Sscanf(rec.Header().Get("Location"), "/admin/cases/%d", &nid); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.st.GetCase(context.Background(), nid); c.ContentLang != store.ContentFrench {
		t.Fatalf("created in %q", c.ContentLang)
	}
}

func TestAdminUpdateContentLang(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	ctx := context.Background()
	id := s.addCase(store.StatusMissing, nil)
	base := fmt.Sprintf("/admin/cases/%d/updates", id)
	wantStatus(t, mod.post(base, url.Values{"body": {"Search resumes at dawn."}, "body_alt": {"Les recherches reprennent à l'aube."}}), http.StatusSeeOther)
	us, _ := s.st.ListUpdates(ctx, id)
	if len(us) != 1 || us[0].BodyAlt != "Les recherches reprennent à l'aube." {
		t.Fatalf("added: %+v", us)
	}
	uid := us[0].ID

	// Too long an other-language text: refused, both texts kept.
	rec := mod.post(base, url.Values{"body": {"Kept body."}, "body_alt": {strings.Repeat("é", 5001)}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "Please keep this to 5000 characters or fewer (it has 5001).", "Kept body.</textarea>", `id="f-body_alt-error"`)
	// Only the other-language text: the update's own text is required.
	rec = mod.post(base, url.Values{"body": {""}, "body_alt": {"Seulement en français."}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "Write the update first.", "Seulement en français.</textarea>")
	if us, _ := s.st.ListUpdates(ctx, id); len(us) != 1 {
		t.Fatalf("refused posts added updates: %d", len(us))
	}

	// The edit form carries the other version; clearing it removes it.
	page := mod.get(fmt.Sprintf("/admin/cases/%d", id)).Body.String()
	mustContain(t, page, `name="body_alt" rows="3" maxlength="5000">Les recherches reprennent à l&#39;aube.</textarea>`)
	rec = mod.post(fmt.Sprintf("%s/%d", base, uid), url.Values{"body": {"Search resumes at 7."}, "body_alt": {strings.Repeat("x", 5001)}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "the version in the other language: Please keep this to 5000 characters")
	// An edit post without the field (an older form) keeps the version.
	wantStatus(t, mod.post(fmt.Sprintf("%s/%d", base, uid), url.Values{"body": {"Search resumes at 6."}}), http.StatusSeeOther)
	if us, _ := s.st.ListUpdates(ctx, id); us[0].Body != "Search resumes at 6." || us[0].BodyAlt == "" {
		t.Fatalf("edit without body_alt: %+v", us[0])
	}
	wantStatus(t, mod.post(fmt.Sprintf("%s/%d", base, uid), url.Values{"body": {"Search resumes at 6."}, "body_alt": {""}}), http.StatusSeeOther)
	if us, _ := s.st.ListUpdates(ctx, id); us[0].BodyAlt != "" {
		t.Fatalf("cleared: %+v", us[0])
	}
}

// TestPseudoLocaleCaseContent: every text this area adds to the case page
// (headings, the language label) comes from the catalog. Only its blocks
// are checked: the rest of the page is another area's.
func TestPseudoLocaleCaseContent(t *testing.T) {
	s := newSite(t, func(d *Deps) { d.forceLang = i18n.Pseudo })
	id := s.addCase(store.StatusMissing, func(c *store.Case) {
		c.ContentLang = store.ContentFrench
		c.Circumstances = "Partie à pied."
	})
	if _, err := s.st.AddUpdate(context.Background(), id, "Recherches en cours.", nil); err != nil {
		t.Fatal(err)
	}
	body := s.get(fmt.Sprintf("/cases/%d", id)).Body.String()
	for _, sec := range []string{"circ-title", "updates-title"} {
		html := section(body, sec)
		if html == "" {
			t.Fatalf("no %s section", sec)
		}
		text := strings.NewReplacer("Partie à pied.", " ", "Recherches en cours.", " ").Replace(visibleText(html + "</section>"))
		if words := i18n.Untranslated(text); len(words) > 0 {
			t.Errorf("%s: text outside the catalog: %q", sec, words)
		}
		if !strings.Contains(text, i18n.PseudoOpen) {
			t.Errorf("%s: no pseudo-localized text", sec)
		}
	}
}

// A report typed on the French form is a case written in French.
func TestReportContentLang(t *testing.T) {
	s := newSite(t)
	for _, c := range []struct{ path, name, want string }{
		{"/fr/submit", "Priscilla Enfrançais", store.ContentFrench},
		{"/submit", "Priscilla Inenglish", store.ContentEnglish},
	} {
		vals := validReport()
		vals.Set("full_name", c.name)
		wantStatus(t, s.post(c.path, vals), http.StatusSeeOther)
		list, err := s.st.SearchCases(context.Background(), store.CaseQuery{Statuses: []store.Status{store.StatusPending}, Q: strings.Fields(c.name)[1]})
		if err != nil || len(list.Cases) != 1 {
			t.Fatalf("%s: %v %+v", c.path, err, list)
		}
		if got := list.Cases[0].ContentLang; got != c.want {
			t.Errorf("%s: content_lang %q, want %q", c.path, got, c.want)
		}
	}
}
