package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/auth"
	"lostinnl/internal/store"
	"lostinnl/internal/web/admin"
	"lostinnl/internal/web/staff"
)

func TestAdminLoginPasswordOnly(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("mod@example.org", store.RoleModerator, false)
	b := s.browser()
	rec := b.get("/admin/login")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), `name="email"`, `name="password"`, `id="login-form"`)
	if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}

	rec = b.post("/admin/login", url.Values{"email": {"MOD@example.org "}, "password": {testPassword}, "next": {"/admin/cases?status=pending"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/cases?status=pending" {
		t.Fatalf("status %d Location %q", rec.Code, rec.Header().Get("Location"))
	}
	rec = b.get("/admin")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), "Dashboard", ">mod</a> <span class=\"small-inv\">(moderator)</span>", `id="sign-out"`)
	// Moderators do not see admin-only navigation.
	mustNotContain(t, rec.Body.String(), `href="/admin/users"`, `href="/admin/audit"`)

	es := s.audit("user.login")
	if len(es) != 1 || es[0].UserEmail != "mod@example.org" || es[0].UserID == nil || es[0].IP != "192.0.2.10" {
		t.Fatalf("login audit: %+v", es)
	}
}

func TestAdminLoginSameAnswerForUnknownAndWrong(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("mod@example.org", store.RoleModerator, false)
	disabled, _ := s.addUser("gone@example.org", store.RoleModerator, false)
	disabled.Disabled = true
	if err := s.st.UpdateUser(context.Background(), disabled, nil); err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, email := range []string{"mod@example.org", "nobody@example.org", "gone@example.org"} {
		pw := "wrong password here"
		if email != "mod@example.org" {
			pw = testPassword
		}
		b := s.browser()
		b.ip = "198.51.100.7"
		rec := b.post("/admin/login", url.Values{"email": {email}, "password": {pw}})
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		mustContain(t, rec.Body.String(), staff.MsgBadCredentials)
		if b.sessionCookie() != "" {
			t.Errorf("%s: a failed login set a session cookie", email)
		}
		// The page differs only in the echoed email.
		bodies = append(bodies, strings.ReplaceAll(rec.Body.String(), email, "EMAIL"))
	}
	for i := 1; i < len(bodies); i++ {
		if stripRequestID(bodies[i]) != stripRequestID(bodies[0]) {
			t.Errorf("login answer %d differs from the first", i)
		}
	}
	if logs := s.logs.String(); !strings.Contains(logs, "sign-in failed") || strings.Contains(logs, "wrong password here") || strings.Contains(logs, testPassword) {
		t.Errorf("sign-in failures not logged, or a password in the log:\n%s", logs)
	}
	es := s.audit("user.login_failed")
	if len(es) != 3 {
		t.Fatalf("want 3 login_failed entries, got %d", len(es))
	}
	all, _, err := s.st.ListAudit(context.Background(), store.AuditFilter{PerPage: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		if strings.Contains(e.Summary+e.UserEmail+e.Record, "password") && strings.Contains(e.Summary+e.UserEmail, "wrong password here") {
			t.Errorf("audit entry contains the typed password: %+v", e)
		}
	}
}

// TestAdminLoginPasswordTypedIntoEmailNotLogged: people type passwords into
// the email field; the audit log must not keep such text.
func TestAdminLoginPasswordTypedIntoEmailNotLogged(t *testing.T) {
	s := newAdminSite(t)
	b := s.browser()
	wantStatus(t, b.post("/admin/login", url.Values{"email": {"Hunter2-Secret!"}, "password": {"x"}}), http.StatusUnprocessableEntity)
	es := s.audit("user.login_failed")
	if len(es) != 1 || strings.Contains(es[0].UserEmail, "Hunter2") {
		t.Fatalf("audit: %+v", es)
	}
}

func stripRequestID(s string) string {
	if i := strings.Index(s, "Request id"); i >= 0 {
		return s[:i]
	}
	return s
}

func TestAdminNextOnlySameSiteAdminPaths(t *testing.T) {
	for in, want := range map[string]string{
		"/admin/cases?status=pending": "/admin/cases?status=pending",
		"/admin":                      "/admin",
		"//evil.example/admin":        "",
		"/\\evil.example":             "",
		"https://evil.example/admin":  "",
		"/admin/../cases":             "",
		"/cases":                      "",
		"/admin/login":                "",
		"/admin\t/x":                  "",
		"javascript:alert(1)":         "",
		"/administrator":              "",
		"":                            "",
	} {
		if got := staff.SafeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
	s := newAdminSite(t)
	s.addUser("mod@example.org", store.RoleModerator, false)
	b := s.browser()
	rec := b.post("/admin/login", url.Values{"email": {"mod@example.org"}, "password": {testPassword}, "next": {"//evil.example/"}})
	if rec.Header().Get("Location") != "/admin" {
		t.Errorf("open redirect: Location %q", rec.Header().Get("Location"))
	}
}

func TestAdminSessionFixation(t *testing.T) {
	s := newAdminSite(t)
	_, secret := s.addUser("admin@example.org", store.RoleAdmin, true)
	b := s.browser()
	planted := strings.Repeat("A", 43)
	b.cookies[auth.InsecureCookieName] = &http.Cookie{Name: auth.InsecureCookieName, Value: planted}
	wantStatus(t, b.post("/admin/login", url.Values{"email": {"admin@example.org"}, "password": {testPassword}}), http.StatusSeeOther)
	pending := b.sessionCookie()
	if pending == "" || pending == planted {
		t.Fatalf("pending session id %q not rotated", pending)
	}
	// The pending session grants nothing.
	wantLoginRedirect(t, b.get("/admin/cases"))
	code, _ := auth.TOTPCode(secret, s.clock.Now())
	wantStatus(t, b.post("/admin/login", url.Values{"code": {code}}), http.StatusSeeOther)
	final := b.sessionCookie()
	if final == "" || final == pending || final == planted {
		t.Fatalf("id not rotated at login: pending %q final %q", pending, final)
	}
	wantStatus(t, b.get("/admin/cases"), http.StatusOK)
	// An attacker who knew the pending id has nothing.
	evil := s.browser()
	evil.cookies[auth.InsecureCookieName] = &http.Cookie{Name: auth.InsecureCookieName, Value: pending}
	wantLoginRedirect(t, evil.get("/admin/cases"))
}

func TestAdminLogoutEndsSession(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("mod@example.org", store.RoleModerator, false)
	b := s.signIn("mod@example.org", "")
	old := b.sessionCookie()
	rec := b.post("/admin/logout", nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/login?out=1" {
		t.Fatalf("logout: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	// Replaying the old cookie (e.g. copied before logout) no longer works.
	replay := s.browser()
	replay.cookies[auth.InsecureCookieName] = &http.Cookie{Name: auth.InsecureCookieName, Value: old}
	wantLoginRedirect(t, replay.get("/admin"))
	if n := len(s.audit("user.logout")); n != 1 {
		t.Errorf("logout audited %d times", n)
	}
	mustContain(t, b.get("/admin/login?out=1").Body.String(), "You are signed out.")
}

func TestAdminDisableEndsSessions(t *testing.T) {
	s := newAdminSite(t)
	mod, adm := s.staff()
	wantStatus(t, mod.get("/admin"), http.StatusOK)
	u, err := s.st.GetUserByEmail(context.Background(), "mod@example.org")
	if err != nil {
		t.Fatal(err)
	}
	rec := adm.post("/admin/users/"+admin.IDString(u.ID)+"/disable", nil)
	wantStatus(t, rec, http.StatusSeeOther)
	wantLoginRedirect(t, mod.get("/admin"))
	// And the password no longer works (same message as a wrong one).
	b := s.browser()
	rec = b.post("/admin/login", url.Values{"email": {"mod@example.org"}, "password": {testPassword}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if es := s.audit("user.disable"); len(es) != 1 || es[0].Record != "user:"+admin.IDString(u.ID) {
		t.Errorf("disable audit: %+v", es)
	}
	// An admin cannot disable themself (no lock-out by accident).
	me, _ := s.st.GetUserByEmail(context.Background(), "admin@example.org")
	adm.post("/admin/users/"+admin.IDString(me.ID)+"/disable", nil)
	if me2, _ := s.st.GetUser(context.Background(), me.ID); me2.Disabled {
		t.Error("admin disabled their own account")
	}
}

func TestAdminLoginThrottledPerIP(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("mod@example.org", store.RoleModerator, false)
	b := s.browser()
	// Spraying many accounts from one address: the budget of failures,
	// then refused (for a browser that never signed in to the account).
	for i := range auth.DefaultIPMaxFailures {
		rec := b.post("/admin/login", url.Values{"email": {fmt.Sprintf("user%d@example.org", i)}, "password": {"not the password!"}})
		wantStatus(t, rec, http.StatusUnprocessableEntity)
	}
	rec := b.post("/admin/login", url.Values{"email": {"mod@example.org"}, "password": {testPassword}})
	wantStatus(t, rec, http.StatusTooManyRequests)
	if rec.Header().Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	mustContain(t, rec.Body.String(), "Too many failed sign-in attempts")
	if b.sessionCookie() != "" {
		t.Error("throttled attempt signed in")
	}
	// Another address is not affected: the real user can still sign in.
	other := s.browser()
	other.ip = "192.0.2.99"
	wantStatus(t, other.post("/admin/login", url.Values{"email": {"mod@example.org"}, "password": {testPassword}}), http.StatusSeeOther)
	// After the window the address may try again.
	s.clock.Add(auth.DefaultIPWindow + time.Minute)
	wantStatus(t, b.post("/admin/login", url.Values{"email": {"mod@example.org"}, "password": {testPassword}}), http.StatusSeeOther)
}

func TestAdminLoginThrottledPerAccount(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("mod@example.org", store.RoleModerator, false)
	for i := 0; i < 5; i++ {
		b := s.browser()
		b.ip = "203.0.113." + string(rune('1'+i))
		wantStatus(t, b.post("/admin/login", url.Values{"email": {"mod@example.org"}, "password": {"wrong wrong wrong"}}), http.StatusUnprocessableEntity)
	}
	b := s.browser()
	b.ip = "203.0.113.99"
	b.post("/admin/login", url.Values{"email": {"mod@example.org"}, "password": {"wrong wrong wrong"}})
	// Now the account waits, even with the right password from a new address.
	b2 := s.browser()
	b2.ip = "203.0.113.100"
	rec := b2.post("/admin/login", url.Values{"email": {"mod@example.org"}, "password": {testPassword}})
	wantStatus(t, rec, http.StatusTooManyRequests)
	if n := len(s.audit("user.login_failed")); n != 7 {
		t.Errorf("want 7 failures audited (6 wrong, 1 refused), got %d", n)
	}
	// The delay is bounded: later the real user gets in.
	s.clock.Add(20 * time.Minute)
	wantStatus(t, b2.post("/admin/login", url.Values{"email": {"mod@example.org"}, "password": {testPassword}}), http.StatusSeeOther)
}

func TestAdminTOTPLoginClockSkew(t *testing.T) {
	s := newAdminSite(t)
	_, secret := s.addUser("admin@example.org", store.RoleAdmin, true)
	now := s.clock.Now()
	try := func(at time.Time) int {
		b := s.browser()
		wantStatus(t, b.post("/admin/login", url.Values{"email": {"admin@example.org"}, "password": {testPassword}}), http.StatusSeeOther)
		rec := b.get("/admin/login")
		mustContain(t, rec.Body.String(), `name="code"`, `id="code-form"`)
		code, err := auth.TOTPCode(secret, at)
		if err != nil {
			t.Fatal(err)
		}
		return b.post("/admin/login", url.Values{"code": {code}}).Code
	}
	// A phone 30 s behind is accepted (±1 step)…
	if c := try(now.Add(-30 * time.Second)); c != http.StatusSeeOther {
		t.Errorf("code one step behind: %d", c)
	}
	// …but not 2 minutes off.
	if c := try(now.Add(-2 * time.Minute)); c != http.StatusUnprocessableEntity {
		t.Errorf("code 4 steps behind: %d", c)
	}
	if c := try(now.Add(2 * time.Minute)); c != http.StatusUnprocessableEntity {
		t.Errorf("code 4 steps ahead: %d", c)
	}
	// The step used above cannot be replayed.
	if c := try(now.Add(-30 * time.Second)); c != http.StatusUnprocessableEntity {
		t.Errorf("replayed code: %d", c)
	}
	// A code one step ahead (newer than the one used) is fine.
	if c := try(now.Add(30 * time.Second)); c != http.StatusSeeOther {
		t.Errorf("code one step ahead: %d", c)
	}
}

func TestAdminRecoveryCodeOnce(t *testing.T) {
	s := newAdminSite(t)
	u, _ := s.addUser("admin@example.org", store.RoleAdmin, true)
	codes, stored, err := auth.GenerateRecoveryCodes()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.st.SetRecoveryCodes(context.Background(), u.ID, stored); err != nil {
		t.Fatal(err)
	}
	use := func() *browser {
		b := s.browser()
		b.post("/admin/login", url.Values{"email": {"admin@example.org"}, "password": {testPassword}})
		b.post("/admin/login", url.Values{"code": {codes[3]}})
		return b
	}
	b := use()
	rec := b.get("/admin")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), "You signed in with a recovery code. 9 codes are left.")
	b2 := use()
	wantLoginRedirect(t, b2.get("/admin"))
}

func TestAdminWrongCodesEndPendingSession(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("admin@example.org", store.RoleAdmin, true)
	b := s.browser()
	b.post("/admin/login", url.Values{"email": {"admin@example.org"}, "password": {testPassword}})
	var rec = b.post("/admin/login", url.Values{"code": {"000000"}})
	for i := 1; i < auth.MaxSecondFactorAttempts; i++ {
		rec = b.post("/admin/login", url.Values{"code": {"000000"}})
	}
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "Too many wrong codes", `id="login-form"`)
	// Hostile code values never cause a server error.
	for _, c := range []string{strings.Repeat("9", 100000), "\xff\xfe", "<script>alert(1)</script>", ""} {
		b := s.browser()
		b.ip = "203.0.113.50"
		b.post("/admin/login", url.Values{"email": {"admin@example.org"}, "password": {testPassword}})
		rec := b.post("/admin/login", url.Values{"code": {c}})
		if rec.Code != http.StatusUnprocessableEntity && rec.Code != http.StatusTooManyRequests {
			t.Errorf("code %q: status %d", truncate(c, 10), rec.Code)
		}
		mustNotContain(t, rec.Body.String(), "<script>alert(1)")
	}
}

func TestAdminRequire2FAForcesEnrolment(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("mod@example.org", store.RoleModerator, false)
	_, adm := s.staff2FAAdmin()
	wantStatus(t, adm.post("/admin/settings/require-2fa", url.Values{"require": {"yes"}}), http.StatusSeeOther)
	if es := s.audit("setting.require_2fa"); len(es) != 1 {
		t.Fatalf("setting not audited: %+v", es)
	}

	b := s.browser()
	rec := b.post("/admin/login", url.Values{"email": {"mod@example.org"}, "password": {testPassword}})
	if rec.Header().Get("Location") != "/admin/account/2fa" {
		t.Fatalf("after password: Location %q, want the enrolment page", rec.Header().Get("Location"))
	}
	// Everything else sends them back to enrolment.
	for _, p := range []string{"/admin", "/admin/cases", "/admin/tips"} {
		rec := b.get(p)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/account/2fa" {
			t.Errorf("%s: %d %q", p, rec.Code, rec.Header().Get("Location"))
		}
	}
	rec = b.get("/admin/account/2fa")
	wantStatus(t, rec, http.StatusOK)
	body := rec.Body.String()
	mustContain(t, body, "A second factor is required", `src="/admin/account/totp.png"`, `id="manual-key"`)
	img := b.get("/admin/account/totp.png")
	wantStatus(t, img, http.StatusOK)
	if img.Header().Get("Content-Type") != "image/png" || img.Header().Get("Cache-Control") != "no-store" || !strings.HasPrefix(img.Body.String(), "\x89PNG") {
		t.Errorf("QR: %q %q", img.Header().Get("Content-Type"), img.Header().Get("Cache-Control"))
	}
	// Another signed-in user cannot fetch this user's QR code.
	if other := s.browser(); other != nil {
		wantLoginRedirect(t, other.get("/admin/account/totp.png"))
	}
	i := strings.Index(body, `id="manual-key">`)
	key := strings.ReplaceAll(body[i+len(`id="manual-key">`):i+len(`id="manual-key">`)+39], " ", "")
	key = key[:32]
	wantStatus(t, b.post("/admin/account/2fa", url.Values{"code": {"123"}}), http.StatusUnprocessableEntity)
	code, err := auth.TOTPCode(key, s.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	rec = b.post("/admin/account/2fa", url.Values{"code": {code}})
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), `id="recovery-codes"`, "will not be shown again")
	if n := strings.Count(rec.Body.String(), "<li><code>"); n != auth.RecoveryCodeCount {
		t.Errorf("%d recovery codes shown", n)
	}
	wantStatus(t, b.get("/admin"), http.StatusOK)
	// The secret is sealed at rest, not stored as typed.
	u, _ := s.st.GetUserByEmail(context.Background(), "mod@example.org")
	if u.TOTPSecret == nil || strings.Contains(string(u.TOTPSecret), key) {
		t.Error("TOTP secret missing or stored in plaintext")
	}
	// The next sign-in needs the code.
	s.clock.Add(time.Minute)
	s.signIn("mod@example.org", key)
	if es := s.audit("user.totp_enrol"); len(es) != 1 {
		t.Errorf("enrolment audit: %+v", es)
	}

	// The admin resets it (lost phone): the user is signed out and must
	// enrol again.
	wantStatus(t, adm.post("/admin/users/"+admin.IDString(u.ID)+"/reset-2fa", nil), http.StatusSeeOther)
	wantLoginRedirect(t, b.get("/admin"))
	u, _ = s.st.GetUserByEmail(context.Background(), "mod@example.org")
	if u.TOTPSecret != nil || u.RecoveryCodes != "" {
		t.Error("second factor not reset")
	}
}

// staff2FAAdmin signs in an admin who has a second factor.
func (s *adminSite) staff2FAAdmin() (*store.User, *browser) {
	u, secret := s.addUser("admin@example.org", store.RoleAdmin, true)
	return u, s.signIn("admin@example.org", secret)
}

func TestAdminCrossOriginPostRefused(t *testing.T) {
	s := newAdminSite(t)
	_, adm := s.staff()
	req := func(site string) *http.Request {
		r, _ := http.NewRequest(http.MethodPost, "/admin/settings/require-2fa", strings.NewReader("require=yes"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", site)
		return r
	}
	rec := adm.do(req("cross-site"))
	wantStatus(t, rec, http.StatusForbidden)
	r := req("")
	r.Header.Del("Sec-Fetch-Site")
	r.Header.Set("Origin", "https://evil.example")
	r.Host = "missing.example.ca"
	wantStatus(t, adm.do(r), http.StatusForbidden)
	if on, _ := s.st.GetSetting(context.Background(), staff.SettingRequire2FA); on == "true" {
		t.Fatal("cross-origin post changed the setting")
	}
	wantStatus(t, adm.do(req("same-origin")), http.StatusSeeOther)
}
