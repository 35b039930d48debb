package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"lostinnl/internal/store"
)

const (
	xssScript = `<script>alert(1)</script>`
	xssAttr   = `"><img src=x onerror=alert(1)>`
	sqlMeta   = `'; DROP TABLE tips; -- " OR 1=1 /* % _ \`
)

func tipsFor(t *testing.T, s *testSite, caseID int64) []store.Tip {
	t.Helper()
	tips, _, err := s.st.ListTips(context.Background(), store.TipFilter{CaseID: caseID, PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	return tips
}

func TestTipSuccessStoresSealedContact(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, nil)
	path := fmt.Sprintf("/cases/%d/tips", id)
	rec := s.post(path, url.Values{
		"message":       {"  Saw her near the ferry terminal. " + sqlMeta + "  "},
		"seen_at":       {"2026-11-26 18:00"},
		"seen_location": {"Argentia ferry terminal"},
		"name":          {"Terry Tipster"},
		"phone":         {"+1 (709) 555-0199 ext. 12"},
		"email":         {"terry@example.com"},
	})
	wantStatus(t, rec, http.StatusSeeOther)
	loc := rec.Header().Get("Location")
	if loc != fmt.Sprintf("/cases/%d?tip=sent#tip-sent", id) {
		t.Fatalf("Location %q", loc)
	}
	tips := tipsFor(t, s, id)
	if len(tips) != 1 {
		t.Fatalf("%d tips stored, want 1", len(tips))
	}
	tp := tips[0]
	if tp.Message != "Saw her near the ferry terminal. "+sqlMeta {
		t.Errorf("message stored as %q (SQL metacharacters must be kept verbatim, trimmed)", tp.Message)
	}
	if tp.SeenAt != "2026-11-26 18:00" || tp.SeenLocation != "Argentia ferry terminal" {
		t.Errorf("seen fields %q %q", tp.SeenAt, tp.SeenLocation)
	}
	if strings.Contains(string(tp.Name), "Terry") || strings.Contains(string(tp.Email), "terry@") {
		t.Fatal("tipster contact stored in plaintext")
	}
	if got := s.cipher.open(t, tp.Name, "tips", "name", tp.ID, tp.SealToken); got != "Terry Tipster" {
		t.Errorf("sealed name opens to %q", got)
	}
	if got := s.cipher.open(t, tp.Phone, "tips", "phone", tp.ID, tp.SealToken); got != "+1 (709) 555-0199 ext. 12" {
		t.Errorf("sealed phone opens to %q", got)
	}
	// The thank-you notice on the case page, and the tip itself nowhere public.
	page := s.get(strings.TrimSuffix(loc, "#tip-sent")) // browsers never send the fragment
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page.Body.String(), "Your tip was sent")
	mustNotContain(t, page.Body.String(), "ferry terminal", "Terry")
	api := s.get(fmt.Sprintf("/api/v1/cases/%d", id)).Body.String()
	mustNotContain(t, api, "ferry terminal", "Terry", "terry@example.com")
}

func TestTipValidationKeepsValuesAndEscapes(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, nil)
	path := fmt.Sprintf("/cases/%d/tips", id)
	long := strings.Repeat("a", 100*1024)
	cases := []struct {
		name      string
		vals      url.Values
		field     string
		msg       string
		mustEcho  []string
		mustNotIn []string
	}{
		{"missing message", url.Values{"name": {"Kept Name"}}, "message", "Tell us what you saw", []string{`value="Kept Name"`}, nil},
		{"blank message", url.Values{"message": {"   \t\n "}}, "message", "Tell us what you saw", nil, nil},
		{"100 KB message", url.Values{"message": {long}}, "message", "5000 characters or fewer", nil, nil},
		{"100 KB name", url.Values{"message": {"ok"}, "name": {long}}, "name", "100 characters or fewer", nil, nil},
		{"invalid UTF-8", url.Values{"message": {"bad \xff\xfe bytes"}}, "message", "could not read", []string{"bad \uFFFD bytes"}, nil},
		{"script in message", url.Values{"message": {xssScript}, "email": {"nope"}}, "email", "email address like", []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{xssScript}},
		{"attribute breakout", url.Values{"message": {"hi"}, "seen_location": {xssAttr}, "phone": {"abc"}}, "phone", "phone number", []string{"&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"}, []string{xssAttr, "<img src=x"}},
		{"future date", url.Values{"message": {"hi"}, "seen_at": {"2026-12-25"}}, "seen_at", "can&#39;t be in the future", nil, nil},
		{"bad email", url.Values{"message": {"hi"}, "email": {"Terry <terry@example.com>"}}, "email", "email address like", nil, nil},
		{"bad phone letters", url.Values{"message": {"hi"}, "phone": {"call me maybe"}}, "phone", "phone number", nil, nil},
		{"phone too short", url.Values{"message": {"hi"}, "phone": {"12-34"}}, "phone", "phone number", nil, nil},
		{"sql in email", url.Values{"message": {"hi"}, "email": {sqlMeta}}, "email", "email address like", nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := s.post(path, c.vals)
			wantStatus(t, rec, http.StatusUnprocessableEntity)
			body := rec.Body.String()
			mustContain(t, body, c.msg, `id="f-`+c.field+`-error"`, `href="#f-`+c.field+`"`, `class="error-summary"`)
			mustContain(t, body, c.mustEcho...)
			mustNotContain(t, body, c.mustNotIn...)
			assertNoInlineCode(t, body)
		})
	}
	if n := len(tipsFor(t, s, id)); n != 0 {
		t.Fatalf("%d tips stored from invalid posts", n)
	}
}

func TestTipHoneypotPretendsSuccess(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, nil)
	rec := s.post(fmt.Sprintf("/cases/%d/tips", id), url.Values{"message": {"buy pills"}, "website": {"http://spam.example"}})
	wantStatus(t, rec, http.StatusSeeOther)
	if n := len(tipsFor(t, s, id)); n != 0 {
		t.Fatalf("honeypot tip stored (%d)", n)
	}
}

func TestTipCrossOriginRefused(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, nil)
	for _, hdr := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Sec-Fetch-Site": "same-site"},
		{"Origin": "https://evil.example"},
	} {
		req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/cases/%d/tips", id), strings.NewReader("message=hello"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		rec := s.do(req)
		wantStatus(t, rec, http.StatusForbidden)
		mustContain(t, rec.Body.String(), "can only be sent from its own pages", "Request id:")
	}
	// The site's own public origin (BaseURL) is same-origin even behind a
	// proxy that changes Host.
	req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/cases/%d/tips", id), strings.NewReader("message=hello"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://missing.example.ca")
	wantStatus(t, s.do(req), http.StatusSeeOther)
	if n := len(tipsFor(t, s, id)); n != 1 {
		t.Fatalf("%d tips stored, want only the same-origin one", n)
	}
}

func TestTipRateLimit(t *testing.T) {
	s := newSite(t, func(d *Deps) { d.FormRateLimit = 1; d.FormRateBurst = 2 })
	id := s.addCase(store.StatusMissing, nil)
	path := fmt.Sprintf("/cases/%d/tips", id)
	for i := 0; i < 2; i++ {
		wantStatus(t, s.post(path, url.Values{"message": {"tip"}}), http.StatusSeeOther)
	}
	rec := s.post(path, url.Values{"message": {"tip"}})
	wantStatus(t, rec, http.StatusTooManyRequests)
	if ra := rec.Header().Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After %q", ra)
	}
	mustContain(t, rec.Body.String(), "Please wait a moment", "Nothing is wrong with what you typed")
	// Another client is not affected.
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader("message=tip"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = "198.51.100.7:4242"
	wantStatus(t, s.do(req), http.StatusSeeOther)
	// The other forms share the per-IP budget.
	wantStatus(t, s.post("/contact", url.Values{"message": {"x"}}), http.StatusTooManyRequests)
}

func TestTipFormHiddenForLocatedAndPostRefused(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusLocated, nil)
	body := s.get(fmt.Sprintf("/cases/%d", id)).Body.String()
	mustNotContain(t, body, `action="/cases/`)
	mustContain(t, body, "located-banner")

	// A direct POST (the form is hidden, not the route) is refused too.
	rec := s.post(fmt.Sprintf("/cases/%d/tips", id), url.Values{"message": {"Saw him at the wharf"}, "phone": {"709-555-0100"}})
	wantStatus(t, rec, http.StatusGone)
	mustContain(t, rec.Body.String(), "This appeal is closed", "call the police")
	mustNotContain(t, rec.Body.String(), "Saw him at the wharf")
	if tips := tipsFor(t, s, id); len(tips) != 0 {
		t.Fatalf("%d tips stored for a located case", len(tips))
	}
}

