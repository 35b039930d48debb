package auth

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/store"
)

type sessionEnv struct {
	st  *store.Store
	m   *Manager
	clk *fakeClock
}

func newSessionEnv(t *testing.T) *sessionEnv {
	t.Helper()
	st := newTestStore(t)
	clk := newFakeClock()
	return &sessionEnv{st: st, clk: clk, m: NewManager(st, SessionConfig{Now: clk.Now})}
}

// request builds a GET carrying the given cookies; tls marks it as HTTPS.
func request(secure bool, cookies ...*http.Cookie) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/admin", nil)
	if secure {
		r.TLS = &tls.ConnectionState{}
	}
	for _, c := range cookies {
		r.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	return r
}

// sessionCookie returns the session cookie set on the response.
func sessionCookie(t *testing.T, w *httptest.ResponseRecorder) *http.Cookie {
	t.Helper()
	var found *http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.Name == SecureCookieName || c.Name == InsecureCookieName {
			if found != nil {
				t.Fatalf("two session cookies set: %v and %v", found, c)
			}
			found = c
		}
	}
	if found == nil {
		t.Fatal("no session cookie set")
	}
	return found
}

func (e *sessionEnv) start(t *testing.T, u *store.User, secure bool, cookies ...*http.Cookie) *http.Cookie {
	t.Helper()
	w := httptest.NewRecorder()
	if _, err := e.m.Start(context.Background(), w, request(secure, cookies...), u); err != nil {
		t.Fatalf("Start: %v", err)
	}
	return sessionCookie(t, w)
}

func TestSessionStartAndLoad(t *testing.T) {
	e := newSessionEnv(t)
	u := createUser(t, e.st, "mod@example.ca", store.RoleModerator)
	c := e.start(t, u, false)

	if c.Name != InsecureCookieName || c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" {
		t.Errorf("plain-HTTP cookie attributes wrong: %+v", c)
	}
	if len(c.Value) != 43 {
		t.Errorf("cookie value length %d; want 43 (256 bits base64url)", len(c.Value))
	}
	s, got, err := e.m.Load(request(false, c))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got.ID != u.ID || got.Email != "mod@example.ca" || s.UserID != u.ID {
		t.Errorf("loaded user %d/%s; want %d", got.ID, got.Email, u.ID)
	}
	if !s.ExpiresAt.Equal(e.clk.Now().Add(DefaultAbsoluteLifetime)) {
		t.Errorf("ExpiresAt = %v; want now+12h", s.ExpiresAt)
	}

	// Only SHA-256(id) is stored: the raw id is not a key in the table.
	raw, err := b64url.DecodeString(c.Value)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.GetSession(context.Background(), raw); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("raw id found as a key: %v", err)
	}
	row, err := e.st.GetSession(context.Background(), hashID(raw))
	if err != nil {
		t.Fatalf("hashed id not stored: %v", err)
	}
	if bytes.Contains(row.Data, raw) || bytes.Contains(row.Data, []byte(c.Value)) {
		t.Error("session data contains the raw id")
	}

	// Two sign-ins get different ids.
	if c2 := e.start(t, u, false); c2.Value == c.Value {
		t.Error("two sessions got the same id")
	}
}

func TestSessionCookieOverTLS(t *testing.T) {
	e := newSessionEnv(t)
	u := createUser(t, e.st, "admin@example.ca", store.RoleAdmin)
	c := e.start(t, u, true)
	if c.Name != SecureCookieName || !c.Secure || !c.HttpOnly || c.Path != "/" || c.Domain != "" || c.SameSite != http.SameSiteLaxMode {
		t.Errorf("TLS cookie attributes wrong: %+v", c)
	}
	if _, _, err := e.m.Load(request(true, c)); err != nil {
		t.Fatalf("Load over TLS: %v", err)
	}
	// The same value under the unprefixed name is ignored on TLS requests
	// (anyone on the network could plant that one).
	planted := &http.Cookie{Name: InsecureCookieName, Value: c.Value}
	if _, _, err := e.m.Load(request(true, planted)); !errors.Is(err, ErrNoSession) {
		t.Errorf("unprefixed cookie accepted over TLS: %v", err)
	}

	// Behind a TLS-terminating proxy the caller decides.
	proxied := NewManager(e.st, SessionConfig{Now: e.clk.Now, IsSecure: func(r *http.Request) bool {
		return r.Header.Get("X-Forwarded-Proto") == "https"
	}})
	w := httptest.NewRecorder()
	r := request(false)
	r.Header.Set("X-Forwarded-Proto", "https")
	if _, err := proxied.Start(context.Background(), w, r, u); err != nil {
		t.Fatal(err)
	}
	if pc := sessionCookie(t, w); pc.Name != SecureCookieName || !pc.Secure {
		t.Errorf("proxied TLS cookie = %+v; want __Host- and Secure", pc)
	}
}

