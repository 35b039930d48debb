package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/staff"
)

func TestAdminUsersAdd(t *testing.T) {
	s := newAdminSite(t)
	_, adm := s.staff()
	rec := adm.get("/admin/users")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), "mod@example.org", `id="user-form"`, `id="require-2fa-form"`)

	// Common, short and email-containing passwords are refused, and the
	// typed password is never echoed back.
	for pw, want := range map[string]string{
		"123456789012":             "most common",
		"short":                    "at least 12",
		"newperson-secret-phrase1": "email name",
	} {
		rec := adm.post("/admin/users", url.Values{"email": {"newperson@example.org"}, "role": {"moderator"}, "password": {pw}})
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		mustContain(t, rec.Body.String(), want)
		mustNotContain(t, rec.Body.String(), `value="`+pw+`"`)
	}
	wantStatus(t, adm.post("/admin/users", url.Values{"email": {"not an email"}, "role": {"moderator"}}), http.StatusUnprocessableEntity)
	wantStatus(t, adm.post("/admin/users", url.Values{"email": {"x@example.org"}, "role": {"root"}}), http.StatusUnprocessableEntity)
	if n, _ := s.st.CountUsers(context.Background()); n != 2 {
		t.Fatalf("refused users were created: %d", n)
	}

	// Generated password, shown once; extra fields ignored.
	rec = adm.post("/admin/users", url.Values{"email": {"New.Person@Example.org"}, "display_name": {"New Person"}, "role": {"moderator"},
		"disabled": {"yes"}, "totp_secret": {"AAAA"}, "id": {"1"}, "recovery_codes": {"x"}})
	wantStatus(t, rec, http.StatusOK)
	m := regexp.MustCompile(`id="generated-password">([^<]+)</p>`).FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("no generated password shown\n%s", truncate(rec.Body.String(), 3000))
	}
	pw := m[1]
	u, err := s.st.GetUserByEmail(context.Background(), "new.person@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if u.Disabled || u.TOTPSecret != nil || u.RecoveryCodes != "" || u.Role != store.RoleModerator || strings.Contains(u.PasswordHash, pw) {
		t.Fatalf("new user: %+v", u)
	}
	// Not shown again.
	mustNotContain(t, adm.get("/admin/users").Body.String(), pw)
	// They can sign in with it.
	b := s.browser()
	b.ip = "192.0.2.77"
	rec = b.post("/admin/login", url.Values{"email": {"new.person@example.org"}, "password": {pw}})
	wantStatus(t, rec, http.StatusSeeOther)
	es := s.audit("user.create")
	if len(es) != 1 || strings.Contains(es[0].Summary, pw) || es[0].Record != fmt.Sprintf("user:%d", u.ID) {
		t.Errorf("create audit: %+v", es)
	}
	// Duplicate email.
	rec = adm.post("/admin/users", url.Values{"email": {"NEW.person@example.org"}, "role": {"admin"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "already an account")

	// Role change, and its refusal on oneself.
	wantStatus(t, adm.post(fmt.Sprintf("/admin/users/%d/role", u.ID), url.Values{"role": {"admin"}}), http.StatusSeeOther)
	if u2, _ := s.st.GetUser(context.Background(), u.ID); u2.Role != store.RoleAdmin {
		t.Error("role not changed")
	}
	me, _ := s.st.GetUserByEmail(context.Background(), "admin@example.org")
	adm.post(fmt.Sprintf("/admin/users/%d/role", me.ID), url.Values{"role": {"moderator"}})
	if me2, _ := s.st.GetUser(context.Background(), me.ID); me2.Role != store.RoleAdmin {
		t.Error("admin demoted themself")
	}
	wantStatus(t, adm.post("/admin/users/999999/role", url.Values{"role": {"admin"}}), http.StatusNotFound)
}

func TestAdminResourcesEditor(t *testing.T) {
	s := newAdminSite(t)
	_, adm := s.staff()
	rec := adm.get("/admin/resources")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), "1-800-222-8477")
	wantStatus(t, adm.post("/admin/resources", url.Values{"title": {""}, "category": {"nope"}, "url": {"javascript:alert(1)"}}), http.StatusUnprocessableEntity)
	rec = adm.post("/admin/resources", url.Values{"title": {"Coastal Search Volunteers"}, "category": {store.CategorySearchRescue},
		"phone": {"709-555-0123"}, "url": {"https://search.example.org"}, "description": {"Volunteer ground search teams."}})
	wantStatus(t, rec, http.StatusSeeOther)
	rs, _ := s.st.ListResources(context.Background())
	last := rs[len(rs)-1]
	if last.Title != "Coastal Search Volunteers" {
		t.Fatalf("resources: %+v", rs)
	}
	mustContain(t, s.browser().get("/resources").Body.String(), "Coastal Search Volunteers")
	wantStatus(t, adm.get(fmt.Sprintf("/admin/resources/%d", last.ID)), http.StatusOK)
	wantStatus(t, adm.post(fmt.Sprintf("/admin/resources/%d", last.ID), url.Values{"title": {"Coastal Search Teams"}, "category": {store.CategorySearchRescue}, "phone": {"911"}}), http.StatusSeeOther)
	wantStatus(t, adm.post(fmt.Sprintf("/admin/resources/%d/move", last.ID), url.Values{"dir": {"up"}}), http.StatusSeeOther)
	rs2, _ := s.st.ListResources(context.Background())
	if rs2[len(rs2)-2].ID != last.ID || rs2[len(rs2)-2].Title != "Coastal Search Teams" {
		t.Fatalf("not moved/edited: %+v", rs2)
	}
	wantStatus(t, adm.post(fmt.Sprintf("/admin/resources/%d/delete", last.ID), nil), http.StatusSeeOther)
	if rs3, _ := s.st.ListResources(context.Background()); len(rs3) != len(rs)-1 {
		t.Fatal("not deleted")
	}
	for _, a := range []string{"resource.create", "resource.update", "resource.reorder", "resource.delete"} {
		if len(s.audit(a)) != 1 {
			t.Errorf("%s not audited", a)
		}
	}
}

