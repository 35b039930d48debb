package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/auth"
	"lostinnl/internal/store"
	"lostinnl/internal/web/admin"
)

const pwdNew = "a brand new lighthouse keeper"

// pwdCanSignIn reports whether email signs in with password (on a fresh
// browser from its own address, so throttle counts of the test's browsers
// do not interfere).
func (s *adminSite) pwdCanSignIn(email, password string) bool {
	s.t.Helper()
	b := s.browser()
	b.ip = "203.0.113.99"
	rec := b.post("/admin/login", url.Values{"email": {email}, "password": {password}})
	return rec.Code == http.StatusSeeOther && b.sessionCookie() != ""
}

func (s *adminSite) pwdHash(id int64) string {
	s.t.Helper()
	u, err := s.st.GetUser(context.Background(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	return u.PasswordHash
}

func pwdForm(current, newPw, confirm string) url.Values {
	return url.Values{"current_password": {current}, "new_password": {newPw}, "confirm_password": {confirm}}
}

// TestAdminPasswordChange: the change ends every other session, keeps this
// browser signed in under a new id, is audited, and the new password works.
func TestAdminPasswordChange(t *testing.T) {
	s := newAdminSite(t)
	u, _ := s.addUser("mod@example.org", store.RoleModerator, false)
	b := s.signIn("mod@example.org", "")
	other := s.signIn("mod@example.org", "")

	rec := b.get("/admin/account/password")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), `id="password-form"`, `name="current_password"`, `name="new_password"`, `name="confirm_password"`, `autocomplete="current-password"`)
	mustNotContain(t, rec.Body.String(), `name="code"`)

	before := b.sessionCookie()
	rec = b.post("/admin/account/password", pwdForm(testPassword, pwdNew, pwdNew))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/account/password" {
		t.Fatalf("change: status %d Location %q\n%s", rec.Code, rec.Header().Get("Location"), truncate(rec.Body.String(), 2000))
	}
	if after := b.sessionCookie(); after == "" || after == before {
		t.Fatalf("session id not rotated: %q → %q", before, after)
	}
	rec = b.get("/admin/account/password")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), "Your password is changed.")
	wantLoginRedirect(t, other.get("/admin"))
	// The old id (which may have leaked) is dead too.
	stale := s.browser()
	stale.cookies[auth.InsecureCookieName] = &http.Cookie{Name: auth.InsecureCookieName, Value: before}
	wantLoginRedirect(t, stale.get("/admin"))

	if s.pwdCanSignIn("mod@example.org", testPassword) {
		t.Error("the old password still signs in")
	}
	if !s.pwdCanSignIn("mod@example.org", pwdNew) {
		t.Error("the new password does not sign in")
	}
	es := s.audit("user.password_change")
	if len(es) != 1 || es[0].UserID == nil || *es[0].UserID != u.ID || es[0].Record != "user:"+admin.IDString(u.ID) {
		t.Fatalf("audit: %+v", es)
	}
	if logs := s.logs.String(); strings.Contains(logs, pwdNew) || strings.Contains(logs, testPassword) {
		t.Errorf("a password reached the log:\n%s", logs)
	}
}

