package mail

import (
	"context"
	"html"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	tparse "text/template/parse"
	"time"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// Mail in English and French (issue 18).

// everyKind is one message of every kind, with data values that are not
// text to translate (names, references, URLs).
func everyKind() []Content {
	info := CaseInfo{Name: "Jane Pseudodoe", URL: "https://lostinnl.test/cases/7", PhotoURL: "https://lostinnl.test/media/abc_320.jpg",
		LastSeenDate: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), LastSeenTime: "21:40", LastSeenPlace: "Water Street",
		Agency: "RNC", AgencyPhone: "709-555-0100"}
	manage := "https://lostinnl.test/alerts/unsubscribe?token=tok"
	return []Content{
		SubscriptionConfirm{CaseName: "Jane Pseudodoe", ConfirmURL: "https://lostinnl.test/alerts/confirm?token=T"},
		SubscriptionConfirm{Regions: []string{"Avalon", "Central", "Western"}, ConfirmURL: "https://lostinnl.test/alerts/confirm?token=T"},
		SubscriptionConfirm{Regions: []string{"Eastern"}, ConfirmURL: "https://lostinnl.test/alerts/confirm?token=T"},
		SubscriptionConfirm{Regions: []string{store.AllRegions}, ConfirmURL: "https://lostinnl.test/alerts/confirm?token=T"},
		CaseUpdate{Case: info, Update: "Zzupdate text", ManageURL: manage},
		CaseUpdate{Case: info, Update: "Zzupdate text", Original: i18n.English, ManageURL: manage},
		CaseClosed{Name: "Jane Pseudodoe", ManageURL: manage},
		AreaAlert{Case: info, Region: "Labrador", ManageURL: manage},
		ReporterConfirmation{Reference: "LNL-7K2Q", StatusURL: "https://lostinnl.test/report/x"},
		ReportPublished{Reference: "LNL-7K2Q", CaseURL: "https://lostinnl.test/cases/7"},
		ReportNotPublished{Reference: "LNL-7K2Q", ContactURL: "https://lostinnl.test/contact"},
		ReporterCaseClosed{Reference: "LNL-7K2Q"},
		StaffReportReview{AdminURL: "https://lostinnl.test/admin/reports"},
		StaffTip{CaseID: 7, AdminURL: "https://lostinnl.test/admin/tips"},
	}
}

var (
	mailURLRe = regexp.MustCompile(`https?://\S+`)
	mailTagRe = regexp.MustCompile(`(?s)<(style|title)\b.*?</(style|title)>|<[^>]*>`)
	mailAltRe = regexp.MustCompile(`\balt="([^"]*)"`)
	mailData  = []string{"Jane Pseudodoe", "Zzupdate text", "LNL-7K2Q", "Water Street", "RNC", "709-555-0100", "LostInNL"}
)

// withoutData removes URLs and data values: what is left is text the
// templates wrote.
func withoutData(s string) string {
	s = mailURLRe.ReplaceAllString(s, " ")
	for _, d := range mailData {
		s = strings.ReplaceAll(s, d, " ")
	}
	return s
}

// htmlText is the visible text of an HTML part (and its alt texts).
func htmlText(s string) string {
	var b strings.Builder
	for _, m := range mailAltRe.FindAllStringSubmatch(s, -1) {
		b.WriteString(html.UnescapeString(m[1]) + "\n")
	}
	b.WriteString(html.UnescapeString(mailTagRe.ReplaceAllString(s, " ")))
	return b.String()
}

// TestMailPseudoLocale renders every kind of message in the pseudo-locale:
// a word of the subject, text or HTML outside ［…］ did not come from the
// catalog.
func TestMailPseudoLocale(t *testing.T) {
	tpl, err := LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range everyKind() {
		r, err := tpl.RenderLang(i18n.Pseudo, c)
		if err != nil {
			t.Fatalf("%s: %v", c.Kind(), err)
		}
		for part, text := range map[string]string{"subject": r.Subject, "text": r.Text, "HTML": htmlText(r.HTML)} {
			if words := i18n.Untranslated(withoutData(text)); len(words) > 0 {
				t.Errorf("%s %s: text outside the catalog: %q\n%s", c.Kind(), part, words, text)
			}
			if !strings.Contains(text, i18n.PseudoOpen) {
				t.Errorf("%s %s: nothing pseudo-localized", c.Kind(), part)
			}
		}
	}
}

