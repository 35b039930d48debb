package securitytest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/auth"
)

// TestLoginAddressBudgetCodeFirst (issue 12, point 4): with the address over
// its budget, a browser that never signed in before still gets in with the
// right password and a valid second-factor code typed together — and the
// address budget still bounds argon2: requests without a valid code (a
// spray over many accounts, wrong codes, accounts without a second factor)
// run no password check at all, and one code signs in once.
func TestLoginAddressBudgetCodeFirst(t *testing.T) {
	eachDialect(t, func(t *testing.T, env map[string]string) {
		addStaff(t, env, "mod@example.org", "moderator", authPassword)
		addStaff(t, env, "nofactor@example.org", "moderator", authPassword)
		env["LOSTINNL_LOGIN_IP_MAX_FAILURES"] = "5"
		s := startSite(t, env)
		secret, _ := authEnrol(t, s, "mod@example.org")
		for i := range 5 {
			resp := must(newClient(t).PostForm(s.URL+"/admin/login", url.Values{"email": {fmt.Sprintf("guess%d@example.org", i)}, "password": {"Summer2026!"}}))
			if _ = body(t, resp); resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("guess %d: %d", i, resp.StatusCode)
			}
		}
		// A new browser: refused, and offered the code field.
		resp := must(newClient(t).PostForm(s.URL+"/admin/login", url.Values{"email": {"mod@example.org"}, "password": {authPassword}}))
		if b := body(t, resp); resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(b, `name="otp"`) {
			t.Fatalf("new browser over the address budget: %d, code field offered: %v", resp.StatusCode, strings.Contains(b, `name="otp"`))
		}

		// The right password and a valid code, six times at once: one
		// session (the code is redeemed by compare-and-set).
		code := must(auth.TOTPCode(secret, time.Now().Add(auth.TOTPPeriod)))
		clients := make([]*http.Client, 6)
		for i := range clients {
			clients[i] = newClient(t)
		}
		got := authRace(t, 6, func(i int) *http.Response {
			return must(clients[i].PostForm(s.URL+"/admin/login", url.Values{"email": {"mod@example.org"}, "password": {authPassword}, "otp": {code}}))
		})
		n := authSignedIn(t, s, clients)
		t.Logf("6 parallel sign-ins with one code over the address budget: %v, %d signed in", got.codes, n)
		if n > 1 {
			t.Errorf("one code opened %d sessions", n)
		}
		if n != 1 {
			t.Errorf("right password and valid code over the address budget: %d sessions, answers %v; want 1", n, got.codes)
		}

		// Spraying with codes: 30 parallel requests over many accounts (the
		// enrolled one with wrong codes, unknown ones, one without a second
		// factor) — not one argon2 run, every answer a 429.
		before := authMetric(t, s, "password_checks_total")
		wrong := authWrongCode(t, secret)
		got = authRace(t, 30, func(i int) *http.Response {
			email := fmt.Sprintf("spray%02d@example.org", i)
			switch i % 3 {
			case 0:
				email = "mod@example.org"
			case 1:
				email = "nofactor@example.org"
			}
			return must(newClient(t).PostForm(s.URL+"/admin/login", url.Values{"email": {email}, "password": {authPassword}, "otp": {wrong}}))
		})
		if checked := authMetric(t, s, "password_checks_total") - before; checked != 0 {
			t.Errorf("argon2 ran %v times for requests without a valid code", checked)
		}
		if got.codes[http.StatusTooManyRequests] != 30 {
			t.Errorf("answers %v, want 30×429", got.codes)
		}

	})
}
