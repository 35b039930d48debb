package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/mail"
	"lostinnl/internal/pagecache"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// The public email alerts (issue 16 points 2–4): follow a case, area
// alerts, confirm, manage and one-click unsubscribe, through the real
// router and a real SQLite store.

var confirmLinkRe = regexp.MustCompile(`/alerts/confirm\?token=([A-Za-z0-9_%-]+)`)

// outbox returns every queued message, oldest first.
func (s *testSite) outbox() []store.OutboxMessage {
	s.t.Helper()
	msgs, _, err := s.st.ListOutbox(context.Background(), store.OutboxFilter{PerPage: 200})
	if err != nil {
		s.t.Fatal(err)
	}
	for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
		msgs[i], msgs[j] = msgs[j], msgs[i]
	}
	return msgs
}

// confirmToken is the token of the last confirmation mail in the outbox.
func (s *testSite) confirmToken() string {
	s.t.Helper()
	msgs := s.outbox()
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Kind != mail.KindSubscriptionConfirm {
			continue
		}
		m := confirmLinkRe.FindStringSubmatch(msgs[i].Text)
		if m == nil {
			s.t.Fatalf("confirmation mail without a link:\n%s", msgs[i].Text)
		}
		tok, err := url.QueryUnescape(m[1])
		if err != nil {
			s.t.Fatal(err)
		}
		return tok
	}
	s.t.Fatal("no confirmation mail in the outbox")
	return ""
}

func (s *testSite) subsOf(addr string) []store.Subscription {
	s.t.Helper()
	subs, err := s.st.SubscriptionsOf(context.Background(), mail.NewKeys(testMailMaster).Index(addr))
	if err != nil {
		s.t.Fatal(err)
	}
	return subs
}

