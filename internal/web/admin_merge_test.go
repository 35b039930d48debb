package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// mergeSite: a published case of Catherine McDonald (35, St. John's) with
// one photo, a report of "Katherine MacDonald" (34, Mount Pearl, Avalon)
// from the public form with two photos, and a different person in the
// same community.
type mergeSite struct {
	*adminSite
	target, report, other int64
}

func newMergeSite(t *testing.T) *mergeSite {
	t.Helper()
	s := &mergeSite{adminSite: newAdminSite(t)}
	ctx := context.Background()
	s.target = s.addCase(store.StatusMissing, func(c *store.Case) {
		c.FullName, c.Age, c.Community = "Catherine McDonald", ptrInt(35), "St. John's"
	})
	if err := s.st.AddPhotos(ctx, s.target, []store.Photo{{Key: "targetphoto0001", Width: 40, Height: 50}}, nil); err != nil {
		t.Fatal(err)
	}
	s.other = s.addCase(store.StatusMissing, func(c *store.Case) {
		c.FullName, c.Age, c.Community = "Margaret Power", ptrInt(34), "Mount Pearl"
	})
	s.report = s.addReport("Katherine MacDonald", "reportphoto0001", "reportphoto0002")
	return s
}

// addReport stores a pending report as the public form does (reference,
// reporter's link, sealed contact) with photos under the given keys.
func (s *mergeSite) addReport(name string, keys ...string) int64 {
	s.t.Helper()
	age := 34
	c := &store.Case{FullName: name, Age: &age, Sex: "female", LastSeenDate: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
		LastSeenPlace: "Topsail Road", Community: "Mount Pearl", Region: "Avalon", Circumstances: "Did not come home."}
	var photos []store.Photo
	for _, k := range keys {
		photos = append(photos, store.Photo{Key: k, Width: 40, Height: 50})
	}
	rc, err := s.st.CreateReport(context.Background(), c, store.ReporterContact{Name: "Ron Reporter", Email: "ron@example.com"}, photos, nil, s.clock.Now())
	if err != nil {
		s.t.Fatal(err)
	}
	return rc.CaseID
}

func ptrInt(n int) *int { return &n }

func (s *mergeSite) mergePath(from int64) string { return fmt.Sprintf("/admin/cases/%d/merge", from) }

