package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"lostinnl/internal/auth"
	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/staff"
)

// TestAdminLanguagePreference: the admin area follows each staff member's
// saved language (issue 18): French pages with lang="fr-CA" after they
// choose French, English again after they switch back, and nobody else's
// pages change. Only the two codes are accepted, only from the site's own
// pages, only for a signed-in user.
func TestAdminLanguagePreference(t *testing.T) {
	s := newAdminSite(t)
	mod, adm := s.staff()
	ctx := context.Background()
	u, err := s.st.GetUserByEmail(ctx, "mod@example.org")
	if err != nil {
		t.Fatal(err)
	}
	lang := func() string {
		t.Helper()
		got, err := s.st.GetUser(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Lang
	}

	rec := mod.get("/admin")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), `<html lang="en-CA">`, ">Dashboard</a>", `value="fr-CA"`, `lang="fr">Français</button>`)

	// The header's switch comes back to the page it was used on.
	rec = mod.post("/admin/account/language", url.Values{"lang": {"fr-CA"}, "next": {"/admin/reports?page=2"}})
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != "/admin/reports?page=2" {
		t.Fatalf("redirected to %q", loc)
	}
	if got := lang(); got != store.LangFrench {
		t.Fatalf("saved language %q", got)
	}
	if es := s.audit("user.lang"); len(es) != 1 || es[0].UserID == nil || *es[0].UserID != u.ID || !strings.Contains(es[0].Summary, "fr-CA") {
		t.Fatalf("audit = %+v", es)
	}
	rec = mod.get("/admin")
	wantStatus(t, rec, http.StatusOK)
	body := rec.Body.String()
	mustContain(t, body, `<html lang="fr-CA">`, ">Tableau de bord</a>", ">Se déconnecter</button>",
		"L&#39;espace du personnel est maintenant en français.", `value="en-CA"`, `lang="en">English</button>`)
	mustNotContain(t, body, ">Dashboard</a>", ">Sign out</button>")
	rec = mod.get("/admin/account/notifications")
	mustContain(t, rec.Body.String(), "<h1>Préférences</h1>", `id="f-lang-fr" name="lang" value="fr-CA" checked`, "Vous recevez ces courriels.")
	// Error pages of the admin area are in the user's language too.
	rec = mod.get("/admin/no-such-page")
	wantStatus(t, rec, http.StatusNotFound)
	mustContain(t, rec.Body.String(), `<html lang="fr-CA">`)
	// The French site's prefix does not reach the admin area.
	wantStatus(t, mod.get("/fr/admin"), http.StatusNotFound)

	// Someone else's pages are not affected.
	mustContain(t, adm.get("/admin").Body.String(), `<html lang="en-CA">`, ">Dashboard</a>")

	// Hostile values: a clear 400 (in the user's language), nothing saved.
	for _, bad := range []url.Values{
		{}, {"lang": {""}}, {"lang": {"fr"}}, {"lang": {"FR-CA"}}, {"lang": {"de-DE"}}, {"lang": {"en-XA"}},
		{"lang": {"en-CA\r\nX: y"}}, {"lang": {strings.Repeat("fr-CA", 40000)}},
		{"lang": {"<script>alert(1)</script>"}},
	} {
		rec := mod.post("/admin/account/language", bad)
		if bad.Get("lang") == strings.Repeat("fr-CA", 40000) {
			if rec.Code != http.StatusBadRequest && rec.Code != http.StatusRequestEntityTooLarge {
				t.Fatalf("huge value: status %d", rec.Code)
			}
		} else {
			wantStatus(t, rec, http.StatusBadRequest)
			mustContain(t, rec.Body.String(), "Choisissez l&#39;anglais ou le français.")
			mustNotContain(t, rec.Body.String(), "<script>alert")
		}
		if got := lang(); got != store.LangFrench {
			t.Fatalf("%v changed the language to %q", bad, got)
		}
	}
	// A "next" outside the admin area is not followed.
	for _, next := range []string{"//evil.example/", "https://evil.example/admin", "/admin/../x", "/cases", "/admin/logout"} {
		rec := mod.post("/admin/account/language", url.Values{"lang": {"fr-CA"}, "next": {next}})
		wantStatus(t, rec, http.StatusSeeOther)
		if loc := rec.Header().Get("Location"); loc != "/admin/account/notifications" {
			t.Fatalf("next %q: redirected to %q", next, loc)
		}
	}

	// Cross-site posts are refused (the site's CSRF protection).
	req := httptest.NewRequest(http.MethodPost, "/admin/account/language", strings.NewReader("lang=en-CA"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	wantStatus(t, mod.do(req), http.StatusForbidden)
	if got := lang(); got != store.LangFrench {
		t.Fatalf("a cross-site post changed the language to %q", got)
	}
	// Signed out: the sign-in page, nothing saved.
	wantLoginRedirect(t, s.browser().post("/admin/account/language", url.Values{"lang": {"en-CA"}}))
	if got := lang(); got != store.LangFrench {
		t.Fatalf("an anonymous post changed the language to %q", got)
	}

	// And back to English.
	rec = mod.post("/admin/account/language", url.Values{"lang": {"en-CA"}})
	wantStatus(t, rec, http.StatusSeeOther)
	rec = mod.get("/admin/account/notifications")
	mustContain(t, rec.Body.String(), `<html lang="en-CA">`, "<h1>Preferences</h1>", "The staff area is now in English.", `id="f-lang-en" name="lang" value="en-CA" checked`)
}

// pseudoAdminData are the values the admin pages show that are data, not
// text to translate: accounts, the test data set, codes and identifiers.
// Audit summaries and actions are records written in English once, and an
// outbox message is mail as it was sent: both are shown as stored.
var pseudoAdminData = []string{
	"mod@example.org", "admin@example.org", "totp@example.org", "new@example.org", "reader0@example.org", "reader1@example.org",
	"writer@example.org", "Wendy Writer", "Question about a poster", "Please call me about the poster.",
	"Quentin Pseudocase", "Pseudoville", "Water Street", "Zelda Pseudofound",
	"Update <0>", "Update <1>", "Plain body 0", "Plain body 1", "HTML body", "550 mailbox unavailable", "case_update",
	"https://missing.example.ca/alerts/unsubscribe?token=t", "test.0@missing.example.ca", "test.1@missing.example.ca",
	"Mona Moderatrix", "Ada Adminova", "Toto Totpson", "Nina Newcomer",
	"192.0.2.10", "List-Unsubscribe", "TOTP", "HTML", "QR", "IP", "Message-ID", "https", "example", "com", "NL",
	// The audit filters' placeholders are examples of stored codes.
	"case.publish", "case:42",
	// The test mail's HTML part, shown as source.
	`<p onclick="x()">HTML body</p>`, "onclick",
}

// pseudoOK renders check one admin page or state in the pseudo-locale: the
// status first (a form shown again with its errors is a 422), then every
// visible word through the catalog (assertPseudo).
func pseudoOK(t *testing.T, name string, rec *httptest.ResponseRecorder, want int, extra ...string) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("%s: status %d, want %d\n%s", name, rec.Code, want, truncate(rec.Body.String(), 1500))
	}
	rec.Code = http.StatusOK // assertPseudo accepts 200 and 404 only; the status is checked above
	assertPseudo(t, name, rec, nil, append(extra, pseudoAdminData...)...)
}

