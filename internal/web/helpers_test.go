package web

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/mail"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
	"lostinnl/internal/web/staff"
)

// testCipher really encrypts (AES-256-GCM, associated data = table, column,
// row id) so tests can prove plaintext never reaches sealed columns.
type testCipher struct{ aead cipher.AEAD }

func newTestCipher(t testing.TB) *testCipher {
	t.Helper()
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	return &testCipher{aead: aead}
}

// ad binds a value to its row's seal token, or its id when it has none.
func (c *testCipher) ad(table, column string, id int64, token []byte) []byte {
	b := []byte(table + "\x00" + column + "\x00")
	if len(token) > 0 {
		return append(append(b, "token:"...), token...)
	}
	return binary.BigEndian.AppendUint64(b, uint64(id))
}

func (c *testCipher) SealRow(_ context.Context, table string, id int64, token []byte, columns []string, values [][]byte) ([][]byte, error) {
	out := make([][]byte, len(values))
	for i, v := range values {
		if len(v) == 0 {
			continue
		}
		nonce := make([]byte, c.aead.NonceSize())
		if _, err := rand.Read(nonce); err != nil {
			return nil, err
		}
		out[i] = c.aead.Seal(nonce, nonce, v, c.ad(table, columns[i], id, token))
	}
	return out, nil
}

// Open and OpenRowOrUnreadable make testCipher the admin area's Cipher, so
// every test site has the admin area (it is a required part of the site).
func (c *testCipher) Open(_ context.Context, sealed []byte, table, column string, id int64) ([]byte, error) {
	return c.openRow(sealed, table, column, id, nil)
}

func (c *testCipher) OpenRowOrUnreadable(_ context.Context, sealed []byte, table, column string, id int64, token []byte) string {
	if sealed == nil {
		return ""
	}
	pt, err := c.openRow(sealed, table, column, id, token)
	if err != nil {
		return kit.Unreadable
	}
	return string(pt)
}

func (c *testCipher) openRow(b []byte, table, column string, id int64, token []byte) ([]byte, error) {
	n := c.aead.NonceSize()
	if len(b) < n {
		return nil, errors.New("test cipher: sealed value too short")
	}
	return c.aead.Open(nil, b[:n], b[n:], c.ad(table, column, id, token))
}

// open opens a value of row id whose seal token is token (nil for none).
func (c *testCipher) open(t *testing.T, b []byte, table, column string, id int64, token []byte) string {
	t.Helper()
	n := c.aead.NonceSize()
	if len(b) < n {
		t.Fatalf("sealed %s.%s too short", table, column)
	}
	pt, err := c.aead.Open(nil, b[:n], b[n:], c.ad(table, column, id, token))
	if err != nil {
		t.Fatalf("open %s.%s: %v", table, column, err)
	}
	return string(pt)
}

// site is the real router over a real SQLite store in t.TempDir().
type testSite struct {
	t      *testing.T
	h      http.Handler
	web    *handler
	st     *store.Store
	cipher *testCipher
	logs   *syncBuffer
	// allow5xx lets one test expect server errors on purpose.
	allow5xx bool
}

type syncBuffer struct {
	mu  chan struct{}
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu <- struct{}{}
	defer func() { <-b.mu }()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu <- struct{}{}
	defer func() { <-b.mu }()
	return b.buf.String()
}

// fixedNow is the tests' clock: a Friday evening in St. John's.
var fixedNow = time.Date(2026, 11, 27, 22, 0, 0, 0, time.UTC)

func newSite(t *testing.T, mods ...func(*Deps)) *testSite {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "web.db"), store.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	c := newTestCipher(t)
	st.SetCipher(c)
	logs := &syncBuffer{mu: make(chan struct{}, 1)}
	d := Deps{
		Store:         st,
		Logger:        slog.New(slog.NewTextHandler(logs, nil)),
		BaseURL:       "https://missing.example.ca",
		FormRateLimit: 6000, // generous: tests post many forms
		FormRateBurst: 1000,
		Now:           func() time.Time { return fixedNow },
		Admin:         &staff.Admin{Cipher: c, Hasher: testHasher()},
	}
	d = withMail(t, d)
	for _, m := range mods {
		m(&d)
	}
	// The same construction as New, keeping the *handler for white-box
	// checks (purgePageCache).
	hh, mux, err := newHandler(d)
	if err != nil {
		t.Fatal(err)
	}
	return &testSite{t: t, h: hh.chain(mux, d), web: hh, st: st, cipher: c, logs: logs}
}

