package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"lostinnl/internal/auth"
	"lostinnl/internal/media"
	"lostinnl/internal/secrets"
	"lostinnl/internal/store"
	"lostinnl/internal/web/staff"
)

// testClock is the admin tests' clock; tests move it forward.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// adminSite is the real router over a real SQLite store, with real auth
// (cheap argon2 parameters), the real field cipher of internal/secrets with
// a base64key keeper, and the real photo pipeline over an in-memory bucket.
type adminSite struct {
	t      *testing.T
	h      http.Handler
	st     *store.Store
	cipher *secrets.FieldCipher
	bucket *media.Bucket
	clock  *testClock
	logs   *syncBuffer
	hasher *auth.Hasher
}

// testHasher makes argon2id cheap enough for many sign-ins under -race;
// the parameters are still recorded in each hash, like production ones.
func testHasher() *auth.Hasher {
	return auth.NewHasher(auth.Params{Memory: 256, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 4)
}

func newAdminSite(t *testing.T, mods ...func(*Deps)) *adminSite {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "admin.db"), store.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	keeper, err := secrets.OpenKeeper(ctx, "base64key://"+base64.URLEncoding.EncodeToString(key), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = keeper.Close() })
	logs := &syncBuffer{mu: make(chan struct{}, 1)}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	fc := secrets.NewFieldCipher(keeper, logger)
	st.SetCipher(fc)
	bucket, err := media.OpenBucket(ctx, "mem://", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bucket.Close() })
	clock := &testClock{t: fixedNow}
	s := &adminSite{t: t, st: st, cipher: fc, bucket: bucket, clock: clock, logs: logs, hasher: testHasher()}
	d := Deps{
		Store:         st,
		Logger:        logger,
		BaseURL:       "https://missing.example.ca",
		FormRateLimit: 6000,
		FormRateBurst: 1000,
		Now:           clock.Now,
		Pipeline:      media.NewPipeline(media.Config{}, nil),
		Bucket:        bucket,
		Uploads:       testSpool(t),
		Admin:         &staff.Admin{Cipher: fc, Hasher: s.hasher, RetentionDays: 30},
	}
	d = withMail(t, d)
	for _, m := range mods {
		m(&d)
	}
	h, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	s.h = h
	return s
}

// browser keeps cookies like a browser would, for one person.
type browser struct {
	s       *adminSite
	cookies map[string]*http.Cookie
	ip      string
}

func (s *adminSite) browser() *browser {
	return &browser{s: s, cookies: map[string]*http.Cookie{}, ip: "192.0.2.10"}
}

func (b *browser) do(req *http.Request) *httptest.ResponseRecorder {
	b.s.t.Helper()
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	if b.ip != "" {
		req.RemoteAddr = b.ip + ":40000"
	}
	rec := httptest.NewRecorder()
	b.s.h.ServeHTTP(rec, req)
	if rec.Code >= 500 {
		b.s.t.Fatalf("%s %s: status %d (server error)\n%s\nlogs:\n%s", req.Method, req.URL, rec.Code, truncate(rec.Body.String(), 2000), b.s.logs.String())
	}
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return rec
}

func (b *browser) get(target string) *httptest.ResponseRecorder {
	b.s.t.Helper()
	return b.do(httptest.NewRequest(http.MethodGet, target, nil))
}

