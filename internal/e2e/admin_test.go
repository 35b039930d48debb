package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"lostinnl/internal/auth"
	"lostinnl/internal/store"
)

// addAdmin creates an administrator with a password and an enrolled TOTP
// second factor, as `lostinnl user add` plus enrolment would, and returns
// the TOTP secret so the test can compute codes like a phone app.
func (s *site) addAdmin(email, password string) (totpSecret string) {
	s.t.Helper()
	ctx := context.Background()
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		s.t.Fatalf("hash password: %v", err)
	}
	id, err := s.st.CreateUser(ctx, &store.User{Email: email, DisplayName: "Ida Admin", PasswordHash: hash, Role: store.RoleAdmin}, nil)
	if err != nil {
		s.t.Fatalf("create admin: %v", err)
	}
	secret, err := auth.GenerateTOTPSecret()
	if err != nil {
		s.t.Fatal(err)
	}
	if err := s.st.SetTOTP(ctx, id, []byte(secret), "", nil); err != nil {
		s.t.Fatalf("enrol TOTP: %v", err)
	}
	return secret
}

// adminSignIn opens an admin page while signed out, is sent to the
// sign-in page, and signs in with the password and a fresh TOTP code.
func (tb *tab) adminSignIn(s *site, page, email, password, secret string) {
	tb.t.Helper()
	tb.navigate(s.url + page)
	tb.waitFor("the sign-in page", `location.pathname === "/admin/login" && document.getElementById("f-email") !== null`, `location.href`)
	tb.do("enter email and password",
		chromedp.SendKeys(chromedp.ID("f-email"), email),
		chromedp.SendKeys(chromedp.ID("f-password"), password),
		chromedp.Click(chromedp.CSS(`#login-form button[type=submit]`)),
	)
	tb.waitFor("the code form", `document.getElementById("f-code") !== null`, `location.href + " " + document.body.innerText.slice(0, 500)`)
	code, err := auth.TOTPCode(secret, time.Now())
	if err != nil {
		tb.t.Fatal(err)
	}
	tb.do("enter the TOTP code",
		chromedp.SendKeys(chromedp.ID("f-code"), code),
		chromedp.Click(chromedp.CSS(`#code-form button[type=submit]`)),
	)
	tb.waitFor("the signed-in page", `location.pathname !== "/admin/login" && document.readyState === "complete"`, `location.href + " " + document.body.innerText.slice(0, 500)`)
}

// auditActions returns the action column of the audit page now shown.
func (tb *tab) auditActions() []string {
	tb.t.Helper()
	return eval[[]string](tb, `Array.from(document.querySelectorAll("#audit-table tbody tr")).map(tr => tr.cells[2].textContent.trim() + " by " + tr.cells[1].textContent.trim())`)
}