// TestAdminPasswordChangeRefusals: hostile and wrong input gets a clear
// 422 (never a 5xx), changes nothing and keeps the sessions; a wrong current
// password counts as a failed sign-in, so guessing through this page runs
// into the same throttle (429 with Retry-After, even for the right one).
func TestAdminPasswordChangeRefusals(t *testing.T) {
	s := newAdminSite(t)
	u, _ := s.addUser("mod@example.org", store.RoleModerator, false)
	b := s.signIn("mod@example.org", "")
	other := s.signIn("mod@example.org", "")
	// A current password that passes the policy (testPassword does not), so
	// reuse is what refuses it; with an accent, to check NFC forms too.
	const current = "quiet caf\u00e9 harbour tide"
	h, err := s.hasher.Hash(context.Background(), current)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.st.SetPasswordHash(context.Background(), u.ID, h); err != nil {
		t.Fatal(err)
	}
	hash := s.pwdHash(u.ID)
	huge := strings.Repeat("lighthouse ", 100<<10/11)
	for _, c := range []struct {
		name string
		form url.Values
		want string
	}{
		{"empty", url.Values{}, "Enter your current password."},
		{"no new password", pwdForm(current, "", ""), "Enter a new password."},
		{"100 KB new password", pwdForm(current, huge, huge), "Use at most 128 characters."},
		{"invalid UTF-8", pwdForm(current, "lighthouse \xff\xfe keeper", "lighthouse \xff\xfe keeper"), "cannot be typed"},
		{"control character", pwdForm(current, "lighthouse\x00keeper ok", "lighthouse\x00keeper ok"), "cannot be typed"},
		{"short", pwdForm(current, "short", "short"), "at least 12 characters"},
		{"common", pwdForm(current, "password1234", "password1234"), "most common"},
		{"contains email", pwdForm(current, "mod mod mod mod mod", "mod mod mod mod mod"), "email name"},
		{"confirmation differs", pwdForm(current, pwdNew, pwdNew+"x"), "The two new passwords differ"},
		{"reuse", pwdForm(current, current, current), "different from your current one"},
		{"reuse in another normal form", pwdForm(current, "quiet cafe\u0301 harbour tide", "quiet cafe\u0301 harbour tide"), "different from your current one"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := b.post("/admin/account/password", c.form)
			wantStatus(t, rec, http.StatusUnprocessableEntity)
			mustContain(t, rec.Body.String(), c.want, `id="error-summary"`)
			for _, v := range c.form {
				if len(v[0]) > 0 && strings.Contains(rec.Body.String(), `value="`+v[0]+`"`) {
					t.Error("a password was echoed into the form")
				}
			}
		})
	}
	if len(s.audit("user.password_change_failed")) != 0 {
		t.Fatal("a form error counted as a failed proof of identity")
	}

	// Wrong current password (also a 100 KB one): a failed sign-in.
	wrongs := []string{"not my password at all", huge, "\xff\xfe\xfd invalid utf-8"}
	for _, w := range wrongs {
		rec := b.post("/admin/account/password", pwdForm(w, pwdNew, pwdNew))
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		mustContain(t, rec.Body.String(), "That is not your current password.")
	}
	if n := len(s.audit("user.password_change_failed")); n != len(wrongs) {
		t.Fatalf("%d failure audit entries, want %d", n, len(wrongs))
	}
	// Keep guessing: the account throttle (5 free failures) stops it.
	var rec *httptest.ResponseRecorder
	for range 10 {
		rec = b.post("/admin/account/password", pwdForm("another wrong guess", pwdNew, pwdNew))
		if rec.Code == http.StatusTooManyRequests {
			break
		}
		wantStatus(t, rec, http.StatusUnprocessableEntity)
	}
	wantStatus(t, rec, http.StatusTooManyRequests)
	if rec.Header().Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// Throttled: even the right password is not checked now.
	wantStatus(t, b.post("/admin/account/password", pwdForm(current, pwdNew, pwdNew)), http.StatusTooManyRequests)
	// …and the sign-in form is throttled for the account too.
	lb := s.browser()
	lb.ip = "203.0.113.50"
	wantStatus(t, lb.post("/admin/login", url.Values{"email": {"mod@example.org"}, "password": {current}}), http.StatusTooManyRequests)

	if s.pwdHash(u.ID) != hash {
		t.Fatal("a refused change replaced the password")
	}
	wantStatus(t, other.get("/admin"), http.StatusOK)
	if logs := s.logs.String(); strings.Contains(logs, "not my password at all") || strings.Contains(logs, "another wrong guess") {
		t.Error("a typed password reached the log")
	}

	// After the wait, the right password works again.
	s.clock.Add(16 * time.Minute)
	wantStatus(t, b.post("/admin/account/password", pwdForm(current, pwdNew, pwdNew)), http.StatusSeeOther)
}