func (s *testSite) postFrom(target, fetchSite, origin string, vals url.Values) *httptest.ResponseRecorder {
	s.t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if fetchSite != "" {
		req.Header.Set("Sec-Fetch-Site", fetchSite)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	return s.do(req)
}

func manageLink(index []byte, subID int64, expires time.Time) string {
	return mail.UnsubscribePath + "?token=" + url.QueryEscape(mail.NewKeys(testMailMaster).ManageToken(index, subID, expires))
}

func TestFollowCaseConfirmManageUnsubscribe(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, nil)
	casePath := "/cases/" + strconv.FormatInt(id, 10)

	page := s.get(casePath)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page.Body.String(),
		`<form method="post" action="`+casePath+`/follow"`,
		`<label for="follow-email">Your email</label>`,
		`<input id="follow-email" name="email" type="email"`,
		"Email me when this case changes")

	rec := s.post(casePath+"/follow", url.Values{"email": {"  Follower@Example.ORG "}})
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != "/alerts/sent" {
		t.Fatalf("Location %q", loc)
	}
	mustContain(t, s.get("/alerts/sent").Body.String(), "Check your email", "48 hours")
	msgs := s.outbox()
	if len(msgs) != 1 || msgs[0].Kind != mail.KindSubscriptionConfirm {
		t.Fatalf("outbox after a follow: %+v", msgs)
	}
	if to := s.cipher.open(t, msgs[0].Recipient, "outbox", "recipient", msgs[0].ID, msgs[0].SealToken); to != "follower@example.org" {
		t.Fatalf("confirmation to %q", to)
	}
	subs := s.subsOf("follower@example.org")
	if len(subs) != 1 || subs[0].Confirmed || subs[0].CaseID != id {
		t.Fatalf("subscriptions before confirming: %+v", subs)
	}

	// The mailed link opens a page with a button; opening it confirms
	// nothing (mail scanners follow links).
	token := s.confirmToken()
	form := s.get(mail.ConfirmPath + "?token=" + url.QueryEscape(token))
	wantStatus(t, form, http.StatusOK)
	mustContain(t, form.Body.String(), `action="/alerts/confirm"`, `name="token" value="`+token+`"`, "Confirm my alerts")
	if s.subsOf("follower@example.org")[0].Confirmed {
		t.Fatal("GET of the confirmation link confirmed")
	}

	rec = s.post(mail.ConfirmPath, url.Values{"token": {token}})
	wantStatus(t, rec, http.StatusSeeOther)
	manage := rec.Header().Get("Location")
	if !strings.HasPrefix(manage, mail.UnsubscribePath+"?token=") || !strings.HasSuffix(manage, "&confirmed=1") {
		t.Fatalf("after confirming: Location %q", manage)
	}
	if !s.subsOf("follower@example.org")[0].Confirmed {
		t.Fatal("not confirmed")
	}
	page = s.get(manage)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page.Body.String(), "Your alerts are confirmed", "Updates about the appeal for Wanda Testcase", `href="`+casePath+`"`, "Stop all emails to this address")
	mustNotContain(t, page.Body.String(), "follower@example.org", "waiting for confirmation")
	if cc := page.Header().Get("Cache-Control"); cc != kit.CacheNone {
		t.Fatalf("manage page Cache-Control %q", cc)
	}
	// Pages holding a token never pass it on in a Referer.
	if rp := page.Header().Get("Referrer-Policy"); rp != "no-referrer" {
		t.Fatalf("manage page Referrer-Policy %q", rp)
	}
	if rp := form.Header().Get("Referrer-Policy"); rp != "no-referrer" {
		t.Fatalf("confirm page Referrer-Policy %q", rp)
	}

	// The link is single use.
	rec = s.post(mail.ConfirmPath, url.Values{"token": {token}})
	wantStatus(t, rec, http.StatusNotFound)
	mustContain(t, rec.Body.String(), "confirmation link does not work any more")

	// A message's own link: one-click from the mail provider (cross-site,
	// RFC 8058 body), then the same again: both succeed.
	sub := s.subsOf("follower@example.org")[0]
	link := manageLink(sub.EmailIndex, sub.ID, fixedNow.Add(mail.ManageTTL))
	page = s.get(link)
	mustContain(t, page.Body.String(), "The emails this message came from", `name="subscription" value="`+strconv.FormatInt(sub.ID, 10)+`"`)
	for i := range 2 {
		rec = s.postFrom(link, "cross-site", "https://mail.example.net", url.Values{"List-Unsubscribe": {"One-Click"}})
		wantStatus(t, rec, http.StatusOK)
		mustContain(t, rec.Body.String(), "You are unsubscribed")
		if rp := rec.Header().Get("Referrer-Policy"); rp != "no-referrer" {
			t.Fatalf("unsubscribed page Referrer-Policy %q", rp)
		}
		if n := len(s.subsOf("follower@example.org")); n != 0 {
			t.Fatalf("one-click %d: %d subscriptions left", i, n)
		}
	}
	mustContain(t, s.get(link).Body.String(), "This address gets no alerts from us.")

	// RFC 8058's own example body is multipart; some providers send
	// another body or none: a message's link still unsubscribes.
	for name, send := range map[string]func(target string) *httptest.ResponseRecorder{
		"multipart": func(target string) *httptest.ResponseRecorder {
			body, ct := multipartBody(t, url.Values{"List-Unsubscribe": {"One-Click"}}, nil)
			req := httptest.NewRequest(http.MethodPost, target, body)
			req.Header.Set("Content-Type", ct)
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			return s.do(req)
		},
		"empty-body": func(target string) *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodPost, target, nil)
			req.Header.Set("Origin", "https://mail.example.net")
			return s.do(req)
		},
	} {
		s.post(casePath+"/follow", url.Values{"email": {name + "@example.org"}})
		wantStatus(t, s.post(mail.ConfirmPath, url.Values{"token": {s.confirmToken()}}), http.StatusSeeOther)
		sub := s.subsOf(name + "@example.org")
		if len(sub) != 1 || !sub[0].Confirmed {
			t.Fatalf("%s: %+v", name, sub)
		}
		rec := send(manageLink(sub[0].EmailIndex, sub[0].ID, fixedNow.Add(time.Hour)))
		wantStatus(t, rec, http.StatusOK)
		if n := len(s.subsOf(name + "@example.org")); n != 0 {
			t.Errorf("%s one-click: %d subscriptions left", name, n)
		}
	}
}