// TestMergeDuplicateReport is the moderator's path: the report page lists
// the published case as a possible duplicate (and not the other person),
// the confirmation shows both, the merge moves the photos onto the public
// page and closes the report, and a second click says it is done.
func TestMergeDuplicateReport(t *testing.T) {
	s := newMergeSite(t)
	mod, _ := s.staff()

	rec := mod.get(fmt.Sprintf("/admin/reports/%d", s.report))
	wantStatus(t, rec, http.StatusOK)
	body := rec.Body.String()
	mustContain(t, body, `id="duplicates"`, "Possible duplicates", fmt.Sprintf(`id="duplicate-%d"`, s.target), "Catherine McDonald",
		"St. John&#39;s", "similar name, same region, ages 1 year apart", fmt.Sprintf(`action="/admin/cases/%d/merge"`, s.report),
		fmt.Sprintf(`name="into" value="%d"`, s.target))
	mustNotContain(t, body, "Margaret Power", fmt.Sprintf(`id="duplicate-%d"`, s.other))

	// The admin case page of the pending report lists it too; a published
	// case's page has no such section.
	mustContain(t, mod.get(fmt.Sprintf("/admin/cases/%d", s.report)).Body.String(), fmt.Sprintf(`id="duplicate-%d"`, s.target))
	mustNotContain(t, mod.get(fmt.Sprintf("/admin/cases/%d", s.target)).Body.String(), `id="duplicates"`)

	rec = mod.get(fmt.Sprintf("%s?into=%d", s.mergePath(s.report), s.target))
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), `id="merge-form"`, `name="confirm"`, "Katherine MacDonald", "Catherine McDonald", "<strong>public</strong>",
		fmt.Sprintf("Merge into case %d", s.target))

	// Without the tick nothing happens.
	rec = mod.post(s.mergePath(s.report), url.Values{"into": {fmt.Sprint(s.target)}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "Tick the box")
	if c, _ := s.st.GetCase(context.Background(), s.report); c.Status != store.StatusPending {
		t.Fatalf("merged without confirmation: %s", c.Status)
	}

	rec = mod.post(s.mergePath(s.report), url.Values{"into": {fmt.Sprint(s.target)}, "confirm": {"yes"}})
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != fmt.Sprintf("/admin/cases/%d", s.target) {
		t.Fatalf("redirect to %q", loc)
	}
	mustContain(t, mod.get(rec.Header().Get("Location")).Body.String(), "Merged: the report of Katherine MacDonald", "2 photos")

	ctx := context.Background()
	rep, err := s.st.GetCase(ctx, s.report)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != store.StatusRejected || rep.RejectReason != store.MergedReason(s.target) {
		t.Errorf("report after merge: %s %q", rep.Status, rep.RejectReason)
	}
	ps, _ := s.st.ListPhotos(ctx, s.target)
	if len(ps) != 3 || !ps[0].Primary || ps[0].Key != "targetphoto0001" {
		t.Errorf("target's photos after merge: %+v", ps)
	}
	audits := s.audit("case.merge")
	records := map[string]string{}
	for _, a := range audits {
		records[a.Record] = a.Summary
		if a.UserEmail != "mod@example.org" {
			t.Errorf("audit entry by %q", a.UserEmail)
		}
	}
	if !strings.Contains(records[fmt.Sprintf("case:%d", s.report)], fmt.Sprintf("merged into case %d", s.target)) ||
		!strings.Contains(records[fmt.Sprintf("case:%d", s.target)], fmt.Sprintf("case %d merged into this case", s.report)) {
		t.Errorf("audit entries on both cases naming the other: %v", records)
	}
	// The moved photos are on the public page now.
	mustContain(t, s.browser().get(fmt.Sprintf("/cases/%d", s.target)).Body.String(), "reportphoto0001")

	// A second submit (back button, double click) is not an error.
	rec = mod.post(s.mergePath(s.report), url.Values{"into": {fmt.Sprint(s.target)}, "confirm": {"yes"}})
	wantStatus(t, rec, http.StatusSeeOther)
	mustContain(t, mod.get(rec.Header().Get("Location")).Body.String(), "already merged into this case")
	rec = mod.get(fmt.Sprintf("%s?into=%d", s.mergePath(s.report), s.target))
	wantStatus(t, rec, http.StatusSeeOther)
	if n := len(s.audit("case.merge")); n != 2 {
		t.Errorf("%d merge audit entries after the second submit, want 2", n)
	}
	if ps, _ := s.st.ListPhotos(ctx, s.target); len(ps) != 3 {
		t.Errorf("second submit changed photos: %d", len(ps))
	}
	// The merged report's page links to the case and no longer offers
	// duplicates (it is closed).
	body = mod.get(fmt.Sprintf("/admin/cases/%d", s.report)).Body.String()
	mustContain(t, body, fmt.Sprintf(`id="merged-into"><strong>Merged</strong> into <a href="/admin/cases/%d">`, s.target))
	mustNotContain(t, body, `id="duplicates"`)
}

