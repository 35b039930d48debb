package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"testing"

	"lostinnl/internal/store"
)

// Distinctive words of the first-name-only case below: found on a public
// surface, they are a leak.
const (
	fnoSurname = "Zxqwerty"
	fnoAlias   = "Vbnmzx"
)

// leaks reports whether a public body names the surname or the alias.
func leaks(body string) bool {
	b := strings.ToLower(body)
	return strings.Contains(b, strings.ToLower(fnoSurname)) || strings.Contains(b, strings.ToLower(fnoAlias))
}

// TestFirstNameOnlyEverywhere: a moderator turns first-name-only
// publishing on for a published case (audited); from then on every public
// surface — case page (title, headings, meta and Open Graph tags), photo
// page, listings, home, search and live search, the JSON API, the feeds,
// the sitemap, PFIF (bulk and per case), the poster — shows "Jordan Z."
// and never the surname or the alias, also where a photo caption or an
// update wrote the full name; searching by the surname or the alias finds
// nothing while the first name still does; staff keep the full name.
// Once located, the located page, the PFIF record and the removal request
// keep the short name too.
func TestFirstNameOnlyEverywhere(t *testing.T) {
	s := newAdminSite(t)
	mod, adm := s.staff()
	pub := s.browser()
	ctx := context.Background()
	id := s.addCase(store.StatusMissing, func(c *store.Case) {
		c.FullName = "Jordan " + fnoSurname
		c.Aliases = "Jojo " + fnoAlias
		age := 14
		c.Age = &age
		c.Community, c.Region = "Gander", "Central"
		c.Circumstances = "Jordan " + fnoSurname + " left school at noon."
	})
	page := fmt.Sprintf("/cases/%d", id)
	admin := fmt.Sprintf("/admin/cases/%d", id)
	// The admin upload captions the photo "Photo of <full name>".
	wantStatus(t, mod.postFiles(admin+"/photos", nil, map[string][]byte{"one.png": testPNG(t, 60, 80), "two.png": testPNG(t, 80, 60)}), http.StatusSeeOther)
	if _, err := s.st.AddUpdate(ctx, id, "Searchers found a bag belonging to Jordan "+fnoSurname+".", nil); err != nil {
		t.Fatal(err)
	}

	// Before: the full name is public (the check can fail).
	if body := pub.get(page).Body.String(); !strings.Contains(body, fnoSurname) {
		t.Fatal("the case page does not show the full name before the option is on")
	}

	// A moderator turns it on with the case form.
	vals := formValues(t, mod.get(admin).Body.String(), "case-form")
	if vals.Get("first_name_only") != "" {
		t.Fatal("the option is ticked on a new case")
	}
	vals.Set("first_name_only", "<b>on</b>") // any value of a checkbox is "ticked"
	wantStatus(t, mod.post(admin, vals), http.StatusSeeOther)
	if es := s.audit("case.update"); len(es) == 0 || !strings.Contains(es[0].Summary, "first-name-only publishing on") {
		t.Fatalf("audit: %+v", es)
	}

	staff := mod.get(admin).Body.String()
	mustContain(t, staff, "Jordan "+fnoSurname, fnoAlias, `id="f-first_name_only" name="first_name_only" value="yes" checked`,
		`id="first-name-only"`, "The public sees this person as <strong>Jordan Z.</strong>")
	// The update's full name is replaced in public; the circumstances'
	// too; nothing names the surname alone, so no warning.
	mustNotContain(t, staff, "The surname still shows")

	type surface struct {
		path string
		want []string
	}
	surfaces := []surface{
		{page, []string{"<h1 id=\"case-name\">Jordan Z.</h1>", "<title>Missing: Jordan Z., Gander", "Have you seen Jordan Z.?",
			`content="Jordan Z. was last seen`, `property="og:title" content="Missing: Jordan Z., Gander`, "Photo of Jordan Z.",
			"Searchers found a bag belonging to Jordan Z..", "Jordan Z. left school at noon."}},
		{page + "/photos/1", []string{"Photo 1 of 2: Jordan Z.", "Photo of Jordan Z."}},
		{page + "/photos/2", []string{"Photo of Jordan Z."}},
		{"/", []string{"Jordan Z."}},
		{"/cases", []string{"Jordan Z."}},
		{"/cases?region=Central&sort=name", []string{"Jordan Z."}},
		{"/cases?q=Jordan", []string{"Jordan Z.", page}},
		{"/cases?q=Jord&live=1", []string{"Jordan Z."}},
		{"/api/v1/cases", []string{`"full_name":"Jordan Z."`, `"name_restricted":true`}},
		{"/api/v1/cases?q=jordan&live=1", []string{`"full_name":"Jordan Z."`}},
		{fmt.Sprintf("/api/v1/cases/%d", id), []string{`"full_name":"Jordan Z."`, `"name_restricted":true`, `"aliases":""`,
			`"alt":"Photo of Jordan Z."`, "belonging to Jordan Z.."}},
		{"/api/v1/openapi.json", []string{"name_restricted"}},
		{"/feeds/cases", []string{"Missing: Jordan Z., 14, Gander"}},
		{"/feeds/regions/central", []string{"Missing: Jordan Z."}},
		{fmt.Sprintf("/feeds/cases/%d", id), []string{"updates on Jordan Z.", "Update on Jordan Z.: Searchers found a bag belonging to Jordan Z.."}},
		{"/sitemap.xml", []string{page}},
		{"/pfif/1.4/persons.xml", []string{"<full_name>Jordan Z.</full_name>", "<given_name>Jordan</given_name>"}},
		{fmt.Sprintf("/pfif/1.4/persons/%d.xml", id), []string{"<full_name>Jordan Z.</full_name>"}},
		{page + "/share.jpg", nil},
		{page + "/poster.pdf", nil},
	}
	for _, sf := range surfaces {
		rec := pub.get(sf.path)
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status %d", sf.path, rec.Code)
			continue
		}
		body := rec.Body.String()
		if leaks(body) {
			i := strings.Index(strings.ToLower(body), strings.ToLower(fnoSurname))
			t.Errorf("%s names the surname or alias: …%s…", sf.path, body[max(0, i-200):min(len(body), i+100)])
		}
		for _, w := range sf.want {
			if !strings.Contains(body, w) && !strings.Contains(body, strings.ReplaceAll(w, `"`, "&#34;")) {
				t.Errorf("%s does not contain %q", sf.path, w)
			}
		}
		if strings.Contains(sf.path, "pfif") && strings.Contains(body, "family_name") {
			t.Errorf("%s has a family_name", sf.path)
		}
		if sf.path == page+"/poster.pdf" {
			if bin, err := exec.LookPath("pdftotext"); err != nil {
				t.Log("pdftotext not installed (poppler-utils): the poster's text is not checked")
			} else {
				text := runPDFToText(t, bin, rec.Body.Bytes())
				if leaks(text) || !strings.Contains(text, "Jordan Z.") {
					t.Errorf("poster text:\n%s", text)
				}
			}
		}
	}

	// Search by the surname or the alias finds nothing, in every search.
	for _, q := range []string{fnoSurname, strings.ToLower(fnoSurname), "Jordan " + fnoSurname, fnoAlias, "Jojo", "Zxqwert"} {
		for _, path := range []string{"/cases?q=" + url.QueryEscape(q), "/cases?live=1&q=" + url.QueryEscape(q)} {
			body := pub.get(path).Body.String()
			if strings.Contains(body, `href="`+page+`"`) || strings.Contains(body, "Jordan Z.") {
				t.Errorf("%s finds the case", path)
			}
		}
		var res struct {
			Total int `json:"total"`
		}
		rec := pub.get("/api/v1/cases?q=" + url.QueryEscape(q))
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || res.Total != 0 {
			t.Errorf("API search %q: total %d, %v", q, res.Total, err)
		}
	}

	// Located: the name-only page, the expired PFIF record and the
	// removal request staff send to other sites keep the short name.
	wantStatus(t, mod.post(admin+"/status", url.Values{"to": {"located"}, "confirm": {"yes"}}), http.StatusSeeOther)
	c, err := s.st.GetCase(ctx, id)
	if err != nil || c.Status != store.StatusLocated {
		t.Fatalf("not located: %v %v", c, err)
	}
	for _, path := range []string{page, fmt.Sprintf("/pfif/1.4/persons/%d.xml", id), "/pfif/1.4/persons.xml", "/api/v1/cases?status=all", fmt.Sprintf("/api/v1/cases/%d", id)} {
		if body := pub.get(path).Body.String(); leaks(body) {
			t.Errorf("located: %s names the surname", path)
		}
	}
	mustContain(t, pub.get(page).Body.String(), "Jordan Z.")
	takedown := adm.get(admin + "/takedown").Body.String()
	mustContain(t, takedown, "Please remove the missing-person appeal for Jordan Z.")
	if strings.Contains(takedown[strings.Index(takedown, `id="removal-request"`):], fnoSurname) {
		t.Error("the removal request names the surname")
	}
	// Staff still see the full name.
	mustContain(t, mod.get(admin).Body.String(), "<h1>Jordan "+fnoSurname+"</h1>")
}