// TestPseudoLocaleAdminShell renders every page and state of the admin
// shell in the pseudo-locale (Deps.forceLang, which the session middleware
// leaves alone): a word outside ［…］ is text that skipped the catalog.
func TestPseudoLocaleAdminShell(t *testing.T) {
	s := newAdminSite(t, func(d *Deps) { d.forceLang = i18n.Pseudo; d.Demo = true })
	ctx := context.Background()
	anon := s.browser()

	// Signing in: the form, a wrong password, signed out, a bad link.
	pseudoOK(t, "login", anon.get("/admin/login"), http.StatusOK)
	pseudoOK(t, "login signed out", anon.get("/admin/login?out=1"), http.StatusOK)
	modUser, _ := s.addUser("mod@example.org", store.RoleModerator, false)
	adminUser, _ := s.addUser("admin@example.org", store.RoleAdmin, false)
	for _, u := range []*store.User{modUser, adminUser} {
		// Names that cannot pass for words of the interface.
		u.DisplayName = map[store.Role]string{store.RoleModerator: "Mona Moderatrix", store.RoleAdmin: "Ada Adminova"}[u.Role]
		if err := s.st.UpdateUser(ctx, u, nil); err != nil {
			t.Fatal(err)
		}
	}
	pseudoOK(t, "login wrong password", anon.post("/admin/login", url.Values{"email": {"mod@example.org"}, "password": {"wrong password here"}}), http.StatusUnprocessableEntity)
	// The second-factor step and its wrong code.
	totpUser, _ := s.addUser("totp@example.org", store.RoleModerator, true)
	totpUser.DisplayName = "Toto Totpson"
	if err := s.st.UpdateUser(ctx, totpUser, nil); err != nil {
		t.Fatal(err)
	}
	two := s.browser()
	wantStatus(t, two.post("/admin/login", url.Values{"email": {"totp@example.org"}, "password": {testPassword}}), http.StatusSeeOther)
	pseudoOK(t, "login code step", two.get("/admin/login"), http.StatusOK)
	pseudoOK(t, "login wrong code", two.post("/admin/login", url.Values{"code": {"000000"}}), http.StatusUnprocessableEntity)
	pseudoOK(t, "login code restarted", s.browser().post("/admin/login", url.Values{"code": {"000000"}}), http.StatusUnprocessableEntity)
	// Too many failures: the throttled form.
	thr := s.browser()
	var rec *httptest.ResponseRecorder
	for range 30 {
		if rec = thr.post("/admin/login", url.Values{"email": {"totp@example.org"}, "password": {"not the password"}}); rec.Code == http.StatusTooManyRequests {
			break
		}
	}
	pseudoOK(t, "login throttled", rec, http.StatusTooManyRequests)

	mod := s.signIn("mod@example.org", "")
	adm := s.signIn("admin@example.org", "")

	// The set-password link: unknown, valid, its errors, done.
	pseudoOK(t, "set-password bad link", anon.get("/admin/set-password?token=nope"), http.StatusNotFound)
	rec = adm.post(fmt.Sprintf("/admin/users/%d/reset-password", mustUser(t, s, "totp@example.org").ID), url.Values{})
	link := between(rec.Body.String(), `id="reset-link">`, "<")
	pseudoOK(t, "users reset link", rec, http.StatusOK, html.UnescapeString(link))
	path := strings.TrimPrefix(html.UnescapeString(link), "https://missing.example.ca")
	pseudoOK(t, "set-password form", anon.get(path), http.StatusOK)
	token := strings.TrimPrefix(path, "/admin/set-password?token=")
	pseudoOK(t, "set-password errors", anon.post("/admin/set-password", url.Values{"token": {token}, "new_password": {"short"}}), http.StatusUnprocessableEntity)
	pseudoOK(t, "set-password differ", anon.post("/admin/set-password", url.Values{"token": {token}, "new_password": {testPassword + " two"}, "confirm_password": {"other"}}), http.StatusUnprocessableEntity)
	const fresh = "tundra kettle lantern 42"
	pseudoOK(t, "set-password done", anon.post("/admin/set-password", url.Values{"token": {token}, "new_password": {fresh}, "confirm_password": {fresh}}), http.StatusOK)
	pseudoOK(t, "set-password used", anon.get(path), http.StatusGone)

	// The dashboard with something in every count.
	s.addCase(store.StatusPending, nil)
	s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName, c.Community = "Quentin Pseudocase", "Pseudoville" })
	if _, err := s.st.CreateMessage(ctx, &store.Message{Name: "Wendy Writer", Email: "writer@example.org", Subject: "Question about a poster", Body: "Please call me about the poster."}); err != nil {
		t.Fatal(err)
	}
	pseudoOK(t, "dashboard", mod.get("/admin"), http.StatusOK)
	pseudoOK(t, "not found", mod.get("/admin/no-such-page"), http.StatusNotFound)
	pseudoOK(t, "forbidden to a moderator", mod.get("/admin/users"), http.StatusForbidden)
	pseudoOK(t, "bad language", mod.post("/admin/account/language", url.Values{"lang": {"xx"}}), http.StatusBadRequest)
	pseudoOK(t, "bad notification choice", mod.post("/admin/account/notifications", url.Values{"notify": {"xx"}}), http.StatusBadRequest)

	// Account pages: preferences and their flashes, password, second factor.
	pseudoOK(t, "preferences", mod.get("/admin/account/notifications"), http.StatusOK)
	wantStatus(t, mod.post("/admin/account/notifications", url.Values{"notify": {"off"}}), http.StatusSeeOther)
	pseudoOK(t, "preferences off", mod.get("/admin/account/notifications"), http.StatusOK)
	wantStatus(t, mod.post("/admin/account/notifications", url.Values{"notify": {"on"}}), http.StatusSeeOther)
	pseudoOK(t, "preferences on", mod.get("/admin/account/notifications"), http.StatusOK)
	pseudoOK(t, "password form", mod.get("/admin/account/password"), http.StatusOK)
	pseudoOK(t, "password empty", mod.post("/admin/account/password", url.Values{}), http.StatusUnprocessableEntity)
	pseudoOK(t, "password weak", mod.post("/admin/account/password", url.Values{"current_password": {"x"}, "new_password": {"password"}, "confirm_password": {"password"}}), http.StatusUnprocessableEntity)
	pseudoOK(t, "password differ", mod.post("/admin/account/password", url.Values{"current_password": {"x"}, "new_password": {testPassword + " 2"}, "confirm_password": {"y"}}), http.StatusUnprocessableEntity)
	pseudoOK(t, "password wrong current", mod.post("/admin/account/password", url.Values{"current_password": {"not it at all"}, "new_password": {testPassword + " 2"}, "confirm_password": {testPassword + " 2"}}), http.StatusUnprocessableEntity)
	pseudoOK(t, "password same", mod.post("/admin/account/password", url.Values{"current_password": {testPassword}, "new_password": {testPassword}, "confirm_password": {testPassword}}), http.StatusUnprocessableEntity)
	wantStatus(t, mod.post("/admin/account/password", url.Values{"current_password": {testPassword}, "new_password": {testPassword + " 2"}, "confirm_password": {testPassword + " 2"}}), http.StatusSeeOther)
	pseudoOK(t, "password changed", mod.get("/admin/account/password"), http.StatusOK)
	rec = mod.get("/admin/account/2fa")
	pseudoOK(t, "2fa enrolment", rec, http.StatusOK, manualKey(rec.Body.String()))
	key := strings.ReplaceAll(manualKey(rec.Body.String()), " ", "")
	rec = mod.post("/admin/account/2fa", url.Values{"code": {"123"}})
	pseudoOK(t, "2fa wrong code", rec, http.StatusUnprocessableEntity, manualKey(rec.Body.String()))
	code, err := auth.TOTPCode(key, s.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	rec = mod.post("/admin/account/2fa", url.Values{"code": {code}})
	codes := recoveryCodes(rec.Body.String())
	pseudoOK(t, "2fa recovery codes", rec, http.StatusOK, codes...)
	pseudoOK(t, "2fa enrolled", mod.get("/admin/account/2fa"), http.StatusOK)
	// A sign-in with a recovery code: the flash on the first page.
	rc := s.browser()
	wantStatus(t, rc.post("/admin/login", url.Values{"email": {"mod@example.org"}, "password": {testPassword + " 2"}}), http.StatusSeeOther)
	wantStatus(t, rc.post("/admin/login", url.Values{"code": {codes[0]}}), http.StatusSeeOther)
	pseudoOK(t, "recovery code flash", rc.get("/admin"), http.StatusOK)

	// Users: the list, the form's errors, a created account, each flash.
	pseudoOK(t, "users", adm.get("/admin/users"), http.StatusOK)
	pseudoOK(t, "users errors", adm.post("/admin/users", url.Values{"email": {"not an email"}, "role": {"root"}, "password": {"short"}}), http.StatusUnprocessableEntity)
	pseudoOK(t, "users taken", adm.post("/admin/users", url.Values{"email": {"mod@example.org"}, "role": {"moderator"}}), http.StatusUnprocessableEntity)
	rec = adm.post("/admin/users", url.Values{"email": {"new@example.org"}, "display_name": {"Nina Newcomer"}, "role": {"moderator"}})
	pseudoOK(t, "users created", rec, http.StatusOK, between(rec.Body.String(), `id="generated-password">`, "<"))
	newUser := mustUser(t, s, "new@example.org")
	flashes := []struct {
		path string
		vals url.Values
	}{
		{fmt.Sprintf("/admin/users/%d/role", newUser.ID), url.Values{"role": {"admin"}}},
		{fmt.Sprintf("/admin/users/%d/role", newUser.ID), url.Values{"role": {"admin"}}},
		{fmt.Sprintf("/admin/users/%d/role", newUser.ID), url.Values{"role": {"root"}}},
		{fmt.Sprintf("/admin/users/%d/role", adminUser.ID), url.Values{"role": {"moderator"}}},
		{fmt.Sprintf("/admin/users/%d/reset-password", adminUser.ID), url.Values{}},
		{fmt.Sprintf("/admin/users/%d/disable", newUser.ID), url.Values{}},
		{fmt.Sprintf("/admin/users/%d/enable", newUser.ID), url.Values{}},
		{fmt.Sprintf("/admin/users/%d/reset-2fa", mustUser(t, s, "totp@example.org").ID), url.Values{}},
	}
	for _, f := range flashes {
		wantStatus(t, adm.post(f.path, f.vals), http.StatusSeeOther)
		pseudoOK(t, "users after "+f.path, adm.get("/admin/users"), http.StatusOK)
	}
	// Requiring a second factor: the flash and the enrolment page of an
	// account without one; then optional again (set in the store: the
	// admin without a second factor can reach only the enrolment pages).
	wantStatus(t, adm.post("/admin/settings/require-2fa", url.Values{"require": {"yes"}}), http.StatusSeeOther)
	rec = adm.get("/admin/account/2fa")
	pseudoOK(t, "2fa required", rec, http.StatusOK, manualKey(rec.Body.String()))
	if err := s.st.SetSetting(ctx, staff.SettingRequire2FA, "false", nil); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, adm.post("/admin/settings/require-2fa", url.Values{"require": {"yes"}}), http.StatusSeeOther)
	if err := s.st.SetSetting(ctx, staff.SettingRequire2FA, "false", nil); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, adm.post("/admin/settings/require-2fa", url.Values{}), http.StatusSeeOther)
	pseudoOK(t, "users after require-2fa off", adm.get("/admin/users"), http.StatusOK)

	// The audit log, with and without unusable filters.
	pseudoOK(t, "audit", adm.get("/admin/audit"), http.StatusOK, auditData(t, s)...)
	pseudoOK(t, "audit bad filters", adm.get("/admin/audit?user=abc&since=yesterday&until=2026-13-45&action=%ff%fe&record="+strings.Repeat("x", 300)), http.StatusOK, auditData(t, s)...)
	pseudoOK(t, "audit nothing", adm.get("/admin/audit?action=nothing.matches"), http.StatusOK, "nothing.matches")

	// The outbox: mail idle, a failed message, an unknown state.
	ids := s.queueMail(t, 2)
	pseudoOK(t, "outbox", adm.get("/admin/outbox"), http.StatusOK)
	pseudoOK(t, "outbox bad state", adm.get("/admin/outbox?state=zzz"), http.StatusOK)
	pseudoOK(t, "outbox empty state", adm.get("/admin/outbox?state=sent"), http.StatusOK)
	for _, id := range ids {
		pseudoOK(t, "outbox message", adm.get(fmt.Sprintf("/admin/outbox/%d", id)), http.StatusOK)
	}

	// Contact messages.
	msgs, _, err := s.st.ListMessages(ctx, false, 1, 10)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("messages: %v %v", msgs, err)
	}
	pseudoOK(t, "messages", mod.get("/admin/messages"), http.StatusOK)
	pseudoOK(t, "messages unread", mod.get("/admin/messages?unread=1"), http.StatusOK)
	pseudoOK(t, "message", mod.get(fmt.Sprintf("/admin/messages/%d", msgs[0].ID)), http.StatusOK)
	for _, read := range []string{"1", "0"} {
		wantStatus(t, mod.post(fmt.Sprintf("/admin/messages/%d/read", msgs[0].ID), url.Values{"read": {read}}), http.StatusSeeOther)
		pseudoOK(t, "message marked "+read, mod.get(fmt.Sprintf("/admin/messages/%d", msgs[0].ID)), http.StatusOK)
	}
	if _, err := s.st.CreateMessage(ctx, &store.Message{Name: "Wendy Writer", Email: "writer@example.org", Body: "Please call me about the poster."}); err != nil {
		t.Fatal(err)
	}
	pseudoOK(t, "messages no subject", mod.get("/admin/messages"), http.StatusOK)

	// Resources: list, forms, errors, each flash.
	resources, err := s.st.ListResources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	resData := func() []string {
		var out []string
		for _, r := range resources {
			out = append(out, r.Title, r.Description, r.Phone, r.URL)
		}
		return append(out, "Pseudo Help Line", "https://help.example.ca/")
	}
	pseudoOK(t, "resources", adm.get("/admin/resources"), http.StatusOK, resData()...)
	pseudoOK(t, "resource new", adm.get("/admin/resources/new"), http.StatusOK)
	pseudoOK(t, "resource errors", adm.post("/admin/resources", url.Values{"category": {"zzz"}, "phone": {"call me"}, "url": {"ftp://x"}}), http.StatusUnprocessableEntity, "call me", "ftp://x")
	pseudoOK(t, "resource no contact", adm.post("/admin/resources", url.Values{"title": {"Pseudo Help Line"}, "category": {"police"}}), http.StatusUnprocessableEntity, resData()...)
	wantStatus(t, adm.post("/admin/resources", url.Values{"title": {"Pseudo Help Line"}, "category": {"police"}, "url": {"https://help.example.ca/"}}), http.StatusSeeOther)
	pseudoOK(t, "resource added", adm.get("/admin/resources"), http.StatusOK, resData()...)
	if resources, err = s.st.ListResources(ctx); err != nil {
		t.Fatal(err)
	}
	last := resources[len(resources)-1]
	pseudoOK(t, "resource edit", adm.get(fmt.Sprintf("/admin/resources/%d", last.ID)), http.StatusOK, resData()...)
	pseudoOK(t, "resource edit errors", adm.post(fmt.Sprintf("/admin/resources/%d", last.ID), url.Values{"title": {""}, "category": {"police"}, "url": {"https://help.example.ca/"}}), http.StatusUnprocessableEntity, resData()...)
	for _, step := range []struct{ path, dir string }{
		{fmt.Sprintf("/admin/resources/%d", last.ID), ""},
		{fmt.Sprintf("/admin/resources/%d/move", last.ID), "down"},
		{fmt.Sprintf("/admin/resources/%d/move", last.ID), "up"},
		{fmt.Sprintf("/admin/resources/%d/delete", last.ID), ""},
	} {
		vals := url.Values{"dir": {step.dir}}
		if step.dir == "" {
			vals = url.Values{"title": {"Pseudo Help Line"}, "category": {"police"}, "url": {"https://help.example.ca/"}}
		}
		wantStatus(t, adm.post(step.path, vals), http.StatusSeeOther)
		pseudoOK(t, "resources after "+step.path, adm.get("/admin/resources"), http.StatusOK, resData()...)
	}
}