func TestAdminMessages(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	id, err := s.st.CreateMessage(context.Background(), &store.Message{Name: "Dora", Email: "dora@example.com", Subject: "Volunteering", Body: "How can I help?"})
	if err != nil {
		t.Fatal(err)
	}
	rec := mod.get("/admin/messages?unread=1")
	mustContain(t, rec.Body.String(), "Volunteering", `class="unread"`)
	rec = mod.get(fmt.Sprintf("/admin/messages/%d", id))
	mustContain(t, rec.Body.String(), "How can I help?", "dora@example.com", `id="read-status">unread`)
	wantStatus(t, mod.post(fmt.Sprintf("/admin/messages/%d/read", id), url.Values{"read": {"1"}}), http.StatusSeeOther)
	mustNotContain(t, mod.get("/admin/messages?unread=1").Body.String(), "Volunteering")
	wantStatus(t, mod.post(fmt.Sprintf("/admin/messages/%d/read", id), url.Values{"read": {"0"}}), http.StatusSeeOther)
	if n, _ := s.st.CountUnreadMessages(context.Background()); n != 1 {
		t.Errorf("unread %d", n)
	}
}

func TestAdminDashboard(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	s.addCase(store.StatusPending, nil)
	pub := s.addCase(store.StatusMissing, func(c *store.Case) { c.PoliceFileNumber = "P" })
	s.addTip(pub, "tip", store.TipContact{})
	loc := s.addCase(store.StatusLocated, func(c *store.Case) { c.FullName = "Larry Located"; c.PoliceFileNumber = "L" })
	if _, err := s.st.CreateMessage(context.Background(), &store.Message{Name: "A", Email: "a@example.com", Body: "x"}); err != nil {
		t.Fatal(err)
	}
	rec := mod.get("/admin")
	body := rec.Body.String()
	mustContain(t, body, `id="stat-pending"><a href="/admin/reports"><span class="stat-n">1</span>`, `id="stat-tips"><a href="/admin/tips?state=new"><span class="stat-n">1</span>`,
		`id="stat-messages"><a href="/admin/messages?unread=1"><span class="stat-n">1</span>`, `id="due-none"`)
	// 25 days later (the store stamps located_at with the real clock), the
	// located case is inside the 7-day warning window.
	c, _ := s.st.GetCase(context.Background(), loc)
	s.clock.Add(c.LocatedAt.Add(25 * 24 * time.Hour).Sub(s.clock.Now()))
	mod = s.signIn("mod@example.org", "") // the old session timed out meanwhile
	body = mod.get("/admin").Body.String()
	mustContain(t, body, `id="due-withdrawal"`, "Larry Located")
}