func TestAdminApprovesReportAndMarksLocated(t *testing.T) {
	forEachDB(t, func(t *testing.T, db string) {
		tb := newTab(t)
		s := newSite(t, onDB(db))
		s.seed(seedCases)
		const email, password = "ida.admin@example.org", "tuckamore-kittiwake-1997"
		secret := s.addAdmin(email, password)
		const name = "Philomena Bogbean"

		// A family reports a person missing, with a photo.
		tb.navigate(s.url + "/submit")
		tb.fillReport(name)
		tb.do("attach a photo", chromedp.SetUploadFiles(chromedp.ID("f-photos"), []string{writeTempJPEG(t, "harbour.jpg", 5)}))
		tb.do("send the report", chromedp.Click(chromedp.CSS(`form[action="/submit"] button[type=submit]`)))
		tb.waitFor("the confirmation page", `location.pathname === "/submit/thanks"`, `location.href`)
		got := s.findCase(name)
		if len(got) != 1 {
			t.Fatalf("report not stored: %+v", got)
		}
		id := got[0].ID

		// Sign in: an anonymous visit to the queue goes to the sign-in page,
		// then password, then the code from the authenticator.
		tb.adminSignIn(s, "/admin/reports", email, password, secret)
		tb.waitFor("the report queue after sign-in", `location.pathname === "/admin/reports" && document.readyState === "complete"`, `location.href + " " + document.body.innerText.slice(0, 500)`)

		// The queue lists the report; its review page shows the reporter's
		// decrypted contact and the photo (through the staff-only media path).
		if txt := tb.text(); !strings.Contains(txt, name) {
			t.Fatalf("the queue does not list the report:\n%s", tail(txt, 1500))
		}
		tb.do("open the report", chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/admin/reports/%d"]`, id))))
		tb.waitFor("the review page", fmt.Sprintf(`location.pathname === "/admin/reports/%d" && document.getElementById("approve-form") !== null`, id), `location.href`)
		if c := eval[string](tb, `document.getElementById("reporter-contact").innerText`); !strings.Contains(c, "Hedda Gullcry") || !strings.Contains(c, "709-555-0177") {
			t.Errorf("reporter contact not shown decrypted: %q", c)
		}
		tb.do("load photos", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("#photo-list img").forEach(i => { i.loading = "eager"; i.scrollIntoView(); })`))
		tb.waitFor("the report's photo in the review", `(() => { const i = document.querySelector("#photo-list img"); return i && i.complete && i.naturalWidth > 0; })()`,
			`JSON.stringify(Array.from(document.querySelectorAll("#photo-list img")).map(i => [i.src, i.complete, i.naturalWidth]))`)

		// Approve: tick "verified with the police" and publish.
		tb.do("tick verified and approve",
			chromedp.Click(chromedp.ID("f-police_verified")),
			chromedp.Click(chromedp.ID("approve")),
		)
		tb.waitFor("the case page after approval", fmt.Sprintf(`location.pathname === "/admin/cases/%d" && document.readyState === "complete"`, id), `location.href + " " + document.body.innerText.slice(0, 800)`)
		if c, err := s.st.GetCase(context.Background(), id); err != nil || c.Status != store.StatusMissing || !c.PoliceVerified {
			t.Fatalf("after approval the case is %+v (%v), want missing and verified", c, err)
		}

		// Public listings show it with the badge and the photo. A visitor's
		// browser would cache public pages for a minute; this test wants the
		// server's answer each time.
		if _, err := chromedp.Call(tb.ctx, network.Enable, network.EnableParams{}); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Call(tb.ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
			t.Fatal(err)
		}
		tb.navigate(s.url + "/cases?q=Bogbean")
		card := eval[string](tb, `(() => { const c = document.querySelector("#result-list .card"); return c ? c.innerText : ""; })()`)
		if !strings.Contains(card, name) || !strings.Contains(card, "Verified with police") {
			t.Errorf("public listing card %q lacks the name or the Verified with police badge", card)
		}
		tb.do("load card images", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll(".card-img").forEach(i => { i.loading = "eager"; })`))
		tb.waitFor("the card photo", `(() => { const i = document.querySelector("#result-list .card-img"); return i && i.src.indexOf("/media/") >= 0 && i.complete && i.naturalWidth > 0; })()`, `document.querySelector("#result-list .card-img").src`)

		// The public page as visitors see it before the change (this also
		// puts it into the server's page cache).
		tb.navigate(fmt.Sprintf("%s/cases/%d", s.url, id))
		if n := eval[int](tb, `document.querySelectorAll(".located-banner").length`); n != 0 {
			t.Fatal("a missing case shows the Located banner")
		}

		// Mark located, with the confirmation step.
		tb.navigate(fmt.Sprintf("%s/admin/cases/%d", s.url, id))
		tb.do("choose Mark located", chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/admin/cases/%d/status?to=located"]`, id))))
		tb.waitFor("the confirmation step", `document.getElementById("status-form") !== null`, `location.href`)
		tb.do("confirm", chromedp.Click(chromedp.ID("f-confirm")), chromedp.Click(chromedp.CSS(`#status-form button[type=submit]`)))
		tb.waitFor("the case page after marking located", fmt.Sprintf(`location.pathname === "/admin/cases/%d" && document.readyState === "complete"`, id), `location.href + " " + document.body.innerText.slice(0, 800)`)

		// Straight away (within the page cache's lifetime): the change must
		// have purged the cached page.
		tb.navigate(fmt.Sprintf("%s/cases/%d", s.url, id))
		if b := eval[string](tb, `(() => { const b = document.querySelector(".located-banner"); return b ? b.innerText : ""; })()`); !strings.Contains(b, "Located") || !strings.Contains(b, name) {
			t.Errorf("public case page has no Located banner naming the person (banner %q)", b)
		}

		// The audit log shows every step, with who did it.
		tb.navigate(fmt.Sprintf("%s/admin/audit?record=case:%d", s.url, id))
		actions := tb.auditActions()
		joined := strings.Join(actions, "; ")
		for _, want := range []string{"case.report", "case.publish by " + email, "case.locate by " + email} {
			if !strings.Contains(joined, want) {
				t.Errorf("audit log for case:%d lacks %q: %s", id, want, joined)
			}
		}
		tb.navigate(s.url + "/admin/audit?action=user.login")
		if a := strings.Join(tb.auditActions(), "; "); !strings.Contains(a, "user.login by "+email) {
			t.Errorf("audit log lacks the sign-in: %s", a)
		}
		tb.noPageErrors()
	})
}