// TestAdminPasswordChangeSecondFactor: with a second factor enrolled, the
// change needs a current code too; a wrong or replayed code is a failure.
func TestAdminPasswordChangeSecondFactor(t *testing.T) {
	s := newAdminSite(t)
	u, secret := s.addUser("admin@example.org", store.RoleAdmin, true)
	b := s.signIn("admin@example.org", secret)
	rec := b.get("/admin/account/password")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), `name="code"`, `autocomplete="one-time-code"`)

	wantStatus(t, b.post("/admin/account/password", pwdForm(testPassword, pwdNew, pwdNew)), http.StatusUnprocessableEntity)
	// The code used to sign in a moment ago is a replay.
	used, _ := auth.TOTPCode(secret, s.clock.Now())
	for _, code := range []string{used, "000000", "\xff\xfe", strings.Repeat("9", 5000)} {
		f := pwdForm(testPassword, pwdNew, pwdNew)
		f.Set("code", code)
		rec := b.post("/admin/account/password", f)
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		mustContain(t, rec.Body.String(), "That code is not right.")
	}
	if n := len(s.audit("user.password_change_failed")); n != 4 {
		t.Fatalf("%d failure entries, want 4", n)
	}
	if !s.pwdCanSignIn("admin@example.org", testPassword) {
		t.Fatal("a refused change replaced the password")
	}
	s.clock.Add(16 * time.Minute) // past the throttle the failures built up
	b = s.signIn("admin@example.org", secret)
	s.clock.Add(30 * time.Second)
	code, _ := auth.TOTPCode(secret, s.clock.Now())
	f := pwdForm(testPassword, pwdNew, pwdNew)
	f.Set("code", code)
	wantStatus(t, b.post("/admin/account/password", f), http.StatusSeeOther)
	if got := s.pwdHash(u.ID); got == "" || !s.pwdCanSignIn("admin@example.org", pwdNew) {
		t.Fatal("the new password does not work")
	}
}

var resetLinkRe = regexp.MustCompile(`https://missing\.example\.ca/admin/set-password\?token=([A-Za-z0-9_-]{43})`)

// pwdReset resets the user's password as adm and returns the link's path.
func pwdReset(t *testing.T, adm *browser, userID int64) (path, token string) {
	t.Helper()
	rec := adm.post("/admin/users/"+admin.IDString(userID)+"/reset-password", url.Values{})
	wantStatus(t, rec, http.StatusOK)
	m := resetLinkRe.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("no set-password link on the page:\n%s", truncate(rec.Body.String(), 3000))
	}
	return strings.TrimPrefix(m[0], "https://missing.example.ca"), m[1]
}

// TestAdminPasswordResetLink: an admin's reset ends the user's sessions and
// old password; the link, shown once, sets a new password once, without a
// session, and is refused cleanly afterwards.
func TestAdminPasswordResetLink(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("admin@example.org", store.RoleAdmin, false)
	u, _ := s.addUser("mod@example.org", store.RoleModerator, false)
	adm := s.signIn("admin@example.org", "")
	victim := s.signIn("mod@example.org", "")

	rec := adm.get("/admin/users")
	mustContain(t, rec.Body.String(), `action="/admin/users/`+admin.IDString(u.ID)+`/reset-password"`)
	link, token := pwdReset(t, adm, u.ID)
	wantLoginRedirect(t, victim.get("/admin"))
	if s.pwdCanSignIn("mod@example.org", testPassword) {
		t.Fatal("the old password still signs in after a reset")
	}
	// Shown once: the users page does not show it again, and the
	// database holds only a hash.
	mustNotContain(t, adm.get("/admin/users").Body.String(), token)
	th, _ := auth.ResetTokenHash(token)
	if pr, err := s.st.GetPasswordReset(context.Background(), th); err != nil || pr.UserID != u.ID || strings.Contains(string(pr.TokenHash), token) {
		t.Fatalf("stored link %+v %v", pr, err)
	}

	anon := s.browser()
	anon.ip = "198.51.100.20"
	rec = anon.get(link)
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), "mod@example.org", `id="set-password-form"`, `name="token" value="`+token+`"`, `action="/admin/set-password"`)
	if rp := rec.Header().Get("Referrer-Policy"); rp != "no-referrer" {
		t.Errorf("Referrer-Policy %q", rp)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	// Policy refusals keep the link usable.
	for _, f := range []url.Values{
		{"token": {token}},
		{"token": {token}, "new_password": {"password1234"}, "confirm_password": {"password1234"}},
		{"token": {token}, "new_password": {strings.Repeat("x", 100<<10)}, "confirm_password": {strings.Repeat("x", 100<<10)}},
		{"token": {token}, "new_password": {"lighthouse \xff keeper"}, "confirm_password": {"lighthouse \xff keeper"}},
		{"token": {token}, "new_password": {pwdNew}, "confirm_password": {"something else entirely"}},
	} {
		rec := anon.post("/admin/set-password", f)
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		mustContain(t, rec.Body.String(), `id="error-summary"`, `name="token" value="`+token+`"`)
	}
	rec = anon.post("/admin/set-password", url.Values{"token": {token}, "new_password": {pwdNew}, "confirm_password": {pwdNew}})
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), `id="password-set"`)
	if !s.pwdCanSignIn("mod@example.org", pwdNew) {
		t.Fatal("the password set with the link does not sign in")
	}
	// Used: a clear 410, on the page and on the form.
	rec = anon.get(link)
	wantStatus(t, rec, http.StatusGone)
	mustContain(t, rec.Body.String(), "already used")
	rec = anon.post("/admin/set-password", url.Values{"token": {token}, "new_password": {"yet another fine password"}, "confirm_password": {"yet another fine password"}})
	wantStatus(t, rec, http.StatusGone)
	if !s.pwdCanSignIn("mod@example.org", pwdNew) {
		t.Fatal("a used link changed the password again")
	}
	if es := s.audit("user.password_reset"); len(es) != 1 || es[0].Record != "user:"+admin.IDString(u.ID) || es[0].UserEmail != "admin@example.org" {
		t.Errorf("reset audit: %+v", es)
	}
	if es := s.audit("user.password_set"); len(es) != 1 || es[0].UserID == nil || *es[0].UserID != u.ID || es[0].IP != "198.51.100.20" {
		t.Errorf("set audit: %+v", es)
	}
	if logs := s.logs.String(); strings.Contains(logs, token) || strings.Contains(logs, pwdNew) {
		t.Errorf("token or password in the log:\n%s", logs)
	}
}