func TestSessionFixation(t *testing.T) {
	e := newSessionEnv(t)
	attacker := createUser(t, e.st, "attacker@example.ca", store.RoleModerator)
	victim := createUser(t, e.st, "victim@example.ca", store.RoleAdmin)

	// The attacker gets a valid id and plants it in the victim's browser;
	// the victim then signs in with that cookie present.
	planted := e.start(t, attacker, false)
	fresh := e.start(t, victim, false, planted)
	if fresh.Value == planted.Value {
		t.Fatal("id not rotated at login")
	}
	if _, _, err := e.m.Load(request(false, planted)); !errors.Is(err, ErrNoSession) {
		t.Errorf("planted id still valid after login: %v", err)
	}
	_, u, err := e.m.Load(request(false, fresh))
	if err != nil || u.ID != victim.ID {
		t.Fatalf("new session: %v", err)
	}

	// A planted id that never existed (well-formed random) is simply replaced.
	made := &http.Cookie{Name: InsecureCookieName, Value: strings.Repeat("A", 43)}
	if c := e.start(t, victim, false, made); c.Value == made.Value {
		t.Fatal("attacker-chosen id adopted")
	}
}

func TestSessionIdleTimeout(t *testing.T) {
	e := newSessionEnv(t)
	u := createUser(t, e.st, "idle@example.ca", store.RoleModerator)
	c := e.start(t, u, false)

	// Activity every 29 minutes keeps the session alive (each load touches).
	for i := range 4 {
		e.clk.Advance(29 * time.Minute)
		s, _, err := e.m.Load(request(false, c))
		if err != nil {
			t.Fatalf("activity %d: %v", i, err)
		}
		if !s.LastSeenAt.Equal(e.clk.Now()) {
			t.Fatalf("activity %d: LastSeenAt %v not touched to %v", i, s.LastSeenAt, e.clk.Now())
		}
	}
	// Then 31 minutes of silence ends it, and the row is gone.
	e.clk.Advance(31 * time.Minute)
	if _, _, err := e.m.Load(request(false, c)); !errors.Is(err, ErrNoSession) {
		t.Fatalf("after 31 idle minutes: %v; want ErrNoSession", err)
	}
	raw, _ := b64url.DecodeString(c.Value)
	if _, err := e.st.GetSession(context.Background(), hashID(raw)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("expired session row not deleted: %v", err)
	}
}

func TestSessionTouchIsThrottled(t *testing.T) {
	e := newSessionEnv(t)
	u := createUser(t, e.st, "touch@example.ca", store.RoleModerator)
	c := e.start(t, u, false)
	start := e.clk.Now()
	e.clk.Advance(20 * time.Second)
	s, _, err := e.m.Load(request(false, c))
	if err != nil {
		t.Fatal(err)
	}
	if !s.LastSeenAt.Equal(start) {
		t.Errorf("touched after 20 s (LastSeenAt %v); want writes at most once a minute", s.LastSeenAt)
	}
	e.clk.Advance(time.Minute)
	if s, _, err = e.m.Load(request(false, c)); err != nil || !s.LastSeenAt.Equal(e.clk.Now()) {
		t.Errorf("not touched after 80 s: %v, %v", s.LastSeenAt, err)
	}
}

func TestSessionAbsoluteLifetime(t *testing.T) {
	e := newSessionEnv(t)
	u := createUser(t, e.st, "long@example.ca", store.RoleAdmin)
	c := e.start(t, u, false)
	// Active every 20 minutes for just under 12 hours: still valid.
	for elapsed := time.Duration(0); elapsed+20*time.Minute < 12*time.Hour; elapsed += 20 * time.Minute {
		e.clk.Advance(20 * time.Minute)
		if _, _, err := e.m.Load(request(false, c)); err != nil {
			t.Fatalf("at %v: %v", elapsed+20*time.Minute, err)
		}
	}
	e.clk.Advance(20 * time.Minute) // now 12 h after sign-in
	if _, _, err := e.m.Load(request(false, c)); !errors.Is(err, ErrNoSession) {
		t.Fatalf("at 12 h: %v; want ErrNoSession despite activity", err)
	}
}