// TestMergeHostileInput: every bad merge request gets a clear answer with
// the right status, never a 500, and changes nothing.
func TestMergeHostileInput(t *testing.T) {
	s := newMergeSite(t)
	mod, _ := s.staff()
	located := s.addCase(store.StatusLocated, func(c *store.Case) { c.FullName = "Catherine McDonald" })
	archived := s.addCase(store.StatusArchived, func(c *store.Case) { c.FullName = "Catherine McDonald" })
	rejected := s.addCase(store.StatusRejected, func(c *store.Case) { c.FullName = "Catherine McDonald" })
	id := func(n int64) string { return fmt.Sprint(n) }
	for _, c := range []struct {
		name string
		path string
		into string
		want int
		msg  string
	}{
		{"no target", s.mergePath(s.report), "", http.StatusBadRequest, "Choose the case to merge into"},
		{"non-numeric target", s.mergePath(s.report), "abc", http.StatusBadRequest, "Choose the case to merge into"},
		{"negative target", s.mergePath(s.report), "-3", http.StatusBadRequest, ""},
		{"target with spaces inside", s.mergePath(s.report), "1 2", http.StatusBadRequest, ""},
		{"huge target", s.mergePath(s.report), strings.Repeat("9", 40), http.StatusBadRequest, ""},
		{"script as target", s.mergePath(s.report), "<script>alert(1)</script>", http.StatusBadRequest, ""},
		{"unknown target", s.mergePath(s.report), "987654", http.StatusNotFound, ""},
		{"into itself", s.mergePath(s.report), id(s.report), http.StatusUnprocessableEntity, "cannot be merged into itself"},
		{"into a located case", s.mergePath(s.report), id(located), http.StatusUnprocessableEntity, "is located"},
		{"into an archived case", s.mergePath(s.report), id(archived), http.StatusUnprocessableEntity, "is archived"},
		{"into a rejected report", s.mergePath(s.report), id(rejected), http.StatusUnprocessableEntity, "is rejected"},
		{"a published case into another", s.mergePath(s.target), id(s.other), http.StatusUnprocessableEntity, "Only a pending report"},
		{"unknown report", s.mergePath(987654), id(s.target), http.StatusNotFound, ""},
		{"non-numeric report", "/admin/cases/abc/merge", id(s.target), http.StatusNotFound, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				var rec *httptest.ResponseRecorder
				if method == http.MethodGet {
					rec = mod.get(c.path + "?into=" + url.QueryEscape(c.into))
				} else {
					rec = mod.post(c.path, url.Values{"into": {c.into}, "confirm": {"yes"}})
				}
				want := c.want
				if method == http.MethodGet && want == http.StatusUnprocessableEntity {
					want = http.StatusOK // the confirmation page explains, without the form
					mustNotContain(t, rec.Body.String(), `id="merge-form"`)
				}
				if rec.Code != want {
					t.Errorf("%s: status %d, want %d\n%s", method, rec.Code, want, truncate(rec.Body.String(), 1500))
				}
				if c.msg != "" {
					mustContain(t, rec.Body.String(), c.msg)
				}
				mustNotContain(t, rec.Body.String(), "<script>alert(1)</script>")
			}
		})
	}
	ctx := context.Background()
	if c, _ := s.st.GetCase(ctx, s.report); c.Status != store.StatusPending {
		t.Errorf("a refused merge changed the report: %s", c.Status)
	}
	if c, _ := s.st.GetCase(ctx, s.target); c.Status != store.StatusMissing {
		t.Errorf("a refused merge changed the published case: %s", c.Status)
	}
	if n := len(s.audit("case.merge")); n != 0 {
		t.Errorf("refused merges wrote %d audit entries", n)
	}
}

// TestMergeAccess: anonymous visitors and disabled accounts are sent to
// sign in, and a cross-site post is refused even with a moderator's
// session; the report stays pending.
func TestMergeAccess(t *testing.T) {
	s := newMergeSite(t)
	mod, _ := s.staff()
	vals := url.Values{"into": {fmt.Sprint(s.target)}, "confirm": {"yes"}}

	anon := s.browser()
	wantLoginRedirect(t, anon.get(fmt.Sprintf("%s?into=%d", s.mergePath(s.report), s.target)))
	wantLoginRedirect(t, anon.post(s.mergePath(s.report), vals))
	mustNotContain(t, anon.get(fmt.Sprintf("/admin/reports/%d", s.report)).Body.String(), "Possible duplicates")

	req := httptest.NewRequest(http.MethodPost, s.mergePath(s.report), strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	if rec := mod.do(req); rec.Code != http.StatusForbidden {
		t.Errorf("cross-site merge: status %d, want 403", rec.Code)
	}

	u, _ := s.addUser("gone@example.org", store.RoleModerator, false)
	gone := s.signIn("gone@example.org", "")
	u.Disabled = true
	if err := s.st.UpdateUser(context.Background(), u, nil); err != nil {
		t.Fatal(err)
	}
	rec := gone.post(s.mergePath(s.report), vals)
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/admin/login") {
		t.Errorf("disabled moderator: status %d Location %q, want the sign-in page", rec.Code, rec.Header().Get("Location"))
	}

	if c, _ := s.st.GetCase(context.Background(), s.report); c.Status != store.StatusPending {
		t.Errorf("a refused request merged the report: %s", c.Status)
	}
	if n := len(s.audit("case.merge")); n != 0 {
		t.Errorf("refused requests wrote %d audit entries", n)
	}
}