func TestAreaAlertsAndManageButtons(t *testing.T) {
	s := newSite(t)
	page := s.get("/alerts")
	wantStatus(t, page, http.StatusOK)
	body := page.Body.String()
	mustContain(t, body, `<form method="post" action="/alerts"`, `<label for="f-email">Your email`,
		`value="all"`, `<label for="f-region">All of Newfoundland and Labrador</label>`)
	for _, r := range store.Regions {
		mustContain(t, body, `name="region" value="`+r+`"`)
	}
	// Linked from every public page's footer (the home page included).
	mustContain(t, s.get("/").Body.String(), `<a href="/alerts">Email alerts</a>`)

	rec := s.post("/alerts", url.Values{"email": {"area@example.org"}, "region": {"Avalon", "Labrador"}})
	wantStatus(t, rec, http.StatusSeeOther)
	rec = s.post(mail.ConfirmPath, url.Values{"token": {s.confirmToken()}})
	wantStatus(t, rec, http.StatusSeeOther)
	page = s.get(rec.Header().Get("Location"))
	mustContain(t, page.Body.String(), "New appeals in the Avalon region", "New appeals in the Labrador region")

	// One button stops one subscription, the other button all of them.
	subs := s.subsOf("area@example.org")
	if len(subs) != 2 {
		t.Fatalf("subscriptions: %+v", subs)
	}
	link := manageLink(subs[0].EmailIndex, 0, fixedNow.Add(time.Hour))
	rec = s.post(link, url.Values{"subscription": {strconv.FormatInt(subs[0].ID, 10)}})
	wantStatus(t, rec, http.StatusSeeOther)
	if !strings.HasSuffix(rec.Header().Get("Location"), "&done=1") {
		t.Fatalf("Location %q", rec.Header().Get("Location"))
	}
	mustContain(t, s.get(rec.Header().Get("Location")).Body.String(), "Those emails are stopped")
	if left := s.subsOf("area@example.org"); len(left) != 1 || left[0].ID != subs[1].ID {
		t.Fatalf("after stopping one: %+v", left)
	}
	// Another address's subscription id cannot be stopped with this link.
	s.post("/alerts", url.Values{"email": {"other@example.org"}, "region": {"Western"}})
	other := s.subsOf("other@example.org")
	wantStatus(t, s.post(link, url.Values{"subscription": {strconv.FormatInt(other[0].ID, 10)}}), http.StatusSeeOther)
	if len(s.subsOf("other@example.org")) != 1 {
		t.Fatal("a link stopped another address's subscription")
	}
	wantStatus(t, s.post(link, url.Values{"all": {"1"}}), http.StatusSeeOther)
	if left := s.subsOf("area@example.org"); len(left) != 0 {
		t.Fatalf("after stopping all: %+v", left)
	}
}

// TestAlertsSameAnswer: whether the address is new, waiting for its
// confirmation, already confirmed, or over its daily confirmation mails,
// the answer is the same (no one learns who is subscribed).
func TestAlertsSameAnswer(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, nil)
	follow := "/cases/" + strconv.FormatInt(id, 10) + "/follow"
	type answer struct {
		code     int
		location string
		body     string
	}
	ask := func(addr string) answer {
		rec := s.post(follow, url.Values{"email": {addr}})
		return answer{rec.Code, rec.Header().Get("Location"), rec.Body.String()}
	}
	fresh := ask("new@example.org")
	confirmed := "known@example.org"
	ask(confirmed)
	wantStatus(t, s.post(mail.ConfirmPath, url.Values{"token": {s.confirmToken()}}), http.StatusSeeOther)
	before := len(s.outbox())
	already := ask(confirmed)
	if n := len(s.outbox()); n != before {
		t.Fatalf("a confirmed follower was mailed again (%d → %d messages)", before, n)
	}
	pending := ask("new@example.org") // second confirmation of the day
	ask("new@example.org")            // third
	beforeLimit := len(s.outbox())
	limited := ask("new@example.org") // fourth: over the daily limit
	if n := len(s.outbox()); n != beforeLimit {
		t.Fatalf("a fourth confirmation mail was queued the same day")
	}
	for name, a := range map[string]answer{"already confirmed": already, "pending": pending, "over the limit": limited} {
		if a != fresh {
			t.Errorf("%s: answer %+v differs from a new address's %+v", name, a, fresh)
		}
	}
	// The same for the area form.
	rec := s.post("/alerts", url.Values{"email": {confirmed}, "region": {"Avalon"}})
	if rec.Code != fresh.code || rec.Header().Get("Location") != fresh.location {
		t.Errorf("area form answer %d %q", rec.Code, rec.Header().Get("Location"))
	}
}