// TestAdminPasswordResetLinkRefusals: wrong, hostile, expired and replaced
// links get a clear 404 or 410, never a 5xx and never a form.
func TestAdminPasswordResetLinkRefusals(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("admin@example.org", store.RoleAdmin, false)
	u, _ := s.addUser("mod@example.org", store.RoleModerator, false)
	adm := s.signIn("admin@example.org", "")
	anon := s.browser()
	unknown, _, _ := auth.NewResetToken()
	for _, tok := range []string{"", "abc", unknown, strings.Repeat("A", 100<<10), "\xff\xfe" + strings.Repeat("A", 41), "<script>alert(1)</script>"} {
		rec := anon.get("/admin/set-password?" + url.Values{"token": {tok}}.Encode())
		wantStatus(t, rec, http.StatusNotFound)
		mustContain(t, rec.Body.String(), "This link is not valid.")
		mustNotContain(t, rec.Body.String(), `id="set-password-form"`, "<script>alert")
		rec = anon.post("/admin/set-password", url.Values{"token": {tok}, "new_password": {pwdNew}, "confirm_password": {pwdNew}})
		wantStatus(t, rec, http.StatusNotFound)
	}

	// Replaced: a second reset makes the first link worthless.
	first, _ := pwdReset(t, adm, u.ID)
	second, _ := pwdReset(t, adm, u.ID)
	wantStatus(t, anon.get(first), http.StatusNotFound)
	wantStatus(t, anon.get(second), http.StatusOK)

	// Expired after 24 hours, on the page and on the form.
	s.clock.Add(auth.ResetLinkLifetime)
	rec := anon.get(second)
	wantStatus(t, rec, http.StatusGone)
	mustContain(t, rec.Body.String(), "expired")
	tok := second[strings.Index(second, "=")+1:]
	wantStatus(t, anon.post("/admin/set-password", url.Values{"token": {tok}, "new_password": {pwdNew}, "confirm_password": {pwdNew}}), http.StatusGone)

	// Not for one's own account.
	adm = s.signIn("admin@example.org", "")
	me, _ := s.st.GetUserByEmail(context.Background(), "admin@example.org")
	rec = adm.post("/admin/users/"+admin.IDString(me.ID)+"/reset-password", url.Values{})
	wantStatus(t, rec, http.StatusSeeOther)
	mustContain(t, adm.get("/admin/users").Body.String(), "To change your own password")
	if !s.pwdCanSignIn("admin@example.org", testPassword) {
		t.Fatal("an admin's own password was reset")
	}
	wantStatus(t, adm.post("/admin/users/999999/reset-password", url.Values{}), http.StatusNotFound)
}