// TestTipRefusedWhenLocatedBetweenQueries: the case is missing when the
// handler looks it up and located by the time the tip is stored; the store's
// own check refuses it with the same page, never a 500. The clock is the
// seam: tipSave reads it to validate the form, between the two queries (the
// rate limiter reads it too, before the handler: hence the stack check).
func TestTipRefusedWhenLocatedBetweenQueries(t *testing.T) {
	var (
		s     *testSite
		id    int64
		armed atomic.Bool
	)
	s = newSite(t, func(d *Deps) {
		d.Now = func() time.Time {
			if calledFrom("(*handler).tipSave") && armed.CompareAndSwap(true, false) {
				if err := s.st.TransitionCase(context.Background(), id, store.StatusLocated, "", nil); err != nil {
					t.Error(err)
				}
			}
			return fixedNow
		}
	})
	id = s.addCase(store.StatusMissing, nil)
	armed.Store(true)
	rec := s.post(fmt.Sprintf("/cases/%d/tips", id), url.Values{"message": {"Saw him at the wharf"}})
	if armed.Load() {
		t.Fatal("the clock was not read between the look-up and the insert; the test no longer races anything")
	}
	wantStatus(t, rec, http.StatusGone)
	mustContain(t, rec.Body.String(), "This appeal is closed")
	if tips := tipsFor(t, s, id); len(tips) != 0 {
		t.Fatalf("%d tips stored for a located case", len(tips))
	}
}

func TestTipBodyTooLarge(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, nil)
	rec := s.post(fmt.Sprintf("/cases/%d/tips", id), url.Values{"message": {strings.Repeat("x", 2<<20)}})
	wantStatus(t, rec, http.StatusRequestEntityTooLarge)
	mustContain(t, rec.Body.String(), "too much to send")
}

func TestTipMalformedBody(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, nil)
	req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/cases/%d/tips", id), strings.NewReader("message=%zz%"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := s.do(req)
	wantStatus(t, rec, http.StatusBadRequest)
}

// calledFrom reports whether a function whose name ends in fn is on the
// caller's stack.
func calledFrom(fn string) bool {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	for {
		f, more := frames.Next()
		if strings.HasSuffix(f.Function, fn) {
			return true
		}
		if !more {
			return false
		}
	}
}