func TestAlertsHostileInput(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, nil)
	follow := "/cases/" + strconv.FormatInt(id, 10) + "/follow"
	huge := strings.Repeat("a", 100<<10) + "@example.org"
	badEmails := map[string]string{
		"empty":              "",
		"not an address":     "not-an-address",
		"100 KB":             huge,
		"CRLF header":        "victim@example.org\r\nBcc: many@example.net",
		"LF header":          "victim@example.org\nBcc: many@example.net",
		"CR alone":           "victim@example.org\rBcc: many@example.net",
		"display name":       `"Victim" <victim@example.org>`,
		"angle brackets":     "<victim@example.org>",
		"two addresses":      "a@example.org, b@example.org",
		"invalid UTF-8":      "vict\xffim@example.org",
		"no dot in domain":   "victim@localhost",
		"bracketed literal":  "victim@[127.0.0.1]",
		"subject injection":  "victim@example.org\r\nSubject: hi",
		"encoded CRLF as-is": "victim@example.org%0d%0aBcc:x@example.net",
	}
	for name, email := range badEmails {
		for _, target := range []string{follow, "/alerts"} {
			vals := url.Values{"email": {email}}
			if target == "/alerts" {
				vals.Set("region", "Avalon")
			}
			rec := s.post(target, vals)
			if rec.Code != http.StatusUnprocessableEntity {
				t.Errorf("%s to %s: status %d, want 422", name, target, rec.Code)
				continue
			}
			mustContain(t, rec.Body.String(), "There is a problem", `href="#f-email"`)
		}
	}
	badRegions := map[string][]string{
		"none":        nil,
		"unknown":     {"Atlantis"},
		"CRLF":        {"Avalon\r\nBcc: many@example.net"},
		"100 KB":      {strings.Repeat("Avalon", 17000)},
		"one bad":     {"Avalon", "Narnia"},
		"lower case":  {"avalon"},
		"empty value": {""},
	}
	for name, regions := range badRegions {
		rec := s.post("/alerts", url.Values{"email": {"fine@example.org"}, "region": regions})
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("regions %s: status %d, want 422", name, rec.Code)
			continue
		}
		mustContain(t, rec.Body.String(), `id="f-region-error"`, `value="fine@example.org"`)
	}
	if n := len(s.outbox()); n != 0 {
		t.Fatalf("hostile input queued %d messages", n)
	}

	// Control characters are dropped like on every form (a NUL typed
	// into an address is not part of it): what is stored and mailed is
	// the clean address.
	wantStatus(t, s.post("/alerts", url.Values{"email": {"nul\x00@example.org"}, "region": {"Avalon"}}), http.StatusSeeOther)
	msgs := s.outbox()
	if len(msgs) != 1 {
		t.Fatalf("outbox: %d messages", len(msgs))
	}
	if to := s.cipher.open(t, msgs[0].Recipient, "outbox", "recipient", msgs[0].ID, msgs[0].SealToken); to != "nul@example.org" {
		t.Fatalf("mailed to %q", to)
	}
	if _, err := s.st.UnsubscribeAll(context.Background(), mail.NewKeys(testMailMaster).Index("nul@example.org")); err != nil {
		t.Fatal(err)
	}
	before := len(msgs)

	// The honeypot: the same answer as a real request, nothing kept.
	rec := s.post("/alerts", url.Values{"email": {"bot@example.org"}, "region": {"Avalon"}, "website": {"http://spam.example\r\nBcc: x@example.net"}})
	wantStatus(t, rec, http.StatusSeeOther)
	rec = s.post(follow, url.Values{"email": {"bot@example.org"}, "website": {"x"}})
	wantStatus(t, rec, http.StatusSeeOther)
	if n := len(s.outbox()); n != before || len(s.subsOf("bot@example.org")) != 0 {
		t.Fatal("honeypot request kept something")
	}

	// Confirmation tokens: empty, unknown, too long, with line breaks.
	for name, tok := range map[string]string{
		"empty": "", "unknown": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "100 KB": strings.Repeat("A", 100<<10),
		"CRLF": "abc\r\nSet-Cookie: x=y", "NUL": "abc\x00", "invalid UTF-8": "\xff\xfe",
	} {
		if rec := s.get(mail.ConfirmPath + "?token=" + url.QueryEscape(tok)); name != "unknown" && name != "CRLF" && name != "NUL" && name != "invalid UTF-8" && rec.Code != http.StatusNotFound {
			t.Errorf("GET confirm %s: status %d, want 404", name, rec.Code)
		}
		rec := s.post(mail.ConfirmPath, url.Values{"token": {tok}})
		if rec.Code != http.StatusNotFound {
			t.Errorf("POST confirm %s: status %d, want 404", name, rec.Code)
		}
	}

	// Expired confirmation: 48 hours later the link is dead.
	clock := fixedNow
	s2 := newSite(t, func(d *Deps) { d.Now = func() time.Time { return clock } })
	s2.post("/alerts", url.Values{"email": {"late@example.org"}, "region": {"Central"}})
	tok := s2.confirmToken()
	clock = clock.Add(store.ConfirmTTL + time.Minute)
	wantStatus(t, s2.post(mail.ConfirmPath, url.Values{"token": {tok}}), http.StatusNotFound)

	// Manage links: forged, expired, truncated, garbage, 100 KB.
	index := mail.NewKeys(testMailMaster).Index("someone@example.org")
	good := mail.NewKeys(testMailMaster).ManageToken(index, 0, fixedNow.Add(time.Hour))
	forged := mail.NewKeys(make([]byte, 32)).ManageToken(index, 0, fixedNow.Add(time.Hour))
	flipped := []byte(good)
	flipped[10] ^= 1
	for name, tok := range map[string]string{
		"forged key":   forged,
		"flipped byte": string(flipped),
		"expired":      mail.NewKeys(testMailMaster).ManageToken(index, 0, fixedNow.Add(-time.Second)),
		"truncated":    good[:len(good)-3],
		"empty":        "",
		"garbage":      "<script>alert(1)</script>",
		"100 KB":       strings.Repeat("A", 100<<10),
		"CRLF":         good + "\r\nX: y",
	} {
		target := mail.UnsubscribePath + "?token=" + url.QueryEscape(tok)
		rec := s.get(target)
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET manage %s: status %d, want 404", name, rec.Code)
		}
		mustNotContain(t, rec.Body.String(), "<script>alert(1)</script>")
		rec = s.postFrom(target, "cross-site", "", url.Values{"List-Unsubscribe": {"One-Click"}})
		if rec.Code != http.StatusNotFound {
			t.Errorf("POST unsubscribe %s: status %d, want 404", name, rec.Code)
		}
	}
	link := mail.UnsubscribePath + "?token=" + url.QueryEscape(good)
	for name, v := range map[string]url.Values{
		"nothing chosen":  {},
		"id not a number": {"subscription": {"abc"}},
		"negative id":     {"subscription": {"-1"}},
		"CRLF id":         {"subscription": {"1\r\n"}},
		"100 KB id":       {"subscription": {strings.Repeat("9", 100<<10)}},
		"one-click typo":  {"List-Unsubscribe": {"one-click"}},
	} {
		if rec := s.post(link, v); rec.Code != http.StatusBadRequest {
			t.Errorf("unsubscribe %s: status %d, want 400", name, rec.Code)
		}
	}
}