func mustUser(t *testing.T, s *adminSite, email string) *store.User {
	t.Helper()
	u, err := s.st.GetUserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// between is the text of body after start, up to end.
func between(body, start, end string) string {
	_, rest, ok := strings.Cut(body, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, end)
	return v
}

func manualKey(body string) string { return between(body, `id="manual-key">`, "<") }

func recoveryCodes(body string) []string {
	var out []string
	for _, part := range strings.Split(body, "<li><code>")[1:] {
		c, _, _ := strings.Cut(part, "</code>")
		out = append(out, c)
	}
	return out
}

// auditData are the audit log's stored words: actions, records and
// summaries, written in English when the action happened.
func auditData(t *testing.T, s *adminSite) []string {
	t.Helper()
	es, _, err := s.st.ListAudit(context.Background(), store.AuditFilter{PerPage: 200})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Summary, e.Action, e.Record, e.UserEmail)
	}
	return out
}

// TestAdminSignInLanguage: before signing in there is no account to ask,
// so the sign-in pages follow the browser (French only when preferred to
// English); once signed in, the account's choice wins over the browser.
func TestAdminSignInLanguage(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("mod@example.org", store.RoleModerator, false)
	get := func(b *browser, target, accept string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Accept-Language", accept)
		return b.do(req)
	}
	b := s.browser()
	for _, accept := range []string{"fr-CA,fr;q=0.9,en;q=0.8", "fr", "fr-FR"} {
		rec := get(b, "/admin/login", accept)
		wantStatus(t, rec, http.StatusOK)
		mustContain(t, rec.Body.String(), `<html lang="fr-CA">`, "<h1>Connexion du personnel</h1>", "Se connecter</button>")
	}
	for _, accept := range []string{"", "en-CA,en;q=0.9,fr;q=0.8", "de", "*", "fr;q=zzz", strings.Repeat("en,", 5000) + "fr"} {
		rec := get(b, "/admin/login", accept)
		wantStatus(t, rec, http.StatusOK)
		mustContain(t, rec.Body.String(), `<html lang="en-CA">`, "<h1>Staff sign in</h1>")
	}
	// A wrong password is answered in the browser's language too.
	req := httptest.NewRequest(http.MethodPost, "/admin/login", strings.NewReader(url.Values{"email": {"mod@example.org"}, "password": {"wrong"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Accept-Language", "fr-CA")
	rec := b.do(req)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "Le courriel ou le mot de passe n&#39;est pas le bon.")

	// Signed in with the default (English) preference: English pages,
	// whatever the browser prefers; French once the account says so, and
	// the footer's link to the public site leads to the French site.
	mod := s.signIn("mod@example.org", "")
	rec = get(mod, "/admin", "fr-CA")
	mustContain(t, rec.Body.String(), `<html lang="en-CA">`, ">Dashboard</a>", `<a href="/">Public site</a>`)
	wantStatus(t, mod.post("/admin/account/language", url.Values{"lang": {"fr-CA"}}), http.StatusSeeOther)
	rec = get(mod, "/admin", "en-CA")
	mustContain(t, rec.Body.String(), `<html lang="fr-CA">`, ">Tableau de bord</a>", `<a href="/fr/">Site public</a>`)
}
