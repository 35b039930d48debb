package securitytest

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Password lifecycle (issue 12 point 3): a set-password link is used once
// even when sent many times at once, and a password change ends every
// other session of the account.

const (
	pwdAdminPass = "correct horse battery staple 7"
	pwdModPass   = "a lantern on the far breakwater"
)

// pwdSignIn signs a new client in with a password-only account.
func pwdSignIn(t *testing.T, s *site, email, password string) *http.Client {
	t.Helper()
	c := newClient(t)
	resp := must(c.PostForm(s.URL+"/admin/login", url.Values{"email": {email}, "password": {password}}))
	if b := body(t, resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in %s: %d %s", email, resp.StatusCode, b)
	}
	return c
}

// pwdCanSignIn reports whether email signs in with password.
func pwdCanSignIn(t *testing.T, s *site, email, password string) bool {
	t.Helper()
	resp := must(newClient(t).PostForm(s.URL+"/admin/login", url.Values{"email": {email}, "password": {password}}))
	body(t, resp)
	return resp.StatusCode == http.StatusSeeOther
}

// pwdSignedIn reports whether the client's session still opens the admin
// area (an ended session is sent to the sign-in page).
func pwdSignedIn(t *testing.T, s *site, c *http.Client) bool {
	t.Helper()
	resp := must(c.Get(s.URL + "/admin"))
	body(t, resp)
	return resp.StatusCode == http.StatusOK
}

var (
	pwdUserRowRe = regexp.MustCompile(`<tr id="user-(\d+)"><td>mod@example\.org`)
	pwdLinkRe    = regexp.MustCompile(`/admin/set-password\?token=([A-Za-z0-9_-]{43})`)
)

// pwdResetMod has the admin reset the moderator's password and returns the
// token of the set-password link shown on the page.
func pwdResetMod(t *testing.T, s *site, adm *http.Client) string {
	t.Helper()
	page := body(t, must(adm.Get(s.URL+"/admin/users")))
	m := pwdUserRowRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("moderator not on the users page")
	}
	resp := must(adm.PostForm(s.URL+"/admin/users/"+m[1]+"/reset-password", url.Values{}))
	b := body(t, resp)
	lm := pwdLinkRe.FindStringSubmatch(b)
	if resp.StatusCode != http.StatusOK || lm == nil {
		t.Fatalf("reset: %d, no link", resp.StatusCode)
	}
	return lm[1]
}

// TestPwdResetLinkUsedOnce: 8 requests with one set-password token,
// released together, each with its own new password: exactly one sets its
// password, the others are told the link was used (410), none is a 5xx,
// and the password that works afterwards is the winner's. The token never
// reaches the server log.
func TestPwdResetLinkUsedOnce(t *testing.T) {
	eachDialect(t, func(t *testing.T, env map[string]string) {
		addStaff(t, env, "admin@example.org", "admin", pwdAdminPass)
		addStaff(t, env, "mod@example.org", "moderator", pwdModPass)
		s := startSite(t, env)
		adm := pwdSignIn(t, s, "admin@example.org", pwdAdminPass)
		mod := pwdSignIn(t, s, "mod@example.org", pwdModPass)
		token := pwdResetMod(t, s, adm)
		if pwdSignedIn(t, s, mod) {
			t.Fatal("the moderator's session survived the reset")
		}
		if pwdCanSignIn(t, s, "mod@example.org", pwdModPass) {
			t.Fatal("the old password still signs in after the reset")
		}
		// The link's page works without a session.
		resp := must(newClient(t).Get(s.URL + "/admin/set-password?token=" + token))
		if b := body(t, resp); resp.StatusCode != http.StatusOK || !strings.Contains(b, "mod@example.org") {
			t.Fatalf("link page: %d", resp.StatusCode)
		}

		const n = 8
		status := make([]int, n)
		errs := make([]error, n)
		together(n, func(i int) {
			pw := fmt.Sprintf("harbour light number %d tonight", i)
			resp, err := newClient(t).PostForm(s.URL+"/admin/set-password", url.Values{"token": {token}, "new_password": {pw}, "confirm_password": {pw}})
			if err != nil {
				errs[i] = err
				return
			}
			_, errs[i] = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			status[i] = resp.StatusCode
		})
		winner, gone := -1, 0
		for i, code := range status {
			if errs[i] != nil {
				t.Fatalf("request %d: %v", i, errs[i])
			}
			switch code {
			case http.StatusOK:
				if winner >= 0 {
					t.Errorf("requests %d and %d both set a password", winner, i)
				}
				winner = i
			case http.StatusGone:
				gone++
			default:
				t.Errorf("request %d: status %d", i, code)
			}
		}
		if winner < 0 || gone != n-1 {
			t.Fatalf("statuses %v: want one 200 and %d × 410", status, n-1)
		}
		// The winner's password first (a success clears the account's
		// failures), then two losers': refused as wrong (422), which the
		// account throttle allows (the old password was one failure).
		if !pwdCanSignIn(t, s, "mod@example.org", fmt.Sprintf("harbour light number %d tonight", winner)) {
			t.Errorf("the winning request's password (%d) does not sign in", winner)
		}
		for _, i := range []int{(winner + 1) % n, (winner + 2) % n} {
			resp := must(newClient(t).PostForm(s.URL+"/admin/login", url.Values{"email": {"mod@example.org"},
				"password": {fmt.Sprintf("harbour light number %d tonight", i)}}))
			if body(t, resp); resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("losing request %d's password: sign-in status %d, want 422", i, resp.StatusCode)
			}
		}
		logs := s.Log.String()
		if !strings.Contains(logs, "GET /admin/set-password") {
			t.Error("the access log has no line for the link's page, so the next check proves nothing")
		}
		if strings.Contains(logs, token) {
			t.Error("the set-password token is in the server log")
		}
	})
}