// TestMailFrench renders every kind in French: French words and formats,
// and no line of the English rendering left in it (data aside).
func TestMailFrench(t *testing.T) {
	tpl, err := LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		KindSubscriptionConfirm:  {"Quelqu'un, vous sans doute", "d'ici 48 heures", "supprimée après 48 heures"},
		KindCaseUpdate:           {"mis à jour", "Vue pour la dernière fois : 1er décembre 2026, 21\u00a0h\u00a040, Water Street", "composez le 911", "Mise à jour :", "Gérer ou arrêter ces courriels : https://lostinnl.test/alerts/unsubscribe?token=tok"},
		KindCaseClosed:           {"est terminé. Merci de l'avoir partagé."},
		KindAreaAlert:            {"pour la région Labrador", "1er décembre 2026"},
		KindReporterConfirmation: {"Votre numéro de référence est LNL-7K2Q", "composez le 911"},
		KindReportPublished:      {"a été vérifié"},
		KindReportNotPublished:   {"ne peut pas être publié", "composez le 911"},
		KindReporterCaseClosed:   {"est terminé"},
		KindStaffReportReview:    {"attend d'être examiné", "File d'examen : https://lostinnl.test/admin/reports"},
		KindStaffTip:             {"pour le dossier nº 7", "Renseignements : https://lostinnl.test/admin/tips"},
	}
	subjects := map[string]string{
		KindSubscriptionConfirm:  "Veuillez confirmer vos alertes par courriel de LostInNL",
		KindCaseUpdate:           "Nouvelles de l'appel à l'aide pour Jane Pseudodoe",
		KindCaseClosed:           "Un appel à l'aide que vous suiviez est terminé",
		KindAreaAlert:            "Personne disparue, région Labrador : Jane Pseudodoe",
		KindReporterConfirmation: "Nous avons reçu votre signalement (référence LNL-7K2Q)",
		KindReportPublished:      "Votre signalement LNL-7K2Q est maintenant publié",
		KindReportNotPublished:   "Au sujet de votre signalement LNL-7K2Q",
		KindReporterCaseClosed:   "L'appel à l'aide issu de votre signalement LNL-7K2Q est terminé",
		KindStaffReportReview:    "Un signalement attend d'être examiné",
		KindStaffTip:             "Un renseignement est arrivé pour le dossier nº 7",
	}
	for _, c := range everyKind() {
		fr, err := tpl.RenderLang(i18n.French, c)
		if err != nil {
			t.Fatalf("%s: %v", c.Kind(), err)
		}
		en, err := tpl.Render(c)
		if err != nil {
			t.Fatal(err)
		}
		if fr.Subject != subjects[c.Kind()] {
			t.Errorf("%s: subject %q", c.Kind(), fr.Subject)
		}
		for _, s := range want[c.Kind()] {
			if !strings.Contains(fr.Text, s) {
				t.Errorf("%s: French text lacks %q:\n%s", c.Kind(), s, fr.Text)
			}
		}
		if !strings.Contains(fr.HTML, `<html lang="fr">`) {
			t.Errorf("%s: HTML not marked French", c.Kind())
		}
		for part, pair := range map[string][2]string{"text": {en.Text, fr.Text}, "HTML": {htmlText(en.HTML), htmlText(fr.HTML)}} {
			for _, line := range strings.Split(withoutData(pair[0]), "\n") {
				line = strings.Trim(line, " .:,—-()")
				if len(i18n.Untranslated(line)) > 0 && strings.Contains(withoutData(pair[1]), line) {
					t.Errorf("%s %s: English left in the French message: %q", c.Kind(), part, line)
				}
			}
		}
	}
	// An update with no French version says it is in English.
	r, _ := tpl.RenderLang(i18n.French, CaseUpdate{Case: CaseInfo{Name: "J"}, Update: "Search resumes.", Original: i18n.English})
	if !strings.Contains(r.Text, "(Cette mise à jour n'a été rédigée qu'en anglais.)\nSearch resumes.") || !strings.Contains(r.HTML, `<p style="white-space:pre-line;margin:4px 0 0" lang="en">Search resumes.</p>`) {
		t.Errorf("update in English:\n%s\n%s", r.Text, r.HTML)
	}
	// The regions as French writes them after "région".
	r, _ = tpl.RenderLang(i18n.French, SubscriptionConfirm{Regions: []string{"Avalon", "Central", "Western"}, ConfirmURL: "https://x.test/c"})
	if !strings.Contains(r.Text, "les régions d'Avalon, du Centre et de l'Ouest") {
		t.Errorf("regions: %s", r.Text)
	}
	r, _ = tpl.RenderLang(i18n.French, SubscriptionConfirm{Regions: []string{store.AllRegions}, ConfirmURL: "https://x.test/c"})
	if !strings.Contains(r.Text, "pour l'ensemble de Terre-Neuve-et-Labrador") {
		t.Errorf("all regions: %s", r.Text)
	}
	// English keeps its forms.
	r, _ = tpl.Render(everyKind()[4])
	if strings.Contains(r.Text, "only") {
		t.Errorf("update in the reader's language labelled:\n%s", r.Text)
	}
	if !strings.Contains(r.Text, "Last seen: 1 December 2026, 9:40 PM, Water Street") || !strings.Contains(r.Text, "\nUpdate:\n") {
		t.Errorf("English update:\n%s", r.Text)
	}
	r, _ = tpl.Render(everyKind()[0])
	if !strings.Contains(r.Text, "open this link within 48 hours:") || !strings.Contains(r.HTML, `<html lang="en">`) {
		t.Errorf("English confirmation:\n%s", r.Text)
	}
}