func TestSessionDisabledOrDeletedUser(t *testing.T) {
	e := newSessionEnv(t)
	ctx := context.Background()
	u := createUser(t, e.st, "leaver@example.ca", store.RoleModerator)
	c := e.start(t, u, false)

	u.Disabled = true
	if err := e.st.UpdateUser(ctx, u, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.m.Load(request(false, c)); !errors.Is(err, ErrNoSession) {
		t.Fatalf("disabled user's session loads: %v", err)
	}
	// Second line of defence: a session row that exists for a disabled user
	// (e.g. created in a race with the disabling) is refused and deleted.
	raw := bytes.Repeat([]byte{7}, 32)
	now := e.clk.Now()
	if err := e.st.CreateSession(ctx, &store.Session{IDHash: hashID(raw), UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	stray := &http.Cookie{Name: InsecureCookieName, Value: b64url.EncodeToString(raw)}
	if _, _, err := e.m.Load(request(false, stray)); !errors.Is(err, ErrNoSession) {
		t.Fatalf("stray session of disabled user loads: %v", err)
	}
	if _, err := e.st.GetSession(ctx, hashID(raw)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("stray session not deleted: %v", err)
	}
	// And a disabled user cannot start one.
	if _, err := e.m.Start(ctx, httptest.NewRecorder(), request(false), u); err == nil {
		t.Fatal("Start for a disabled user succeeded")
	}
	if _, err := e.m.Start(ctx, httptest.NewRecorder(), request(false), nil); err == nil {
		t.Fatal("Start for nil user succeeded")
	}
}

func TestSessionEndAndEndAll(t *testing.T) {
	e := newSessionEnv(t)
	ctx := context.Background()
	a := createUser(t, e.st, "a@example.ca", store.RoleAdmin)
	b := createUser(t, e.st, "b@example.ca", store.RoleModerator)
	a1, a2, b1 := e.start(t, a, false), e.start(t, a, false), e.start(t, b, false)

	w := httptest.NewRecorder()
	if err := e.m.End(ctx, w, request(false, a1)); err != nil {
		t.Fatal(err)
	}
	cleared := sessionCookie(t, w)
	if cleared.MaxAge >= 0 || cleared.Value != "" {
		t.Errorf("logout cookie %+v does not clear", cleared)
	}
	if _, _, err := e.m.Load(request(false, a1)); !errors.Is(err, ErrNoSession) {
		t.Errorf("session alive after End: %v", err)
	}
	if _, _, err := e.m.Load(request(false, a2)); err != nil {
		t.Errorf("End ended another session: %v", err)
	}
	// End without a cookie is harmless.
	if err := e.m.End(ctx, httptest.NewRecorder(), request(false)); err != nil {
		t.Errorf("End without cookie: %v", err)
	}

	if err := e.m.EndAllForUser(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.m.Load(request(false, a2)); !errors.Is(err, ErrNoSession) {
		t.Errorf("a's second session alive after EndAllForUser: %v", err)
	}
	if _, _, err := e.m.Load(request(false, b1)); err != nil {
		t.Errorf("EndAllForUser(a) ended b's session: %v", err)
	}
}

func TestSessionPendingSecondFactor(t *testing.T) {
	e := newSessionEnv(t)
	ctx := context.Background()
	u := createUser(t, e.st, "totp@example.ca", store.RoleAdmin)

	w := httptest.NewRecorder()
	if _, err := e.m.StartPending(ctx, w, request(false), u); err != nil {
		t.Fatal(err)
	}
	pc := sessionCookie(t, w)
	// Not signed in yet.
	_, _, err := e.m.Load(request(false, pc))
	if !errors.Is(err, ErrSecondFactorPending) || !errors.Is(err, ErrNoSession) {
		t.Fatalf("Load(pending) = %v; want ErrSecondFactorPending (and ErrNoSession)", err)
	}
	ps, pu, err := e.m.LoadPending(request(false, pc))
	if err != nil || pu.ID != u.ID || !ps.Data.PendingSecondFactor {
		t.Fatalf("LoadPending: %v", err)
	}
	// Code accepted: Start rotates the id and the pending id dies.
	full := e.start(t, u, false, pc)
	if full.Value == pc.Value {
		t.Fatal("id not rotated after the second factor")
	}
	if _, _, err := e.m.LoadPending(request(false, pc)); !errors.Is(err, ErrNoSession) {
		t.Errorf("pending id still valid: %v", err)
	}
	if _, _, err := e.m.Load(request(false, full)); err != nil {
		t.Errorf("full session: %v", err)
	}
	// A full session is not a pending one.
	if _, _, err := e.m.LoadPending(request(false, full)); !errors.Is(err, ErrNoSession) {
		t.Errorf("LoadPending(full) = %v", err)
	}
}

func TestSessionPendingExpiresAndLimitsAttempts(t *testing.T) {
	e := newSessionEnv(t)
	ctx := context.Background()
	u := createUser(t, e.st, "slow@example.ca", store.RoleAdmin)

	w := httptest.NewRecorder()
	if _, err := e.m.StartPending(ctx, w, request(false), u); err != nil {
		t.Fatal(err)
	}
	pc := sessionCookie(t, w)
	e.clk.Advance(DefaultPendingLifetime + time.Second)
	if _, _, err := e.m.LoadPending(request(false, pc)); !errors.Is(err, ErrNoSession) {
		t.Fatalf("pending session after 5 min: %v", err)
	}

	w = httptest.NewRecorder()
	if _, err := e.m.StartPending(ctx, w, request(false), u); err != nil {
		t.Fatal(err)
	}
	pc = sessionCookie(t, w)
	for i := 1; i <= MaxSecondFactorAttempts; i++ {
		s, _, err := e.m.LoadPending(request(false, pc))
		if err != nil {
			t.Fatalf("attempt %d: %v", i, err)
		}
		ended, err := e.m.FailSecondFactor(ctx, httptest.NewRecorder(), request(false, pc), s)
		if err != nil {
			t.Fatal(err)
		}
		if ended != (i == MaxSecondFactorAttempts) {
			t.Fatalf("attempt %d: ended = %v", i, ended)
		}
	}
	if _, _, err := e.m.LoadPending(request(false, pc)); !errors.Is(err, ErrNoSession) {
		t.Fatalf("pending session alive after %d wrong codes: %v", MaxSecondFactorAttempts, err)
	}
}

func TestSessionFlash(t *testing.T) {
	e := newSessionEnv(t)
	ctx := context.Background()
	u := createUser(t, e.st, "flash@example.ca", store.RoleModerator)
	c := e.start(t, u, false)
	s, _, err := e.m.Load(request(false, c))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.m.SetFlash(ctx, s, "success", "Case published."); err != nil {
		t.Fatal(err)
	}
	s, _, err = e.m.Load(request(false, c))
	if err != nil {
		t.Fatal(err)
	}
	f, err := e.m.TakeFlash(ctx, s)
	if err != nil || f == nil || f.Kind != "success" || f.Message != "Case published." {
		t.Fatalf("TakeFlash = %+v, %v", f, err)
	}
	s, _, err = e.m.Load(request(false, c))
	if err != nil {
		t.Fatal(err)
	}
	if f, err := e.m.TakeFlash(ctx, s); f != nil || err != nil {
		t.Fatalf("flash shown twice: %+v, %v", f, err)
	}
}

func TestSessionEnrolmentSecretSealed(t *testing.T) {
	e := newSessionEnv(t)
	ctx := context.Background()
	u := createUser(t, e.st, "enrol@example.ca", store.RoleAdmin)
	c := e.start(t, u, false)
	s, _, err := e.m.Load(request(false, c))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.EnrolmentSecret(); !errors.Is(err, ErrNoEnrolment) {
		t.Fatalf("before enrolment: %v", err)
	}
	secret, err := GenerateTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.m.SetEnrolmentSecret(ctx, s, secret); err != nil {
		t.Fatal(err)
	}
	// Not in the database in any readable form.
	raw, _ := b64url.DecodeString(c.Value)
	row, err := e.st.GetSession(ctx, hashID(raw))
	if err != nil {
		t.Fatal(err)
	}
	key, _ := decodeTOTPSecret(secret)
	for _, form := range [][]byte{[]byte(secret), []byte(strings.ToLower(secret)), key} {
		if bytes.Contains(row.Data, form) {
			t.Fatal("enrolment secret stored in plaintext")
		}
	}
	// A later request (fresh load from the DB) can open it.
	s2, _, err := e.m.Load(request(false, c))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s2.EnrolmentSecret(); err != nil || got != secret {
		t.Fatalf("EnrolmentSecret = %q, %v", got, err)
	}
	// Copied into another session (even of the same user), it does not open:
	// the key comes from the cookie of the session that sealed it.
	other := e.start(t, u, false)
	s3, _, err := e.m.Load(request(false, other))
	if err != nil {
		t.Fatal(err)
	}
	s3.Data.SealedEnrolment = s2.Data.SealedEnrolment
	if _, err := s3.EnrolmentSecret(); !errors.Is(err, ErrNoEnrolment) {
		t.Fatalf("sealed secret opened in another session: %v", err)
	}
	// Tampering is detected.
	s2.Data.SealedEnrolment[len(s2.Data.SealedEnrolment)-1] ^= 1
	if _, err := s2.EnrolmentSecret(); !errors.Is(err, ErrNoEnrolment) {
		t.Fatalf("tampered secret opened: %v", err)
	}
	s2.Data.SealedEnrolment = []byte{1, 2, 3}
	if _, err := s2.EnrolmentSecret(); !errors.Is(err, ErrNoEnrolment) {
		t.Fatalf("truncated secret: %v", err)
	}
	if err := e.m.ClearEnrolment(ctx, s2); err != nil {
		t.Fatal(err)
	}
	s4, _, err := e.m.Load(request(false, c))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s4.EnrolmentSecret(); !errors.Is(err, ErrNoEnrolment) {
		t.Fatalf("after ClearEnrolment: %v", err)
	}
}

func TestSessionHostileCookies(t *testing.T) {
	e := newSessionEnv(t)
	u := createUser(t, e.st, "h@example.ca", store.RoleAdmin)
	good := e.start(t, u, false)
	for name, v := range map[string]string{
		"empty":            "",
		"short":            "abc",
		"one char short":   good.Value[:42],
		"one char long":    good.Value + "A",
		"10KB":             strings.Repeat("A", 10*1024),
		"bad base64":       strings.Repeat("!", 43),
		"padded":           good.Value[:40] + "===",
		"NUL":              good.Value[:42] + "\x00",
		"invalid UTF-8":    good.Value[:42] + "\xff",
		"std base64 chars": strings.Repeat("+", 43),
		"sql":              "' OR 1=1 --" + strings.Repeat("A", 32),
	} {
		t.Run(name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/admin", nil)
			r.Header.Set("Cookie", InsecureCookieName+"="+v)
			if _, _, err := e.m.Load(r); !errors.Is(err, ErrNoSession) {
				t.Fatalf("Load = %v; want ErrNoSession", err)
			}
			if _, _, err := e.m.LoadPending(r); !errors.Is(err, ErrNoSession) {
				t.Fatalf("LoadPending = %v; want ErrNoSession", err)
			}
			if err := e.m.End(context.Background(), httptest.NewRecorder(), r); err != nil {
				t.Fatalf("End = %v", err)
			}
		})
	}
	// Two cookies of the same name: only the first is considered, and it is
	// junk, so no session (never an error).
	r := httptest.NewRequest(http.MethodGet, "/admin", nil)
	r.Header.Set("Cookie", InsecureCookieName+"=junk; "+InsecureCookieName+"="+good.Value)
	if _, _, err := e.m.Load(r); err != nil && !errors.Is(err, ErrNoSession) {
		t.Fatalf("duplicate cookies: %v", err)
	}
}

func TestSessionDeleteExpired(t *testing.T) {
	e := newSessionEnv(t)
	ctx := context.Background()
	u := createUser(t, e.st, "gc@example.ca", store.RoleModerator)
	old := e.start(t, u, false)
	e.clk.Advance(20 * time.Minute)
	fresh := e.start(t, u, false)
	e.clk.Advance(15 * time.Minute) // old idle 35 min, fresh 15 min
	n, err := e.m.DeleteExpired(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("deleted %d; want 1", n)
	}
	if _, _, err := e.m.Load(request(false, fresh)); err != nil {
		t.Errorf("fresh session deleted: %v", err)
	}
	if _, _, err := e.m.Load(request(false, old)); !errors.Is(err, ErrNoSession) {
		t.Errorf("old session alive: %v", err)
	}
}

func TestSessionConfigDefaults(t *testing.T) {
	m := NewManager(nil, SessionConfig{})
	if m.cfg.IdleTimeout != 30*time.Minute || m.cfg.AbsoluteLifetime != 12*time.Hour || m.cfg.PendingLifetime != 5*time.Minute {
		t.Errorf("defaults: %+v", m.cfg)
	}
	if m.touchInterval() != time.Minute {
		t.Errorf("touch interval %v", m.touchInterval())
	}
	short := NewManager(nil, SessionConfig{IdleTimeout: 2 * time.Minute})
	if short.touchInterval() != 12*time.Second {
		t.Errorf("touch interval with 2 min idle = %v; want 12s", short.touchInterval())
	}
}