// TestPwdChangeEndsOtherSessions: the moderator is signed in on three
// clients; changing the password on one ends the other two, keeps the one
// that changed it (under a new session id), and only the new password
// signs in afterwards.
func TestPwdChangeEndsOtherSessions(t *testing.T) {
	eachDialect(t, func(t *testing.T, env map[string]string) {
		addStaff(t, env, "mod@example.org", "moderator", pwdModPass)
		s := startSite(t, env)
		a := pwdSignIn(t, s, "mod@example.org", pwdModPass)
		b := pwdSignIn(t, s, "mod@example.org", pwdModPass)
		c := pwdSignIn(t, s, "mod@example.org", pwdModPass)
		u := must(url.Parse(s.URL))
		before := a.Jar.Cookies(u)
		const next = "the tide turns at seven tonight"
		resp := must(a.PostForm(s.URL+"/admin/account/password", url.Values{
			"current_password": {pwdModPass}, "new_password": {next}, "confirm_password": {next}}))
		if body(t, resp); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("change: %d", resp.StatusCode)
		}
		if was, now := pwdSessionCookie(before), pwdSessionCookie(a.Jar.Cookies(u)); was == "" || now == "" || was == now {
			t.Errorf("session id not rotated: %v → %v", before, a.Jar.Cookies(u))
		}
		if !pwdSignedIn(t, s, a) {
			t.Error("the client that changed the password was signed out")
		}
		for name, other := range map[string]*http.Client{"b": b, "c": c} {
			if pwdSignedIn(t, s, other) {
				t.Errorf("client %s is still signed in after the change", name)
			}
		}
		if pwdCanSignIn(t, s, "mod@example.org", pwdModPass) || !pwdCanSignIn(t, s, "mod@example.org", next) {
			t.Error("old password works or new one does not")
		}
	})
}

// TestPwdChangeGuessesBounded: a stolen session cannot guess the current
// password faster than sign-in allows. 30 wrong current passwords posted at
// once run argon2 at most the account's allowance; the rest are 429.
func TestPwdChangeGuessesBounded(t *testing.T) {
	eachDialect(t, func(t *testing.T, env map[string]string) {
		addStaff(t, env, "mod@example.org", "moderator", pwdModPass)
		s := startSite(t, env)
		c := pwdSignIn(t, s, "mod@example.org", pwdModPass)
		before := authMetric(t, s, "password_checks_total")
		const next = "the tide turns at seven tonight"
		got := authRace(t, 30, func(i int) *http.Response {
			return must(c.PostForm(s.URL+"/admin/account/password", url.Values{
				"current_password": {fmt.Sprintf("not my password %d", i)}, "new_password": {next}, "confirm_password": {next}}))
		})
		checked := authMetric(t, s, "password_checks_total") - before
		t.Logf("30 parallel wrong current passwords: %v; argon2 runs: %v", got.codes, checked)
		const allowed = 5 // the account's free failures (auth.ThrottleConfig)
		if checked < 1 || checked > allowed {
			t.Errorf("argon2 ran %v times for 30 parallel guesses, want 1..%d", checked, allowed)
		}
		if got.codes[http.StatusTooManyRequests] < 30-allowed || got.missingRetryAfter > 0 {
			t.Errorf("answers %v (%d 429s without Retry-After), want at least %d 429s", got.codes, got.missingRetryAfter, 30-allowed)
		}
	})
}

// pwdSessionCookie is the session cookie's value among cookies ("" if none;
// other cookies, such as the known-browser one, are ignored).
func pwdSessionCookie(cookies []*http.Cookie) string {
	for _, c := range cookies {
		if strings.HasSuffix(c.Name, "lostinnl_session") {
			return c.Value
		}
	}
	return ""
}