func TestFollowOnlyOpenPublishedCases(t *testing.T) {
	s := newSite(t)
	located := s.addCase(store.StatusLocated, nil)
	pending := s.addCase(store.StatusPending, nil)
	page := s.get("/cases/" + strconv.FormatInt(located, 10))
	wantStatus(t, page, http.StatusOK)
	mustNotContain(t, page.Body.String(), "/follow", "Email me when this case changes")

	rec := s.post("/cases/"+strconv.FormatInt(located, 10)+"/follow", url.Values{"email": {"a@example.org"}})
	wantStatus(t, rec, http.StatusGone)
	mustContain(t, rec.Body.String(), "can no longer be followed")
	for _, p := range []string{strconv.FormatInt(pending, 10), "99999", "abc", "-1", "01"} {
		if rec := s.post("/cases/"+p+"/follow", url.Values{"email": {"a@example.org"}}); rec.Code != http.StatusNotFound {
			t.Errorf("follow /cases/%s: status %d, want 404", p, rec.Code)
		}
	}
	if n := len(s.outbox()); n != 0 {
		t.Fatalf("%d messages queued", n)
	}
}

// TestAlertsCrossOrigin: the alert forms refuse cross-site posts like
// every form; the unsubscribe POST alone accepts them (RFC 8058: the mail
// provider sends it), and only at its exact path.
func TestAlertsCrossOrigin(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, nil)
	idx := mail.NewKeys(testMailMaster).Index("x@example.org")
	link := manageLink(idx, 0, fixedNow.Add(time.Hour))
	refused := []string{
		"/cases/" + strconv.FormatInt(id, 10) + "/follow",
		"/alerts",
		mail.ConfirmPath,
		"/contact",
		"/submit",
		"/cases/" + strconv.FormatInt(id, 10) + "/tips",
		"/admin/login",
		"/admin/logout",
		mail.UnsubscribePath + "/extra?token=x",
	}
	for _, target := range refused {
		for _, how := range [][2]string{{"cross-site", ""}, {"", "https://evil.example"}, {"same-site", ""}} {
			rec := s.postFrom(target, how[0], how[1], url.Values{"email": {"x@example.org"}, "region": {"Avalon"}})
			if rec.Code != http.StatusForbidden {
				t.Errorf("POST %s (%v): status %d, want 403", target, how, rec.Code)
			}
		}
	}
	for _, how := range [][2]string{{"cross-site", ""}, {"", "https://mail.example.net"}, {"", ""}} {
		rec := s.postFrom(link, how[0], how[1], url.Values{"List-Unsubscribe": {"One-Click"}})
		if rec.Code != http.StatusOK {
			t.Errorf("one-click unsubscribe (%v): status %d, want 200", how, rec.Code)
		}
	}
}

