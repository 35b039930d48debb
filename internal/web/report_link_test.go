package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"lostinnl/internal/media"
	"lostinnl/internal/store"
	"lostinnl/internal/telemetry"
	"lostinnl/internal/web/kit"
	"lostinnl/internal/web/site"
)

var (
	referenceRe   = regexp.MustCompile(`NL-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{2}`)
	privateLinkRe = regexp.MustCompile(`https://missing\.example\.ca/report/([A-Za-z0-9_-]{43})`)
)

// reporter sends the report form as a family would (a fresh browser) and
// returns the browser, the reference and the token from the thanks page.
func (s *adminSite) report(vals url.Values) (b *browser, ref, token string) {
	s.t.Helper()
	b = s.browser()
	b.ip = "198.51.100.7"
	rec := b.postFiles("/submit", vals, nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/submit/thanks" {
		s.t.Fatalf("report: status %d, Location %q\n%s", rec.Code, rec.Header().Get("Location"), truncate(rec.Body.String(), 2000))
	}
	body := b.get("/submit/thanks").Body.String()
	ref = referenceRe.FindString(body)
	m := privateLinkRe.FindStringSubmatch(body)
	if ref == "" || m == nil {
		s.t.Fatalf("thanks page without reference or link:\n%s", truncate(body, 3000))
	}
	return b, ref, m[1]
}

// reportCase is the case of a reference.
func (s *adminSite) reportCase(token string) *store.ReportAccess {
	s.t.Helper()
	a, err := s.st.ReportAccessByToken(context.Background(), token)
	if err != nil {
		s.t.Fatal(err)
	}
	return a
}