func TestAdminAuditViewer(t *testing.T) {
	s := newAdminSite(t)
	_, adm := s.staff()
	id := s.addCase(store.StatusPending, nil)
	wantStatus(t, adm.post(fmt.Sprintf("/admin/reports/%d/reject", id), url.Values{"reason": {"dup"}}), http.StatusSeeOther)
	rec := adm.get("/admin/audit")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), "case.reject", "user.login", fmt.Sprintf("case:%d", id))
	rec = adm.get("/admin/audit?action=case.reject")
	mustContain(t, rec.Body.String(), "1 entry")
	rec = adm.get(fmt.Sprintf("/admin/audit?record=case:%d", id))
	mustContain(t, rec.Body.String(), "case.reject")
	mustNotContain(t, rec.Body.String(), "<code>user.login</code>")
	me, _ := s.st.GetUserByEmail(context.Background(), "admin@example.org")
	rec = adm.get(fmt.Sprintf("/admin/audit?user=%d&since=2026-11-27&until=2026-11-27", me.ID))
	wantStatus(t, rec, http.StatusOK)
	for _, q := range []string{"user=abc", "since=yesterday", "until=2026-13-45", "action=%ff%fe", "record=" + strings.Repeat("x", 5000), "page=-4", "page=99999999999"} {
		rec := adm.get("/admin/audit?" + q)
		wantStatus(t, rec, http.StatusOK)
	}
	mustContain(t, adm.get("/admin/audit?since=yesterday").Body.String(), "year-month-day")
}

