package web

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"lostinnl/internal/store"
	"lostinnl/internal/telemetry"
	"lostinnl/internal/web/staff"
)

func checkSecurityHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("%s: CSP lacks %q: %q", what, want, csp)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "data:") {
		t.Errorf("%s: CSP too loose: %q", what, csp)
	}
	for k, v := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "strict-origin-when-cross-origin",
	} {
		if h.Get(k) != v {
			t.Errorf("%s: %s = %q", what, k, h.Get(k))
		}
	}
	if !strings.Contains(h.Get("Permissions-Policy"), "camera=()") {
		t.Errorf("%s: Permissions-Policy %q", what, h.Get("Permissions-Policy"))
	}
	if h.Get("X-Request-ID") == "" {
		t.Errorf("%s: no X-Request-ID", what)
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	s := newSite(t, func(d *Deps) { d.FormRateLimit = 0.001; d.FormRateBurst = 3 })
	id := s.addCase(store.StatusMissing, nil)
	reqs := []*http.Request{
		httptest.NewRequest("GET", "/", nil),
		httptest.NewRequest("GET", "/cases?age_min=x", nil),
		httptest.NewRequest("GET", fmt.Sprintf("/cases/%d", id), nil),
		httptest.NewRequest("GET", "/cases/999", nil),
		httptest.NewRequest("GET", "/api/v1/cases", nil),
		httptest.NewRequest("GET", "/api/v1/cases/999", nil),
		httptest.NewRequest("DELETE", "/", nil),
		httptest.NewRequest("GET", "/static/nope.css", nil),
		httptest.NewRequest("GET", "/robots.txt", nil),
		httptest.NewRequest("GET", "/favicon.ico", nil),
		httptest.NewRequest("GET", "/media/abc_320.jpg", nil),
	}
	post := func(target, body string, hdr ...string) *http.Request {
		r := httptest.NewRequest("POST", target, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for i := 0; i+1 < len(hdr); i += 2 {
			r.Header.Set(hdr[i], hdr[i+1])
		}
		return r
	}
	reqs = append(reqs,
		post("/contact", "name=x"),                                 // 422
		post("/contact", "name=a&email=a@example.com&message=hi"),  // 303
		post("/contact", "name=x", "Sec-Fetch-Site", "cross-site"), // 403
		post(fmt.Sprintf("/cases/%d/tips", id), "message=x"),       // 303
		post(fmt.Sprintf("/cases/%d/tips", id), "message=x"),       // 429
	)
	seen := map[int]bool{}
	for _, r := range reqs {
		rec := s.do(r)
		seen[rec.Code] = true
		checkSecurityHeaders(t, fmt.Sprintf("%s %s (%d)", r.Method, r.URL, rec.Code), rec.Header())
		if rec.Header().Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain HTTP", r.URL)
		}
	}
	// Static assets too.
	page := s.get("/").Body.String()
	for _, u := range assetURLs(page) {
		checkSecurityHeaders(t, u, s.get(u).Header())
	}
	for _, code := range []int{200, 301, 303, 403, 404, 405, 422, 429} {
		if !seen[code] {
			t.Errorf("no response with status %d was checked", code)
		}
	}
}

func TestHSTSOnlyOverTLS(t *testing.T) {
	proxy := netip.MustParsePrefix("10.0.0.0/8")
	s := newSite(t, func(d *Deps) { d.TrustedProxies = []netip.Prefix{proxy} })
	direct := httptest.NewRequest("GET", "/", nil)
	direct.TLS = &tls.ConnectionState{}
	if s.do(direct).Header().Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS on a direct TLS request")
	}
	viaProxy := httptest.NewRequest("GET", "/", nil)
	viaProxy.RemoteAddr = "10.1.2.3:5555"
	viaProxy.Header.Set("X-Forwarded-Proto", "https")
	if s.do(viaProxy).Header().Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS behind a trusted TLS proxy")
	}
	spoofed := httptest.NewRequest("GET", "/", nil)
	spoofed.RemoteAddr = "203.0.113.9:5555"
	spoofed.Header.Set("X-Forwarded-Proto", "https")
	if s.do(spoofed).Header().Get("Strict-Transport-Security") != "" {
		t.Error("HSTS from an untrusted X-Forwarded-Proto")
	}
}

