package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"lostinnl/internal/auth"
	"lostinnl/internal/store"
)

// TestAdminLoginIPBudgetSparesKnownBrowser: an address over its sign-in
// budget (an office, or every client behind a proxy missing from
// LOSTINNL_TRUSTED_PROXIES) does not lock staff out of the browsers they
// signed in on before; strangers from that address, forged cookies and
// accounts that are themselves locked still wait. (Issue 12, point 4.)
func TestAdminLoginIPBudgetSparesKnownBrowser(t *testing.T) {
	s := newAdminSite(t)
	_, secret := s.addUser("admin@example.org", store.RoleAdmin, true)
	signIn := func(b *browser) (pw, code int) {
		t.Helper()
		rec := b.post("/admin/login", url.Values{"email": {"admin@example.org"}, "password": {testPassword}})
		if rec.Code != http.StatusSeeOther {
			return rec.Code, 0
		}
		c, err := auth.TOTPCode(secret, s.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		return rec.Code, b.post("/admin/login", url.Values{"code": {c}}).Code
	}
	office := "198.51.100.20"
	known := s.browser()
	known.ip = office
	if pw, code := signIn(known); pw != http.StatusSeeOther || code != http.StatusSeeOther {
		t.Fatalf("first sign-in: %d, %d", pw, code)
	}
	known.post("/admin/logout", nil)
	if known.sessionCookie() != "" {
		t.Fatal("still signed in after logout")
	}

	// Someone at the same address uses up its budget on other accounts.
	attacker := s.browser()
	attacker.ip = office
	for i := range auth.DefaultIPMaxFailures {
		wantStatus(t, attacker.post("/admin/login", url.Values{"email": {fmt.Sprintf("guess%d@example.org", i)}, "password": {"guess guess guess"}}), http.StatusUnprocessableEntity)
	}
	wantStatus(t, attacker.post("/admin/login", url.Values{"email": {"admin@example.org"}, "password": {"guess guess guess"}}), http.StatusTooManyRequests)

	// A browser that never signed in to the account waits…
	stranger := s.browser()
	stranger.ip = office
	if pw, _ := signIn(stranger); pw != http.StatusTooManyRequests {
		t.Fatalf("stranger over the address budget: %d; want 429", pw)
	}
	// …as does one with a forged cookie (another user id, same signature)…
	forged := s.browser()
	forged.ip = office
	for name, c := range known.cookies {
		if strings.Contains(name, "browser") {
			cc := *c
			_, rest, _ := strings.Cut(cc.Value, ".")
			cc.Value = "999." + rest
			forged.cookies[name] = &cc
		}
	}
	if len(forged.cookies) == 0 {
		t.Fatal("no known-browser cookie was set at sign-in")
	}
	if pw, _ := signIn(forged); pw != http.StatusTooManyRequests {
		t.Fatalf("forged cookie over the address budget: %d; want 429", pw)
	}
	// …but the staff member's own browser gets in, second factor and all
	// (a newer code: the first one's step is used).
	s.clock.Add(auth.TOTPPeriod)
	if pw, code := signIn(known); pw != http.StatusSeeOther || code != http.StatusSeeOther {
		t.Fatalf("known browser over the address budget: %d, %d; want 303, 303", pw, code)
	}
	known.post("/admin/logout", nil)

	// The account's own limit still holds for the known browser.
	for i := range 6 {
		b := s.browser()
		b.ip = fmt.Sprintf("203.0.113.%d", 10+i)
		b.post("/admin/login", url.Values{"email": {"admin@example.org"}, "password": {"wrong wrong wrong"}})
	}
	s.clock.Add(auth.TOTPPeriod)
	if pw, _ := signIn(known); pw != http.StatusTooManyRequests {
		t.Fatalf("known browser, locked account: %d; want 429", pw)
	}
}

// TestAdminLoginFailedEmailKeyedHash: a failed sign-in logs and audits a
// typed email that is no staff account's only as a keyed hash (the same for
// the same address, so attempts stay linkable); a staff account's email
// appears as typed. (Issue 12, point 8.)
func TestAdminLoginFailedEmailKeyedHash(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("mod@example.org", store.RoleModerator, false)
	const outsider = "jane.public@example.net"
	for _, email := range []string{outsider, "  Jane.Public@Example.NET", "mod@example.org", "other.person@example.net"} {
		wantStatus(t, s.browser().post("/admin/login", url.Values{"email": {email}, "password": {"wrong wrong wrong"}}), http.StatusUnprocessableEntity)
	}
	es := s.audit("user.login_failed")
	if len(es) != 4 {
		t.Fatalf("want 4 failures audited, got %d", len(es))
	}
	byEmail := map[string]int{}
	for _, e := range es {
		byEmail[e.UserEmail]++
		if strings.Contains(strings.ToLower(e.UserEmail+e.Summary), "jane") || strings.Contains(e.UserEmail+e.Summary, "other.person") {
			t.Errorf("audit holds the typed address: %+v", e)
		}
	}
	if byEmail["mod@example.org"] != 1 {
		t.Errorf("staff email not audited as typed: %v", byEmail)
	}
	hashes := 0
	for k, n := range byEmail {
		if strings.HasPrefix(k, "hash:") && len(k) == len("hash:")+32 {
			hashes++
			if n != 1 && n != 2 {
				t.Errorf("hash %s counted %d times", k, n)
			}
		}
	}
	if hashes != 2 || len(byEmail) != 3 {
		t.Errorf("want the outsider's two spellings under one hash and the other under another: %v", byEmail)
	}
	logs := strings.ToLower(s.logs.String())
	if strings.Contains(logs, "jane") || strings.Contains(logs, "other.person") {
		t.Errorf("log holds a typed address that is no staff account's:\n%s", logs)
	}
	if !strings.Contains(logs, "mod@example.org") {
		t.Errorf("log lacks the staff account's email:\n%s", logs)
	}
	// A throttled attempt is labelled the same way.
	for range 6 {
		s.browser().post("/admin/login", url.Values{"email": {outsider}, "password": {"wrong"}})
	}
	if strings.Contains(strings.ToLower(s.logs.String()), "jane") {
		t.Error("a throttled attempt logged the typed address")
	}
}
