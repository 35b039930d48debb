package securitytest

import (
	"net/url"
	"strings"
	"testing"
)

// TestHarness proves the harness itself: a staff account made by the CLI
// signs in on the in-process site, on each dialect.
func TestHarness(t *testing.T) {
	eachDialect(t, func(t *testing.T, env map[string]string) {
		addStaff(t, env, "mod@example.org", "moderator", "correct horse battery staple 7")
		s := startSite(t, env)
		c := newClient(t)
		resp := must(c.PostForm(s.URL+"/admin/login", url.Values{"email": {"mod@example.org"}, "password": {"correct horse battery staple 7"}}))
		b := body(t, resp)
		if resp.StatusCode != 303 {
			t.Fatalf("sign-in: %d %s", resp.StatusCode, b)
		}
		resp = must(c.Get(s.URL + "/admin"))
		if b := body(t, resp); resp.StatusCode != 200 || !strings.Contains(b, "mod@example.org") && !strings.Contains(b, "Sign out") {
			t.Fatalf("dashboard: %d", resp.StatusCode)
		}
	})
}