// TestAlertsRateLimited: the forms that cause mail share the per-IP limit
// of public forms; the unsubscribe POST is not limited (providers send
// many from few addresses, and a refused unsubscribe is unwanted mail).
func TestAlertsRateLimited(t *testing.T) {
	s := newSite(t, func(d *Deps) { d.FormRateLimit, d.FormRateBurst = 1, 1 })
	id := s.addCase(store.StatusMissing, nil)
	for _, target := range []string{"/alerts", "/cases/" + strconv.FormatInt(id, 10) + "/follow", mail.ConfirmPath} {
		s := newSite(t, func(d *Deps) { d.FormRateLimit, d.FormRateBurst = 1, 1 })
		s.addCase(store.StatusMissing, nil)
		vals := url.Values{"email": {"r@example.org"}, "region": {"Avalon"}, "token": {"unknown-token-xxxxxxxxxx"}}
		first := s.post(target, vals)
		if first.Code == http.StatusTooManyRequests {
			t.Fatalf("%s: first post limited", target)
		}
		rec := s.post(target, vals)
		wantStatus(t, rec, http.StatusTooManyRequests)
		if rec.Header().Get("Retry-After") == "" {
			t.Errorf("%s: 429 without Retry-After", target)
		}
	}
	link := manageLink(mail.NewKeys(testMailMaster).Index("r@example.org"), 0, fixedNow.Add(time.Hour))
	for range 5 {
		wantStatus(t, s.postFrom(link, "cross-site", "", url.Values{"List-Unsubscribe": {"One-Click"}}), http.StatusOK)
	}
}

// TestPublicWriteRouteFlags: every public POST outside /admin is rate
// limited except the one-click unsubscribe, which is the only route
// accepting cross-site posts; the route check refuses any other.
func TestPublicWriteRouteFlags(t *testing.T) {
	s := newSite(t)
	var cross []string
	for _, rt := range s.web.routes() {
		if rt.CrossSite {
			cross = append(cross, rt.Pattern)
		}
		if !strings.HasPrefix(rt.Pattern, "POST /") || isAdminPattern(rt.Pattern) {
			continue
		}
		if rt.Limited == (rt.Pattern == "POST "+mail.UnsubscribePath) {
			t.Errorf("%s: Limited = %v", rt.Pattern, rt.Limited)
		}
	}
	if len(cross) != 1 || cross[0] != "POST "+mail.UnsubscribePath {
		t.Fatalf("cross-site routes %v", cross)
	}
	for _, rt := range []kit.Route{
		{Pattern: "POST /admin/outbox/{id}/requeue", Access: kit.Public},
		{Pattern: "POST /alerts/x", Access: kit.Staff},
		{Pattern: "GET /alerts/x", Access: kit.Public},
		{Pattern: "/alerts/x", Access: kit.Public},
	} {
		if err := checkCrossSite(rt); err == nil {
			t.Errorf("checkCrossSite accepted %+v", rt)
		}
	}
	if err := checkCrossSite(kit.Route{Pattern: "POST /alerts/unsubscribe", Access: kit.Public}); err != nil {
		t.Fatal(err)
	}
}

// TestCasePageWithFollowFormIsCached: the follow form is the same for
// every visitor, so the case page stays one cached page.
func TestCasePageWithFollowFormIsCached(t *testing.T) {
	s := newSite(t, withCache(pagecache.Options{TTL: time.Hour}))
	id := s.addCase(store.StatusMissing, nil)
	p := "/cases/" + strconv.FormatInt(id, 10)
	a, b := s.get(p), s.get(p)
	wantStatus(t, a, http.StatusOK)
	if a.Body.String() != b.Body.String() {
		t.Fatal("two visitors got different case pages")
	}
	if !strings.Contains(a.Body.String(), `action="`+p+`/follow"`) {
		t.Fatal("no follow form")
	}
	if hits := s.web.cache.Stats().Hits; hits < 1 {
		t.Fatalf("page cache hits %d, want the second visit served from it", hits)
	}
}