// TestAdminHostileInput: every admin form with 100 KB fields, invalid
// UTF-8 and markup answers with a page (no 5xx, checked by browser.do), and
// markup is shown escaped.
func TestAdminHostileInput(t *testing.T) {
	s := newAdminSite(t)
	mod, adm := s.staff()
	id := s.addCase(store.StatusMissing, nil)
	pending := s.addCase(store.StatusPending, func(c *store.Case) { c.PoliceFileNumber = "H" })
	tip := s.addTip(id, "tip", store.TipContact{})
	msg, _ := s.st.CreateMessage(context.Background(), &store.Message{Name: "A", Email: "a@example.com", Body: "x"})
	big := strings.Repeat("ä", 50*1024) // 100 KB
	values := []string{big, "\xff\xfe\xfd", "<script>alert('x')</script>", "\x00\x01\x02", "' OR 1=1 --", "=cmd|' /C calc'!A0"}
	forms := []struct {
		b    *browser
		path string
		keys []string
	}{
		{mod, "/admin/cases", append([]string(nil), form.AdminCaseFieldOrder...)},
		{mod, fmt.Sprintf("/admin/cases/%d", id), form.AdminCaseFieldOrder},
		{mod, fmt.Sprintf("/admin/reports/%d/approve", pending), form.AdminCaseFieldOrder},
		{mod, fmt.Sprintf("/admin/reports/%d/reject", pending), []string{"reason"}},
		{mod, fmt.Sprintf("/admin/cases/%d/status", id), []string{"to", "reason", "confirm"}},
		{mod, fmt.Sprintf("/admin/cases/%d/updates", id), []string{"body"}},
		{mod, fmt.Sprintf("/admin/cases/%d/tips/%d", id, tip), []string{"state", "notes"}},
		{mod, fmt.Sprintf("/admin/messages/%d/read", msg), []string{"read"}},
		{mod, "/admin/account/2fa", []string{"code"}},
		{adm, "/admin/resources", form.ResourceFieldOrder},
		{adm, "/admin/users", []string{"email", "display_name", "role", "password"}},
		{adm, "/admin/settings/require-2fa", []string{"require"}},
		{s.browser(), "/admin/login", []string{"email", "password", "next"}},
	}
	for _, f := range forms {
		for i, v := range values {
			vals := url.Values{}
			for _, k := range f.keys {
				vals.Set(k, v)
			}
			rec := f.b.post(f.path, vals)
			if rec.Code == http.StatusRequestEntityTooLarge && len(f.keys) > 3 && i == 0 {
				continue // 100 KB (300 KB URL-encoded) in every field is over the 1 MB form cap: a clean 413
			}
			if rec.Code == http.StatusOK || rec.Code == http.StatusSeeOther || rec.Code == http.StatusUnprocessableEntity || rec.Code == http.StatusBadRequest || rec.Code == http.StatusTooManyRequests {
				mustNotContain(t, rec.Body.String(), "<script>alert('x')")
				continue
			}
			t.Errorf("%s value %d: status %d", f.path, i, rec.Code)
		}
	}
	// The case was not damaged by any of that.
	c, err := s.st.GetCase(context.Background(), id)
	if err != nil || c.FullName != "Wanda Testcase" {
		t.Fatalf("case after hostile posts: %v %+v", err, c)
	}
	// A script-looking name is stored as text and shown escaped.
	vals := caseValues()
	vals.Set("full_name", "<script>alert('x')</script>")
	rec := mod.post("/admin/cases", vals)
	wantStatus(t, rec, http.StatusSeeOther)
	page := mod.get(rec.Header().Get("Location"))
	mustContain(t, page.Body.String(), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
	// One 100 KB field gets a message beside it and keeps what was typed.
	vals = caseValues()
	vals.Set("features", big)
	rec = mod.post(fmt.Sprintf("/admin/cases/%d", id), vals)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "Please keep this to 5000 characters", "Signal Hill trail")
	// A body over the form limit is a clean 413.
	rec = mod.post(fmt.Sprintf("/admin/cases/%d", id), url.Values{"features": {strings.Repeat("x", 2<<20)}})
	wantStatus(t, rec, http.StatusRequestEntityTooLarge)
}

// TestAdminNotWired: without Deps.Admin the public site works and the admin
// area answers plainly instead of failing.
// TestAdminRequired: the admin area is a required part of the site (no
// route needs to check whether it exists); a site without it, or without
// its cipher, does not start.
func TestAdminRequired(t *testing.T) {
	s := newAdminSite(t)
	for name, d := range map[string]Deps{
		"no admin":  {Store: s.st},
		"no cipher": {Store: s.st, Admin: &staff.Admin{}},
	} {
		if _, err := New(d); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}

func TestAdminPublishedCaseKeepsRequirements(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	id := s.addCase(store.StatusMissing, nil)
	vals := caseValues() // no police_verified tick
	rec := mod.post(fmt.Sprintf("/admin/cases/%d", id), vals)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "must keep its police service")
	c, _ := s.st.GetCase(context.Background(), id)
	if !c.PoliceVerified || c.FullName != "Wanda Testcase" {
		t.Fatalf("published case lost its requirements: %+v", c)
	}
}