func runPDFToText(t *testing.T, bin string, pdf []byte) string {
	t.Helper()
	cmd := exec.Command(bin, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = strings.NewReader(string(pdf))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

// TestFirstNameOnlyLeakWarning: a surname left on its own in a public
// text (not the full name, which is replaced) is listed for staff, and
// kept out of the search index.
func TestFirstNameOnlyLeakWarning(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	id := s.addCase(store.StatusMissing, func(c *store.Case) {
		c.FullName = "Jordan " + fnoSurname
		c.FirstNameOnly = true
		c.Clothing = "A " + fnoSurname + " family hoodie"
	})
	mustContain(t, mod.get(fmt.Sprintf("/admin/cases/%d", id)).Body.String(), "The surname still shows on its own in:</strong> clothing.")
	// The page shows that text as written, but search does not index the
	// surname in it: the hoodie finds the case, the surname does not.
	pub := s.browser()
	mustContain(t, pub.get("/cases?q=hoodie").Body.String(), fmt.Sprintf(`href="/cases/%d"`, id))
	mustNotContain(t, pub.get("/cases?q="+fnoSurname).Body.String(), fmt.Sprintf(`href="/cases/%d"`, id))
}

// TestReportFirstNameOnlyRequest: the report form's request. Under 16 and
// asked: on at once. Older and asked: off, flagged on the review page.
// Under 16 and not asked, with another error: the form comes back with
// the box ticked and a note, once; an untick after that is kept. Hostile
// values of the two fields are only ever "ticked" or not.
func TestReportFirstNameOnlyRequest(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	pub := s.browser()
	lastReport := func() *store.Case {
		t.Helper()
		list, err := s.st.SearchCases(context.Background(), store.CaseQuery{Statuses: []store.Status{store.StatusPending}})
		if err != nil || len(list.Cases) == 0 {
			t.Fatalf("no pending report: %v", err)
		}
		c, err := s.st.GetCase(context.Background(), list.Cases[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	form := pub.get("/submit").Body.String()
	mustContain(t, form, `name="first_name_only" value="yes" aria-describedby="f-first_name_only-hint">`, "If the person is under 16 and you tick this")
	mustNotContain(t, form, "first_name_suggested")

	// Under 16, asked (with a hostile value): on.
	v := with(with(with(validReport(), "age", "12"), "first_name_only", "<script>alert(1)</script>"), "full_name", "Kit Childcase")
	wantStatus(t, pub.post("/submit", v), http.StatusSeeOther)
	if c := lastReport(); c.FullName != "Kit Childcase" || !c.FirstNameOnly || !c.FirstNameRequested {
		t.Fatalf("child, asked: %+v", c)
	}
	// 30, asked: off but flagged for the moderator.
	v = with(with(with(validReport(), "age", "30"), "first_name_only", "yes"), "full_name", "Ada Adultcase")
	wantStatus(t, pub.post("/submit", v), http.StatusSeeOther)
	c := lastReport()
	if c.FullName != "Ada Adultcase" || c.FirstNameOnly || !c.FirstNameRequested {
		t.Fatalf("adult, asked: %+v", c)
	}
	review := mod.get(fmt.Sprintf("/admin/reports/%d", c.ID)).Body.String()
	mustContain(t, review, "The reporter asked for first-name-only publishing.", "It is off")
	// Not asked: nothing flagged.
	v = with(with(validReport(), "age", "40"), "full_name", "Nell Notasked")
	wantStatus(t, pub.post("/submit", v), http.StatusSeeOther)
	if c := lastReport(); c.FirstNameOnly || c.FirstNameRequested {
		t.Fatalf("not asked: %+v", c)
	}
	mustNotContain(t, mod.get(fmt.Sprintf("/admin/reports/%d", lastReport().ID)).Body.String(), `id="first-name-only"`)

	// Under 16, not asked, consent missing: ticked for them, with a note.
	v = with(with(validReport(), "age", "9"), "consent", "")
	rec := pub.post("/submit", v)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	body := rec.Body.String()
	mustContain(t, body, `name="first_name_only" value="yes" checked`, `<input type="hidden" name="first_name_suggested" value="1">`,
		"We ticked this because the person is under 16.")
	// Unticked by the reporter, still another error: stays unticked.
	v.Set("first_name_suggested", "\x00\xff")
	rec = pub.post("/submit", v)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustNotContain(t, rec.Body.String(), `name="first_name_only" value="yes" checked`)
	// 16 is not under 16: not ticked for them.
	rec = pub.post("/submit", with(with(validReport(), "age", "16"), "consent", ""))
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustNotContain(t, rec.Body.String(), `name="first_name_only" value="yes" checked`)
	// The approve form carries the option: approving the child's report
	// keeps it on.
	child, err := s.st.SearchCases(context.Background(), store.CaseQuery{Q: "Childcase", Statuses: []store.Status{store.StatusPending}})
	if err != nil || len(child.Cases) != 1 {
		t.Fatalf("child report: %v", err)
	}
	review = mod.get(fmt.Sprintf("/admin/reports/%d", child.Cases[0].ID)).Body.String()
	mustContain(t, review, "It is on.", `name="first_name_only" value="yes" checked`)
}
