package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"lostinnl/internal/store"
)

// TestPasswordResetInBrowser: an administrator resets a moderator's
// password from the users page, the link is shown once, and the link's page
// (no session needed) sets the new password; each page passes axe when
// LOSTINNL_TEST_AXE is set.
func TestPasswordResetInBrowser(t *testing.T) {
	tb := newTab(t)
	s := newSite(t)
	const email, password = "ida.admin@example.org", "tuckamore-kittiwake-1997"
	secret := s.addAdmin(email, password)
	hash, err := s.hasher.Hash(context.Background(), "old moderator password 1")
	if err != nil {
		t.Fatal(err)
	}
	modID, err := s.st.CreateUser(context.Background(), &store.User{Email: "mo@example.org", DisplayName: "Mo", PasswordHash: hash, Role: store.RoleModerator}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tb.adminSignIn(s, "/admin/users", email, password, secret)
	tb.do("reset the moderator's password", chromedp.Click(chromedp.CSS(fmt.Sprintf(`form[action="/admin/users/%d/reset-password"] button`, modID))))
	tb.waitFor("the one-time link", `document.getElementById("reset-link") !== null`, `location.href + " " + document.body.innerText.slice(0, 500)`)
	link := strings.TrimSpace(eval[string](tb, `document.getElementById("reset-link").innerText`))
	if !strings.HasPrefix(link, s.url+"/admin/set-password?token=") {
		t.Fatalf("link %q", link)
	}
	axeIfSet(tb, "users page with a reset link", "/admin/users")

	tb.navigate(link)
	tb.waitFor("the set-password form", `document.getElementById("set-password-form") !== null`, `document.body.innerText.slice(0, 500)`)
	axeIfSet(tb, "set-password page", "/admin/set-password")
	const chosen = "bakeapple jam on fresh toutons"
	tb.do("choose a password",
		chromedp.SendKeys(chromedp.ID("f-new_password"), chosen),
		chromedp.SendKeys(chromedp.ID("f-confirm_password"), chosen),
		chromedp.Click(chromedp.CSS(`#set-password-form button[type=submit]`)),
	)
	tb.waitFor("the confirmation", `document.getElementById("password-set") !== null`, `document.body.innerText.slice(0, 500)`)
	axeIfSet(tb, "password set", "/admin/set-password")
	u, err := s.st.GetUser(context.Background(), modID)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := s.hasher.Verify(context.Background(), u.PasswordHash, chosen); err != nil || !ok {
		t.Fatalf("the chosen password is not stored (%v)", err)
	}
	tb.noPageErrors()
}

// axeIfSet runs the axe check on the current page when LOSTINNL_TEST_AXE
// names axe.min.js; without it the flow is still tested.
func axeIfSet(tb *tab, name, path string) {
	tb.t.Helper()
	p := os.Getenv("LOSTINNL_TEST_AXE")
	if p == "" {
		return
	}
	src, err := os.ReadFile(p)
	if err != nil {
		tb.t.Fatalf("read axe: %v", err)
	}
	tb.axeCheck(string(src), name, path)
}