// mailMessage is one catalog message a mail template uses.
type mailMessage struct {
	ctxt, id, file string
	html           bool
}

// mailTemplateMessages finds every literal t, th, tc and n call in the
// mail templates.
func mailTemplateMessages(t *testing.T) []mailMessage {
	t.Helper()
	var out []mailMessage
	var walk func(n tparse.Node, file string)
	walk = func(n tparse.Node, file string) {
		switch n := n.(type) {
		case *tparse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c, file)
				}
			}
		case *tparse.ActionNode:
			walk(n.Pipe, file)
		case *tparse.PipeNode:
			if n != nil {
				for _, c := range n.Cmds {
					walk(c, file)
				}
			}
		case *tparse.CommandNode:
			str := func(i int) (string, bool) {
				if i >= len(n.Args) {
					return "", false
				}
				s, ok := n.Args[i].(*tparse.StringNode)
				if !ok {
					return "", false
				}
				return s.Text, true
			}
			if id, ok := n.Args[0].(*tparse.IdentifierNode); ok {
				switch id.Ident {
				case "t", "th", "n":
					if s, ok := str(1); ok {
						out = append(out, mailMessage{id: s, file: file, html: id.Ident == "th" && strings.HasSuffix(file, ".html")})
					}
				case "tc":
					c, ok1 := str(1)
					s, ok2 := str(2)
					if ok1 && ok2 {
						out = append(out, mailMessage{ctxt: c, id: s, file: file})
					}
				}
			}
			for _, a := range n.Args {
				walk(a, file)
			}
		case *tparse.IfNode:
			walk(n.Pipe, file)
			walk(n.List, file)
			walk(n.ElseList, file)
		case *tparse.RangeNode:
			walk(n.Pipe, file)
			walk(n.List, file)
			walk(n.ElseList, file)
		case *tparse.WithNode:
			walk(n.Pipe, file)
			walk(n.List, file)
			walk(n.ElseList, file)
		case *tparse.TemplateNode:
			walk(n.Pipe, file)
		}
	}
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(templateFS, p)
		if err != nil {
			return err
		}
		tr := tparse.New(p)
		tr.Mode = tparse.SkipFuncCheck
		trees := map[string]*tparse.Tree{}
		if _, err := tr.Parse(string(src), "{{", "}}", trees); err != nil {
			return err
		}
		for _, tree := range trees {
			walk(tree.Root, filepath.Base(p))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMailCatalog: every message of the mail templates is in the French
// catalog, and a message printed as HTML (th) carries the same markup in
// French as in English; the plain ones none.
func TestMailCatalog(t *testing.T) {
	fr := i18n.For(i18n.French)
	msgs := mailTemplateMessages(t)
	if len(msgs) < 40 {
		t.Fatalf("only %d messages found: is the scan broken?", len(msgs))
	}
	tag := regexp.MustCompile(`<[^>]*>`)
	for _, m := range msgs {
		if !fr.Has(m.ctxt, m.id) {
			t.Errorf("%s: not in the fr-CA catalog: %s|%s", m.file, m.ctxt, m.id)
			continue
		}
		got, want := tag.FindAllString(fr.TC(m.ctxt, m.id), -1), tag.FindAllString(m.id, -1)
		if !m.html && len(want) > 0 && !strings.HasSuffix(m.file, ".html") {
			t.Errorf("%s: markup in a text-part message %q", m.file, m.id)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: %q: French markup %q, want %q", m.file, m.id, got, want)
		}
	}
}

// TestFanoutLanguages: one event, subscribers and staff in both
// languages: each gets their language, with links to their language's
// pages; staff take users.lang.
func TestFanoutLanguages(t *testing.T) {
	ctx := context.Background()
	r := newMailRig(t)
	st := r.st
	for _, u := range []struct{ email, lang string }{{"modfr@lostinnl.test", "fr-CA"}, {"moden@lostinnl.test", ""}} {
		if _, err := st.CreateUser(ctx, &store.User{Email: u.email, DisplayName: "Mod", Role: store.RoleModerator, PasswordHash: "x", Lang: u.lang}, nil); err != nil {
			t.Fatal(err)
		}
	}

	// Subscribers on both sites, more than one batch of each.
	for _, s := range []struct {
		email string
		lang  i18n.Lang
	}{{"fr1@example.org", i18n.French}, {"en1@example.org", i18n.English}, {"fr2@example.org", i18n.French}, {"en2@example.org", ""}, {"fr3@example.org", i18n.French}} {
		req, err := NewSubscribeRequest(r.keys, r.tpl, r.base, "missingpersons.example.ca", SubscribeForm{Email: s.email, Regions: []string{"Avalon"}, Lang: s.lang}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if req.Lang != string(mailLang(string(s.lang))) {
			t.Fatalf("request lang %q", req.Lang)
		}
		if _, err := st.Subscribe(ctx, req); err != nil {
			t.Fatal(err)
		}
		i := strings.Index(req.Confirm.Text, "?token=")
		if _, _, err := st.ConfirmSubscription(ctx, req.ConfirmToken, time.Now()); err != nil || i < 0 {
			t.Fatalf("confirm: %v", err)
		}
		wantLink := r.base + "/alerts/confirm?token="
		if s.lang == i18n.French {
			wantLink = r.base + "/fr/alerts/confirm?token="
		}
		if !strings.Contains(req.Confirm.Text, wantLink) {
			t.Errorf("%s: confirmation link not %s…:\n%s", s.email, wantLink, req.Confirm.Text)
		}
	}
	rc, err := st.CreateReport(ctx, fictionalCase("Jane Langtest", "Avalon"), store.ReporterContact{Name: "R", Email: "reporter@example.org"}, nil, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	r.flush(t) // the report's own notices
	if err := st.TransitionCase(ctx, rc.CaseID, store.StatusMissing, "test", nil); err != nil {
		t.Fatal(err)
	}
	r.flush(t)
	for addr, fr := range map[string]bool{"fr1@example.org": true, "fr2@example.org": true, "fr3@example.org": true, "en1@example.org": false, "en2@example.org": false} {
		var alert *parsedMail
		for i, m := range r.inbox[addr] {
			if strings.Contains(m.Subject, "Jane Langtest") {
				alert = &r.inbox[addr][i]
			}
		}
		if alert == nil {
			t.Fatalf("%s: no alert, got %v", addr, r.subjects(addr))
		}
		subject, manage, caseLink := "Missing in Avalon: Jane Langtest", r.base+"/alerts/unsubscribe?token=", r.base+"/cases/"
		if fr {
			subject, manage, caseLink = "Personne disparue, région Avalon : Jane Langtest", r.base+"/fr/alerts/unsubscribe?token=", r.base+"/fr/cases/"
		}
		if alert.Subject != subject || !strings.HasPrefix(alert.Unsubscribe, manage) || !strings.Contains(alert.Text, caseLink) {
			t.Errorf("%s: %q, List-Unsubscribe %q\n%s", addr, alert.Subject, alert.Unsubscribe, alert.Text)
		}
		// Their own link, in both parts.
		if !strings.Contains(alert.Text, alert.Unsubscribe) || !strings.Contains(alert.HTML, html.EscapeString(alert.Unsubscribe)) || strings.Contains(alert.Text+alert.HTML, "manage-link.invalid") {
			t.Errorf("%s: manage link not filled in:\n%s", addr, alert.Text)
		}
	}

	// Staff notices: a report awaits review.
	if _, err := st.CreateReport(ctx, fictionalCase("Jane Pending", "Central"), store.ReporterContact{Name: "R"}, nil, nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	r.flush(t)
	if got := r.subjects("modfr@lostinnl.test"); !slices.Contains(got, "Un signalement attend d'être examiné") {
		t.Errorf("French moderator got %v", got)
	}
	if got := r.subjects("moden@lostinnl.test"); !slices.Contains(got, "A report awaits review") {
		t.Errorf("English moderator got %v", got)
	}
}

// TestUpdateTexts: a reader gets the update in their language when it was
// written in it or staff wrote that version; otherwise the original,
// said to be in its language.
func TestUpdateTexts(t *testing.T) {
	c := &store.Case{ContentLang: string(i18n.English)}
	u := &store.Update{Body: "Search resumes."}
	if s, o := updateIn(c, u, i18n.English); s != "Search resumes." || o != "" {
		t.Errorf("English reader: %q %q", s, o)
	}
	if s, o := updateIn(c, u, i18n.French); s != "Search resumes." || o != i18n.English {
		t.Errorf("French reader, no French version: %q %q", s, o)
	}
	u.BodyAlt = "Les recherches reprennent."
	if s, o := updateIn(c, u, i18n.French); s != u.BodyAlt || o != "" {
		t.Errorf("French reader: %q %q", s, o)
	}
	c, u = &store.Case{ContentLang: string(i18n.French)}, &store.Update{Body: "Les recherches reprennent."}
	if s, o := updateIn(c, u, i18n.English); s != u.Body || o != i18n.French {
		t.Errorf("English reader of a French case: %q %q", s, o)
	}
}