func (b *browser) post(target string, vals url.Values) *httptest.ResponseRecorder {
	b.s.t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

func (b *browser) postFiles(target string, vals url.Values, files map[string][]byte) *httptest.ResponseRecorder {
	b.s.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range vals {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				b.s.t.Fatal(err)
			}
		}
	}
	for name, data := range files {
		fw, err := mw.CreateFormFile("photos", name)
		if err != nil {
			b.s.t.Fatal(err)
		}
		if _, err := fw.Write(data); err != nil {
			b.s.t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		b.s.t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, target, io.Reader(&buf))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// sessionCookie is the browser's session cookie value ("" if none).
func (b *browser) sessionCookie() string {
	if c := b.cookies[auth.InsecureCookieName]; c != nil {
		return c.Value
	}
	return ""
}

const testPassword = "correct horse battery staple"

// addUser creates a staff account; with totp it enrols a second factor and
// returns its secret.
func (s *adminSite) addUser(email string, role store.Role, totp bool) (*store.User, string) {
	s.t.Helper()
	ctx := context.Background()
	hash, err := s.hasher.Hash(ctx, testPassword)
	if err != nil {
		s.t.Fatal(err)
	}
	u := &store.User{Email: email, DisplayName: strings.Split(email, "@")[0], Role: role, PasswordHash: hash}
	if _, err := s.st.CreateUser(ctx, u, nil); err != nil {
		s.t.Fatal(err)
	}
	secret := ""
	if totp {
		if secret, err = auth.GenerateTOTPSecret(); err != nil {
			s.t.Fatal(err)
		}
		_, stored, err := auth.GenerateRecoveryCodes()
		if err != nil {
			s.t.Fatal(err)
		}
		if err := s.st.SetTOTP(ctx, u.ID, []byte(secret), stored, nil); err != nil {
			s.t.Fatal(err)
		}
	}
	got, err := s.st.GetUser(ctx, u.ID)
	if err != nil {
		s.t.Fatal(err)
	}
	return got, secret
}

// signIn signs a new browser in with the password (and the current TOTP
// code when secret is set) and checks it landed in the admin area.
func (s *adminSite) signIn(email, secret string) *browser {
	s.t.Helper()
	b := s.browser()
	rec := b.post("/admin/login", url.Values{"email": {email}, "password": {testPassword}})
	if rec.Code != http.StatusSeeOther {
		s.t.Fatalf("password step: status %d\n%s", rec.Code, truncate(rec.Body.String(), 2000))
	}
	if secret != "" {
		code, err := auth.TOTPCode(secret, s.clock.Now())
		if err != nil {
			s.t.Fatal(err)
		}
		rec = b.post("/admin/login", url.Values{"code": {code}})
		if rec.Code != http.StatusSeeOther {
			s.t.Fatalf("code step: status %d\n%s", rec.Code, truncate(rec.Body.String(), 2000))
		}
	}
	if loc := rec.Header().Get("Location"); loc != "/admin" && !strings.HasPrefix(loc, "/admin/") {
		s.t.Fatalf("signed in, redirected to %q", loc)
	}
	return b
}

// staff returns signed-in browsers for a moderator and an admin.
func (s *adminSite) staff() (mod, adm *browser) {
	s.t.Helper()
	s.addUser("mod@example.org", store.RoleModerator, false)
	s.addUser("admin@example.org", store.RoleAdmin, false)
	return s.signIn("mod@example.org", ""), s.signIn("admin@example.org", "")
}

// addCase stores a case in status with a sealed reporter contact.
func (s *adminSite) addCase(status store.Status, mod func(*store.Case)) int64 {
	s.t.Helper()
	ws := &testSite{t: s.t, st: s.st}
	return ws.addCase(status, mod)
}

// addTip stores a tip with a sealed contact on a public case.
func (s *adminSite) addTip(caseID int64, msg string, contact store.TipContact) int64 {
	s.t.Helper()
	id, err := s.st.CreateTip(context.Background(), &store.Tip{CaseID: caseID, Message: msg, State: store.TipNew}, contact)
	if err != nil {
		s.t.Fatal(err)
	}
	return id
}

// audit returns the audit entries with action, newest first.
func (s *adminSite) audit(action string) []store.AuditEntry {
	s.t.Helper()
	es, _, err := s.st.ListAudit(context.Background(), store.AuditFilter{Action: action, PerPage: 200})
	if err != nil {
		s.t.Fatal(err)
	}
	return es
}

// testPNG is a small real image for the photo pipeline.
func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var locationRe = regexp.MustCompile(`^/admin/login(\?next=[^ ]*)?$`)

func wantLoginRedirect(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code != http.StatusSeeOther || !locationRe.MatchString(rec.Header().Get("Location")) {
		t.Fatalf("status %d, Location %q; want 303 to the login page", rec.Code, rec.Header().Get("Location"))
	}
}