func TestRateLimitKeyedByClientIPBehindProxy(t *testing.T) {
	s := newSite(t, func(d *Deps) {
		d.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
		d.FormRateLimit = 0.001
		d.FormRateBurst = 1
	})
	send := func(client string) int {
		r := httptest.NewRequest("POST", "/contact", strings.NewReader("name=x"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.RemoteAddr = "127.0.0.1:9999"
		r.Header.Set("X-Forwarded-For", client)
		return s.do(r).Code
	}
	if c := send("198.51.100.1"); c != 422 {
		t.Fatalf("first post %d", c)
	}
	if c := send("198.51.100.1"); c != 429 {
		t.Fatalf("second post from same client %d, want 429", c)
	}
	if c := send("198.51.100.2"); c != 422 {
		t.Fatalf("other client behind the same proxy %d, want 422", c)
	}
}

func TestPanicBecomesFriendly500(t *testing.T) {
	s := newSite(t)
	h, _, err := newHandler(withMail(t, Deps{Store: s.st, Admin: &staff.Admin{Cipher: newTestCipher(t)}, Logger: slog.New(slog.NewTextHandler(s.logs, nil))}))
	if err != nil {
		t.Fatal(err)
	}
	boom := telemetry.RequestIDMiddleware(nil)(h.securityHeaders(h.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("secret internal detail")
	}))))
	rec := httptest.NewRecorder()
	boom.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	wantStatus(t, rec, http.StatusInternalServerError)
	body := rec.Body.String()
	mustContain(t, body, "Something went wrong on our side", "Request id: <code>"+rec.Header().Get("X-Request-ID")+"</code>")
	mustNotContain(t, body, "secret internal detail", "goroutine")
	checkSecurityHeaders(t, "panic", rec.Header())
	if !strings.Contains(s.logs.String(), "secret internal detail") || !strings.Contains(s.logs.String(), rec.Header().Get("X-Request-ID")) {
		t.Error("panic not logged with its request id")
	}
}

func TestDatabaseDown(t *testing.T) {
	s := newSite(t, func(d *Deps) {
		d.IsUnavailable = func(err error) bool { return strings.Contains(err.Error(), "database is closed") }
	})
	id := s.addCase(store.StatusMissing, nil)
	if err := s.st.Close(); err != nil {
		t.Fatal(err)
	}
	s.allow5xx = true
	for _, p := range []string{"/", "/cases", fmt.Sprintf("/cases/%d", id), "/resources"} {
		rec := s.get(p)
		wantStatus(t, rec, http.StatusServiceUnavailable)
		mustContain(t, rec.Body.String(), "The site is having trouble right now", "Request id:")
		mustNotContain(t, rec.Body.String(), "database is closed", "sql:")
		if rec.Header().Get("Retry-After") == "" {
			t.Errorf("%s: no Retry-After", p)
		}
	}
	rec := s.get("/api/v1/cases")
	wantStatus(t, rec, http.StatusServiceUnavailable)
	mustContain(t, rec.Body.String(), `{"error":"service temporarily unavailable"}`)

	// A form whose save fails keeps everything the person typed.
	rec = s.post("/contact", url.Values{"name": {"Kept Name"}, "email": {"kept@example.com"}, "message": {"Kept message text"}})
	wantStatus(t, rec, http.StatusServiceUnavailable)
	mustContain(t, rec.Body.String(), `value="Kept Name"`, `value="kept@example.com"`, "Kept message text", "Everything you typed is still below")
	rec = s.postMultipart("/submit", validReport(), nil)
	wantStatus(t, rec, http.StatusServiceUnavailable)
	mustContain(t, rec.Body.String(), `value="Priscilla Pendingcase"`, "Everything you typed is still below")
	if !strings.Contains(s.logs.String(), "database is closed") {
		t.Error("failure not logged")
	}
}

func TestServerErrorWithoutClassifierIs500(t *testing.T) {
	s := newSite(t)
	if err := s.st.Close(); err != nil {
		t.Fatal(err)
	}
	s.allow5xx = true
	rec := s.get("/cases")
	wantStatus(t, rec, http.StatusInternalServerError)
	mustContain(t, rec.Body.String(), "Something went wrong on our side")
	mustNotContain(t, rec.Body.String(), "database is closed")
	if n := strings.Count(s.logs.String(), "request failed"); n != 1 {
		t.Errorf("logged %d times, want once", n)
	}
}

// TestTelemetrySeams: the site uses telemetry's request ids (an incoming id
// only from a trusted proxy) and calls the access-log seam.
func TestTelemetrySeams(t *testing.T) {
	s := newSite(t)
	var logged []string
	h, err := New(withMail(t, Deps{
		Store:          s.st,
		Admin:          &staff.Admin{Cipher: newTestCipher(t)},
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")},
		AccessLog: func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				logged = append(logged, r.URL.Path)
				next.ServeHTTP(w, r)
			})
		},
	}))
	if err != nil {
		t.Fatal(err)
	}
	viaProxy := httptest.NewRequest("GET", "/missing-page", nil)
	viaProxy.RemoteAddr = "10.1.2.3:5555"
	viaProxy.Header.Set("X-Request-ID", "tele-123")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, viaProxy)
	wantStatus(t, rec, http.StatusNotFound)
	mustContain(t, rec.Body.String(), "Request id: <code>tele-123</code>")
	// The same header from anyone else is replaced by our own id.
	direct := httptest.NewRequest("GET", "/missing-page", nil)
	direct.RemoteAddr = "203.0.113.9:5555"
	direct.Header.Set("X-Request-ID", "forged-1")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, direct)
	if id := rec.Header().Get("X-Request-ID"); id == "" || id == "forged-1" || strings.Contains(rec.Body.String(), "forged-1") {
		t.Errorf("an untrusted peer's request id was kept: %q", id)
	}
	if len(logged) != 2 || logged[0] != "/missing-page" {
		t.Errorf("access log saw %v", logged)
	}
}