func (s *testSite) purge() { s.web.purgePageCache() }

// do serves req and fails the test on any 5xx unless allowed: "no request
// ever gets a 500" is checked on every request of every test.
func (s *testSite) do(req *http.Request) *httptest.ResponseRecorder {
	s.t.Helper()
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	if rec.Code >= 500 && !s.allow5xx {
		s.t.Fatalf("%s %s: status %d (server error)\n%s\nlogs:\n%s", req.Method, req.URL, rec.Code, truncate(rec.Body.String(), 2000), s.logs.String())
	}
	return rec
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func (s *testSite) get(target string) *httptest.ResponseRecorder {
	s.t.Helper()
	return s.do(httptest.NewRequest(http.MethodGet, target, nil))
}

func (s *testSite) post(target string, vals url.Values) *httptest.ResponseRecorder {
	s.t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return s.do(req)
}

// postMultipart sends fields and files (name → content) like a browser.
func (s *testSite) postMultipart(target string, vals url.Values, files map[string][]byte) *httptest.ResponseRecorder {
	s.t.Helper()
	body, ct := multipartBody(s.t, vals, files)
	req := httptest.NewRequest(http.MethodPost, target, body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return s.do(req)
}

func multipartBody(t *testing.T, vals url.Values, files map[string][]byte) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range vals {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Files go in name order, so a test can tell which one is "Photo 2".
	for _, name := range slices.Sorted(maps.Keys(files)) {
		data := files[name]
		fw, err := mw.CreateFormFile("photos", name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, mw.FormDataContentType()
}

// addCase stores a case in the given status with sensible defaults.
func (s *testSite) addCase(status store.Status, mod func(*store.Case)) int64 {
	s.t.Helper()
	ctx := context.Background()
	age, h, w := 34, 170, 70
	c := &store.Case{
		Status:           store.StatusMissing,
		FullName:         "Wanda Testcase",
		Sex:              "female",
		Age:              &age,
		HeightCM:         &h,
		WeightKG:         &w,
		HairColour:       "brown",
		EyeColour:        "green",
		Clothing:         "Red rain jacket",
		LastSeenDate:     time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
		LastSeenTime:     "21:30",
		LastSeenPlace:    "Water Street",
		Community:        "St. John's",
		Region:           "Avalon",
		Circumstances:    "Left home on foot in the evening.",
		PoliceAgency:     "RNC",
		PoliceFileNumber: "TEST-0001",
		PolicePhone:      "709-729-8000",
		PoliceVerified:   true,
	}
	if mod != nil {
		mod(c)
	}
	initial := store.StatusMissing
	if status == store.StatusPending || status == store.StatusRejected {
		initial = store.StatusPending
	}
	c.Status = initial
	id, err := s.st.CreateCase(ctx, c, store.ReporterContact{Name: "Rita Reporter", Phone: "709-555-0100", Email: "rita@example.com", Relationship: "sister"}, nil, nil)
	if err != nil {
		s.t.Fatalf("create case: %v", err)
	}
	var path []store.Status
	switch status {
	case store.StatusLocated:
		path = []store.Status{store.StatusLocated}
	case store.StatusArchived:
		path = []store.Status{store.StatusArchived}
	case store.StatusRejected:
		path = []store.Status{store.StatusRejected}
	}
	for _, to := range path {
		if err := s.st.TransitionCase(ctx, id, to, "test", nil); err != nil {
			s.t.Fatalf("transition %d to %s: %v", id, to, err)
		}
	}
	return id
}

func mustContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("body does not contain %q\n%s", w, truncate(body, 3000))
		}
	}
}

func mustNotContain(t *testing.T, body string, bads ...string) {
	t.Helper()
	for _, b := range bads {
		if strings.Contains(body, b) {
			t.Errorf("body contains %q", b)
		}
	}
}

func wantStatus(t *testing.T, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("status %d, want %d\n%s", rec.Code, want, truncate(rec.Body.String(), 3000))
	}
}

// testMailMaster is the tests' mail master key (mail.NewKeys): fixed, so a
// test can sign links the site accepts.
var testMailMaster = bytes.Repeat([]byte{7}, 32)

// withMail fills the required mail wiring of d (keys and templates).
func withMail(t testing.TB, d Deps) Deps {
	t.Helper()
	tpl, err := mail.LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	d.MailKeys, d.MailTemplates = mail.NewKeys(testMailMaster), tpl
	return d
}