func randomToken(t *testing.T) string {
	t.Helper()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func TestReportThanksShowsReferenceOnlyWithCookie(t *testing.T) {
	s := newAdminSite(t)
	b := s.browser()
	rec := b.postFiles("/submit", validReport(), nil)
	wantStatus(t, rec, http.StatusSeeOther)
	loc := rec.Header().Get("Location")
	if loc != "/submit/thanks" {
		t.Fatalf("Location %q: the redirect must not carry the token", loc)
	}
	var c *http.Cookie
	for _, k := range rec.Result().Cookies() {
		if k.Name == site.ReceiptCookie {
			c = k
		}
	}
	if c == nil {
		t.Fatal("no receipt cookie")
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/submit/thanks" || c.MaxAge != 900 || c.Secure || !site.ValidReportToken(c.Value) {
		t.Errorf("receipt cookie %+v", c)
	}
	body := b.get("/submit/thanks").Body.String()
	ref := referenceRe.FindString(body)
	m := privateLinkRe.FindStringSubmatch(body)
	if ref == "" || m == nil || m[1] != c.Value {
		t.Fatalf("thanks page with the cookie: ref %q, link %v\n%s", ref, m, truncate(body, 3000))
	}
	a := s.reportCase(m[1])
	if a.Reference != ref || strings.Contains(ref, fmt.Sprint(a.CaseID)) && len(fmt.Sprint(a.CaseID)) > 2 {
		t.Errorf("reference %q for case %d (%q stored)", ref, a.CaseID, a.Reference)
	}
	mustContain(t, body, "What happens next", "police service you named", "within a day", "published on the site only after", "may contact you", `<a href="tel:911">911</a>`, "January 26, 2027")

	// Another browser (no cookie) gets the general text only.
	other := s.browser().get("/submit/thanks").Body.String()
	mustContain(t, other, "We received your report", "within a day", `<a href="tel:911">911</a>`)
	if referenceRe.MatchString(other) || strings.Contains(other, "/report/") {
		t.Error("the thanks page without the cookie shows a reference or link")
	}
	// A cookie that is not a live token is ignored, quietly.
	req := httptest.NewRequest(http.MethodGet, "/submit/thanks", nil)
	req.AddCookie(&http.Cookie{Name: site.ReceiptCookie, Value: randomToken(t)})
	rec = s.browser().do(req)
	wantStatus(t, rec, http.StatusOK)
	mustNotContain(t, rec.Body.String(), "/report/", "reference number is")

	// Over TLS (here: a direct TLS connection) the cookie is Secure.
	body2, ct := multipartBody(t, with(validReport(), "police_file_number", "TLS-1"), nil)
	req = httptest.NewRequest(http.MethodPost, "https://missing.example.ca/submit", body2)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	rec = s.browser().do(req)
	wantStatus(t, rec, http.StatusSeeOther)
	if cs := rec.Result().Cookies(); len(cs) != 1 || !cs[0].Secure {
		t.Errorf("TLS receipt cookie %+v", cs)
	}

	// A honeypot hit still looks like success, but there is nothing to show.
	hp := s.browser()
	rec = hp.postFiles("/submit", with(validReport(), "website", "spam"), nil)
	wantStatus(t, rec, http.StatusSeeOther)
	if len(rec.Result().Cookies()) != 0 {
		t.Error("honeypot post got a receipt cookie")
	}
	mustNotContain(t, hp.get("/submit/thanks").Body.String(), "reference number is")
}

// Photos-later (no pipeline) keeps its notice next to the reference.
func TestReportThanksPhotosLater(t *testing.T) {
	s := newSite(t)
	rec := s.postMultipart("/submit", validReport(), map[string][]byte{"a.jpg": []byte("x")})
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != "/submit/thanks?photos=later" {
		t.Fatalf("Location %q", loc)
	}
	req := httptest.NewRequest(http.MethodGet, "/submit/thanks?photos=later", nil)
	for _, c := range rec.Result().Cookies() {
		req.AddCookie(c)
	}
	body := s.do(req).Body.String()
	mustContain(t, body, "We will ask you for them")
	if !referenceRe.MatchString(body) {
		t.Error("no reference on the photos-later thanks page")
	}
}

// TestReportReferencesThroughTheForm: references handed out by the form
// are distinct, well-formed and carry no order.
func TestReportReferencesThroughTheForm(t *testing.T) {
	s := newAdminSite(t)
	seen := map[string]bool{}
	var refs []string
	for i := range 20 {
		_, ref, _ := s.report(with(validReport(), "police_file_number", fmt.Sprintf("F-%d", i)))
		if seen[ref] {
			t.Fatalf("reference %s handed out twice", ref)
		}
		seen[ref] = true
		refs = append(refs, ref)
	}
	ups := 0
	for i := 1; i < len(refs); i++ {
		if refs[i] > refs[i-1] {
			ups++
		}
	}
	if ups == 0 || ups == len(refs)-1 {
		t.Errorf("references are ordered by creation: %v", refs)
	}
}

func TestReportLinkPage(t *testing.T) {
	s := newAdminSite(t)
	b, ref, token := s.report(validReport())
	rec := b.get("/report/" + token)
	wantStatus(t, rec, http.StatusOK)
	body := rec.Body.String()
	mustContain(t, body, ref, "Waiting for review", `action="/report/`+token+`/add"`, `action="/report/`+token+`/withdraw"`,
		`name="message"`, `name="photos"`, `name="confirm"`, `name="website"`, `<a href="tel:911">911</a>`, "January 26, 2027")
	if got := rec.Header().Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy %q", got)
	}
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q", got)
	}
	assertNoInlineCode(t, body)

	// Wrong tokens: the friendly 404, never a 500 and never the report.
	for _, bad := range []string{randomToken(t), token[:42], token + "A", "x", strings.Repeat("A", 43), url.PathEscape(token[:40] + "%00/"), "%C3%28" + token[:41], url.PathEscape(strings.Repeat("é", 43))} {
		rec := s.browser().get("/report/" + bad)
		if rec.Code != http.StatusNotFound {
			t.Errorf("/report/%s: status %d, want 404", bad, rec.Code)
			continue
		}
		mustContain(t, rec.Body.String(), "private report link is not valid")
		mustNotContain(t, rec.Body.String(), ref)
		wantStatus(t, s.browser().post("/report/"+bad+"/add", url.Values{"message": {"x"}}), http.StatusNotFound)
		wantStatus(t, s.browser().post("/report/"+bad+"/withdraw", url.Values{"confirm": {"yes"}}), http.StatusNotFound)
	}
	// Published: a link to the public page.
	a := s.reportCase(token)
	c, err := s.st.GetCase(context.Background(), a.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	c.PoliceVerified = true
	if err := s.st.UpdateCase(context.Background(), c, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.st.TransitionCase(context.Background(), a.CaseID, store.StatusMissing, "", nil); err != nil {
		t.Fatal(err)
	}
	mustContain(t, b.get("/report/"+token).Body.String(), "Published.", fmt.Sprintf(`href="/cases/%d"`, a.CaseID))
	if err := s.st.TransitionCase(context.Background(), a.CaseID, store.StatusArchived, "", nil); err != nil {
		t.Fatal(err)
	}
	body = b.get("/report/" + token).Body.String()
	mustContain(t, body, "Closed.")
	mustNotContain(t, body, `id="add-form"`, `id="withdraw-form"`)
	rec = b.post("/report/"+token+"/add", url.Values{"message": {"late news"}})
	wantStatus(t, rec, http.StatusConflict)
	mustContain(t, rec.Body.String(), "This report is closed", ref)
}

func TestReportLinkExpiry(t *testing.T) {
	s := newAdminSite(t)
	b, _, token := s.report(validReport())
	s.clock.Add(store.ReportLinkLifetime - time.Minute)
	wantStatus(t, b.get("/report/"+token), http.StatusOK)
	wantStatus(t, b.post("/report/"+token+"/add", url.Values{"message": {"Still looking."}}), http.StatusSeeOther)

	s.clock.Add(time.Minute)
	rec := b.get("/report/" + token)
	wantStatus(t, rec, http.StatusGone)
	mustContain(t, rec.Body.String(), "This private link has expired", "January 26, 2027")
	mustNotContain(t, rec.Body.String(), `id="add-form"`)
	rec = b.post("/report/"+token+"/add", url.Values{"message": {"Too late."}})
	wantStatus(t, rec, http.StatusGone)
	mustContain(t, rec.Body.String(), "has expired", "Nothing was sent")
	wantStatus(t, b.post("/report/"+token+"/withdraw", url.Values{"confirm": {"yes"}}), http.StatusGone)
	adds, err := s.st.ListReportAdditions(context.Background(), s.reportCase(token).CaseID)
	if err != nil || len(adds) != 1 || adds[0].Message != "Still looking." {
		t.Fatalf("additions after expiry %+v %v", adds, err)
	}
	if st := s.reportCase(token).Status; st != store.StatusPending {
		t.Fatalf("status %s after an expired withdrawal", st)
	}
}

// TestReportLinkOnlyItsOwnReport: the token is the only key. Hidden fields
// naming another case change nothing: token A's posts touch report A only.
func TestReportLinkOnlyItsOwnReport(t *testing.T) {
	s := newAdminSite(t)
	ba, _, tokA := s.report(validReport())
	_, refB, tokB := s.report(with(validReport(), "police_file_number", "OTHER-2"))
	a, bAcc := s.reportCase(tokA), s.reportCase(tokB)
	hostile := url.Values{"message": {"for A"}, "id": {fmt.Sprint(bAcc.CaseID)}, "case_id": {fmt.Sprint(bAcc.CaseID)}, "token": {tokB}, "reference": {refB}}
	wantStatus(t, ba.post("/report/"+tokA+"/add", hostile), http.StatusSeeOther)
	hostile.Set("confirm", "yes")
	wantStatus(t, ba.post("/report/"+tokA+"/withdraw", hostile), http.StatusSeeOther)
	ctx := context.Background()
	addsA, _ := s.st.ListReportAdditions(ctx, a.CaseID)
	addsB, _ := s.st.ListReportAdditions(ctx, bAcc.CaseID)
	if len(addsA) != 2 || len(addsB) != 0 {
		t.Fatalf("additions A %d, B %d; want 2 and 0", len(addsA), len(addsB))
	}
	if s.reportCase(tokA).Status != store.StatusRejected || s.reportCase(tokB).Status != store.StatusPending {
		t.Fatal("withdrawing A touched B, or did not withdraw A")
	}
	// B's link still works, and A's page never shows B's reference.
	wantStatus(t, s.browser().post("/report/"+tokB+"/add", url.Values{"message": {"for B"}}), http.StatusSeeOther)
	mustNotContain(t, ba.get("/report/"+tokA).Body.String(), refB)
}

func TestReportLinkWithdrawAndReplay(t *testing.T) {
	s := newAdminSite(t)
	b, ref, token := s.report(validReport())
	rec := b.post("/report/"+token+"/withdraw", url.Values{"confirm": {"yes"}, "reason": {"She is home safe."}})
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != "/report/"+token+"?sent=withdrawn#sent" {
		t.Fatalf("Location %q", loc)
	}
	body := b.get("/report/" + token + "?sent=withdrawn").Body.String()
	mustContain(t, body, "Your report was withdrawn", "Withdrawn.")
	mustNotContain(t, body, `id="withdraw-form"`, `id="add-form"`)
	a := s.reportCase(token)
	c, _ := s.st.GetCase(context.Background(), a.CaseID)
	if c.Status != store.StatusRejected || c.RejectReason != store.WithdrawnByReporter {
		t.Fatalf("case %s %q", c.Status, c.RejectReason)
	}
	// Replays are refused with a clear message and change nothing.
	for range 2 {
		rec = b.post("/report/"+token+"/withdraw", url.Values{"confirm": {"yes"}})
		wantStatus(t, rec, http.StatusConflict)
		mustContain(t, rec.Body.String(), "You already asked for this report to be withdrawn")
		rec = b.post("/report/"+token+"/add", url.Values{"message": {"one more thing"}})
		wantStatus(t, rec, http.StatusConflict)
		mustContain(t, rec.Body.String(), "can no longer change it")
	}
	adds, _ := s.st.ListReportAdditions(context.Background(), a.CaseID)
	if len(adds) != 1 || adds[0].Kind != store.AdditionWithdraw || adds[0].Message != "She is home safe." {
		t.Fatalf("additions %+v", adds)
	}
	es := s.audit("report.withdraw")
	if len(es) != 1 || es[0].UserEmail != "reporter" || !strings.Contains(es[0].Summary, ref) || strings.Contains(es[0].Summary, "home safe") || strings.Contains(es[0].Summary, "Priscilla") {
		t.Fatalf("audit %+v", es)
	}
}

// Withdrawals of a published case released together: exactly one is
// taken (a request for the moderators), the others are refused with 409.
// Whether a request loses at the handler's first look or at the store's
// compare-and-set depends on timing; store.TestWithdrawReportConcurrent
// holds the compare-and-set itself to exactly one on both dialects.
func TestReportLinkConcurrentWithdrawals(t *testing.T) {
	s := newAdminSite(t)
	_, _, token := s.report(validReport())
	a := s.reportCase(token)
	c, _ := s.st.GetCase(context.Background(), a.CaseID)
	c.PoliceVerified = true
	if err := s.st.UpdateCase(context.Background(), c, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.st.TransitionCase(context.Background(), a.CaseID, store.StatusMissing, "", nil); err != nil {
		t.Fatal(err)
	}
	const n = 6
	codes := make([]int, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := httptest.NewRequest(http.MethodPost, "/report/"+token+"/withdraw", strings.NewReader("confirm=yes"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			rec := httptest.NewRecorder()
			<-start
			s.h.ServeHTTP(rec, req)
			codes[i] = rec.Code
		}()
	}
	close(start)
	wg.Wait()
	ok, refused := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusSeeOther:
			ok++
		case http.StatusConflict:
			refused++
		}
	}
	if ok != 1 || refused != n-1 {
		t.Fatalf("codes %v: want one 303 and %d 409", codes, n-1)
	}
	if st := s.reportCase(token).Status; st != store.StatusMissing {
		t.Fatalf("published case became %s", st)
	}
	if _, wd, _ := s.st.CountOpenAdditions(context.Background()); wd != 1 {
		t.Fatalf("%d withdrawal requests, want 1", wd)
	}
}

func TestReportLinkHostileInput(t *testing.T) {
	s := newAdminSite(t)
	b, _, token := s.report(validReport())
	add := "/report/" + token + "/add"
	long := strings.Repeat("é", 100*1024)
	for _, tc := range []struct {
		name  string
		vals  url.Values
		files map[string][]byte
		field string
		msg   string
	}{
		{"100 KB message", url.Values{"message": {long}}, nil, "message", "5000 characters or fewer"},
		{"invalid UTF-8", url.Values{"message": {"Gander\xc3\x28"}}, nil, "message", "could not read"},
		{"nothing", url.Values{"message": {"   "}}, nil, "message", "Write what you want to add"},
		{"not a photo", url.Values{"message": {xssScript}}, map[string][]byte{"a.jpg": []byte("<html>not an image</html>")}, "photos", "could not be used"},
		{"six photos", url.Values{"message": {"six"}}, map[string][]byte{"1.jpg": {1}, "2.jpg": {2}, "3.jpg": {3}, "4.jpg": {4}, "5.jpg": {5}, "6.jpg": {6}}, "photos", "at most 5 photos"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := b.postFiles(add, tc.vals, tc.files)
			wantStatus(t, rec, http.StatusUnprocessableEntity)
			body := rec.Body.String()
			mustContain(t, body, tc.msg, `id="f-`+tc.field+`-error"`, `href="#f-`+tc.field+`"`)
			mustNotContain(t, body, xssScript)
			if tc.name == "not a photo" {
				mustContain(t, body, "&lt;script&gt;alert(1)&lt;/script&gt;</textarea>")
			}
		})
	}
	withdraw := "/report/" + token + "/withdraw"
	rec := b.post(withdraw, url.Values{"reason": {xssAttr}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "Tick the box to confirm", `id="f-confirm-error"`, "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;</textarea>")
	rec = b.post(withdraw, url.Values{"confirm": {"yes"}, "reason": {long}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "2000 characters or fewer", `name="confirm" value="yes" checked`)
	// Honeypot: looks like success, stores nothing.
	wantStatus(t, b.post(add, url.Values{"message": {"spam"}, "website": {"x"}}), http.StatusSeeOther)
	wantStatus(t, b.post(withdraw, url.Values{"confirm": {"yes"}, "website": {"x"}}), http.StatusSeeOther)
	a := s.reportCase(token)
	if adds, _ := s.st.ListReportAdditions(context.Background(), a.CaseID); len(adds) != 0 || a.Status != store.StatusPending || a.WithdrawnAt != nil {
		t.Fatalf("hostile posts stored something: %+v, %+v", adds, a)
	}
	// Cross-site posts are refused like every other form.
	req := httptest.NewRequest(http.MethodPost, withdraw, strings.NewReader("confirm=yes"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	wantStatus(t, b.do(req), http.StatusForbidden)
}

// TestReportAdditionsForStaff: a photo the reporter adds is on no public
// URL, only on the staff pages; a moderator adopts it (audited) and marks
// the addition handled; the dashboard counts what waits.
func TestReportAdditionsForStaff(t *testing.T) {
	s := newAdminSite(t)
	b, ref, token := s.report(validReport())
	rec := b.postFiles("/report/"+token+"/add", url.Values{"message": {"She has a new red backpack."}}, map[string][]byte{"a.png": testPNG(t, 300, 400)})
	wantStatus(t, rec, http.StatusSeeOther)
	a := s.reportCase(token)
	adds, err := s.st.ListReportAdditions(context.Background(), a.CaseID)
	if err != nil || len(adds) != 1 || len(adds[0].Photos) != 1 {
		t.Fatalf("additions %+v %v", adds, err)
	}
	p := adds[0].Photos[0]
	name := media.BlobName(p.Key, "320")
	if es := s.audit("report.add_info"); len(es) != 1 || es[0].UserEmail != "reporter" || !strings.Contains(es[0].Summary, ref) || strings.Contains(es[0].Summary, "backpack") {
		t.Fatalf("audit %+v", es)
	}

	// Publish the case: the addition's photo is still not public.
	c, _ := s.st.GetCase(context.Background(), a.CaseID)
	c.PoliceVerified = true
	if err := s.st.UpdateCase(context.Background(), c, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.st.TransitionCase(context.Background(), a.CaseID, store.StatusMissing, "", nil); err != nil {
		t.Fatal(err)
	}
	anon := s.browser()
	wantStatus(t, anon.get("/media/"+name), http.StatusNotFound)
	mustNotContain(t, anon.get(fmt.Sprintf("/cases/%d", a.CaseID)).Body.String(), "backpack", p.Key)
	wantLoginRedirect(t, anon.get("/admin/media/"+name))
	wantLoginRedirect(t, anon.get(fmt.Sprintf("/admin/cases/%d", a.CaseID)))

	mod, _ := s.staff()
	wantStatus(t, mod.get("/admin/media/"+name), http.StatusOK)
	page := mod.get(fmt.Sprintf("/admin/cases/%d", a.CaseID)).Body.String()
	// The button's text comes from the catalog now: html/template prints
	// its apostrophe escaped.
	mustContain(t, page, ref, "From the reporter", "She has a new red backpack.", "/admin/media/"+p.Key+"_320.jpg", "Add to the case&#39;s photos", "Mark as handled")
	// Someone calling with their reference: the search goes to the case.
	rec = mod.get("/admin/cases?q=" + url.QueryEscape(" "+strings.ToLower(ref)+" "))
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != fmt.Sprintf("/admin/cases/%d", a.CaseID) {
		t.Fatalf("search by reference went to %q", loc)
	}
	wantStatus(t, mod.get("/admin/cases?q=NL-2222-22"), http.StatusOK)
	wantLoginRedirect(t, anon.get("/admin/cases?q="+ref))
	dash := mod.get("/admin").Body.String()
	mustContain(t, dash, `<span class="stat-n">1</span> addition from reporters`, `<span class="stat-n">0</span> withdrawal requests`, fmt.Sprintf(`href="/admin/cases/%d#additions"`, a.CaseID))

	// Adopt it: it becomes a case photo, public with the published case.
	rec = mod.post(fmt.Sprintf("/admin/cases/%d/additions/photos/%d/adopt", a.CaseID, p.ID), nil)
	wantStatus(t, rec, http.StatusSeeOther)
	if es := s.audit("case.photo_adopt"); len(es) != 1 || es[0].UserEmail != "mod@example.org" {
		t.Fatalf("adopt audit %+v", es)
	}
	photos, _ := s.st.ListPhotos(context.Background(), a.CaseID)
	if len(photos) != 1 || photos[0].Key != p.Key {
		t.Fatalf("case photos %+v", photos)
	}
	wantStatus(t, anon.get("/media/"+name), http.StatusOK)
	// Twice, or through another case: 404.
	wantStatus(t, mod.post(fmt.Sprintf("/admin/cases/%d/additions/photos/%d/adopt", a.CaseID, p.ID), nil), http.StatusNotFound)
	other := s.addCase(store.StatusMissing, nil)
	wantStatus(t, mod.post(fmt.Sprintf("/admin/cases/%d/additions/%d/handled", other, adds[0].ID), nil), http.StatusNotFound)

	wantStatus(t, mod.post(fmt.Sprintf("/admin/cases/%d/additions/%d/handled", a.CaseID, adds[0].ID), nil), http.StatusSeeOther)
	if info, _, _ := s.st.CountOpenAdditions(context.Background()); info != 0 {
		t.Fatalf("%d additions still open", info)
	}
	if es := s.audit("case.addition_handled"); len(es) != 1 {
		t.Fatalf("handled audit %+v", es)
	}

	// A withdrawal request of the published case is prominent for staff.
	wantStatus(t, b.post("/report/"+token+"/withdraw", url.Values{"confirm": {"yes"}}), http.StatusSeeOther)
	mustContain(t, b.get("/report/"+token).Body.String(), "Withdrawal requested.")
	mustContain(t, mod.get("/admin").Body.String(), `id="withdrawal-requests"`, "1 reporter asks for a published case to be withdrawn")
	mustContain(t, mod.get(fmt.Sprintf("/admin/cases/%d", a.CaseID)).Body.String(), `id="withdraw-request"`, "Withdrawal request")
	// Anonymous staff actions: to the sign-in page.
	wantLoginRedirect(t, anon.post(fmt.Sprintf("/admin/cases/%d/additions/%d/handled", a.CaseID, adds[0].ID), nil))
}

func TestLogPathHidesReportTokens(t *testing.T) {
	tok := strings.Repeat("a", 43)
	for in, want := range map[string]string{
		"/report/" + tok:               "/report/[token]",
		"/report/" + tok + "/withdraw": "/report/[token]/withdraw",
		"/report/":                     "/report/[token]",
		"/cases/12":                    "/cases/12",
	} {
		if got := kit.LogPath(in); got != want {
			t.Errorf("logPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestReportTokenNotInAccessLog: with the real access log wired, a
// reporter's visits and posts leave the route pattern, never the token.
func TestReportTokenNotInAccessLog(t *testing.T) {
	logs := &syncBuffer{mu: make(chan struct{}, 1)}
	s := newAdminSite(t, func(d *Deps) {
		d.AccessLog = telemetry.AccessLog(slog.New(slog.NewJSONHandler(logs, nil)), nil)
		d.CaptureRoute = telemetry.CaptureRoute
	})
	b, _, token := s.report(validReport())
	b.get("/report/" + token)
	b.post("/report/"+token+"/add", url.Values{"message": {"more"}})
	b.post("/report/"+token+"/withdraw", url.Values{"confirm": {"yes"}})
	out := logs.String()
	mustContain(t, out, `"route":"GET /report/{token}"`, `"route":"POST /report/{token}/add"`, `"route":"POST /report/{token}/withdraw"`)
	if strings.Contains(out, token) || strings.Contains(s.logs.String(), token) {
		t.Fatalf("the token reached a log:\n%s", out)
	}
}
