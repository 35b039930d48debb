package auth

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"lostinnl/internal/store"
)

// SessionStore is what the session manager needs from the database;
// *store.Store satisfies it. Sessions live in the database (not in memory and
// not in a signed cookie) so several instances share them and so logout and
// disabling a user take effect at once everywhere.
type SessionStore interface {
	CreateSession(ctx context.Context, sess *store.Session) error
	GetSession(ctx context.Context, idHash []byte) (*store.Session, error)
	TouchSession(ctx context.Context, idHash []byte, at time.Time) error
	SetSessionData(ctx context.Context, idHash []byte, data []byte) error
	DeleteSession(ctx context.Context, idHash []byte) error
	DeleteUserSessions(ctx context.Context, userID int64) error
	DeleteExpiredSessions(ctx context.Context, idleBefore, now time.Time) (int64, error)
	GetUser(ctx context.Context, id int64) (*store.User, error)
	// TakeSecondFactorTry atomically takes one of max code checks of a
	// pending session: the try's number, 0 when none are left.
	TakeSecondFactorTry(ctx context.Context, idHash []byte, max int) (int, error)
}

// Cookie names. Browsers accept a "__Host-" cookie only when it is Secure,
// has Path=/ and no Domain, and was set over HTTPS; in return no subdomain or
// plain-HTTP page can set or overwrite it (no cookie tossing, no fixation from
// a sibling host). On plain HTTP (local development, tests, `lostinnl serve`
// with no TLS in front) a __Host- cookie would be silently dropped, so the
// unprefixed name is used there — and only there: a TLS request never reads
// the unprefixed cookie, since anyone on the network could have planted it.
const (
	SecureCookieName   = "__Host-lostinnl_session"
	InsecureCookieName = "lostinnl_session"
)

// Defaults of SessionConfig.
const (
	DefaultIdleTimeout      = 30 * time.Minute
	DefaultAbsoluteLifetime = 12 * time.Hour
	// DefaultPendingLifetime: how long the second-factor step may take after
	// the password was accepted.
	DefaultPendingLifetime = 5 * time.Minute
	// MaxSecondFactorAttempts wrong codes end the pending session, so a
	// stolen password alone cannot be used to walk through the 10^6 codes;
	// the attacker must start over with the password (which is throttled).
	MaxSecondFactorAttempts = 5
)

const sessionIDBytes = 32 // 256 bits

var b64url = base64.RawURLEncoding

// Session errors.
var (
	// ErrNoSession: the request is not signed in (no cookie, unknown or
	// expired id, disabled or deleted user). Treat as anonymous.
	ErrNoSession = errors.New("auth: no valid session")
	// ErrSecondFactorPending: the password step succeeded but the second
	// factor has not been given. errors.Is(err, ErrNoSession) is also true,
	// so code that only checks ErrNoSession treats the request as anonymous.
	ErrSecondFactorPending = fmt.Errorf("%w: second factor pending", ErrNoSession)
	// ErrNoEnrolment: no TOTP enrolment is in progress in this session.
	ErrNoEnrolment = errors.New("auth: no TOTP enrolment in progress")
	// ErrTooManyCodes: the pending sign-in had used all its code checks and
	// has been ended; the user starts again with the password. It is also
	// ErrNoSession.
	ErrTooManyCodes = fmt.Errorf("%w: too many wrong second-factor codes", ErrNoSession)
)

// SessionConfig configures a Manager. Zero values take the defaults.
type SessionConfig struct {
	IdleTimeout      time.Duration
	AbsoluteLifetime time.Duration
	PendingLifetime  time.Duration
	// IsSecure reports whether the client reached us over HTTPS. Default:
	// r.TLS != nil. Behind a reverse proxy the web layer passes a function
	// that also trusts X-Forwarded-Proto from the configured trusted proxies.
	IsSecure func(r *http.Request) bool
	// Now is the clock (injectable for tests). Default time.Now.
	Now func() time.Time
}

// Manager creates, loads and ends sessions. Safe for concurrent use.
type Manager struct {
	st  SessionStore
	cfg SessionConfig
}

// NewManager returns a Manager storing sessions in st.
func NewManager(st SessionStore, cfg SessionConfig) *Manager {
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.AbsoluteLifetime <= 0 {
		cfg.AbsoluteLifetime = DefaultAbsoluteLifetime
	}
	if cfg.PendingLifetime <= 0 {
		cfg.PendingLifetime = DefaultPendingLifetime
	}
	if cfg.IsSecure == nil {
		cfg.IsSecure = func(r *http.Request) bool { return r.TLS != nil }
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Manager{st: st, cfg: cfg}
}

// Flash is a one-time message shown on the next page (after a redirect).
type Flash struct {
	Kind    string `json:"k"` // e.g. "success", "error"; the web layer decides
	Message string `json:"m"`
}

// SessionData is the small typed state kept with a session (JSON in the
// sessions.data column). It never holds secrets in plaintext: the TOTP secret
// of an enrolment in progress is sealed (see SetEnrolmentSecret).
type SessionData struct {
	// PendingSecondFactor: the password was right, the code is still due.
	// Such a session authenticates nothing; only LoadPending returns it.
	// The count of codes checked is sessions.second_factor_tries, not
	// here: a read-modify-write of this JSON would let parallel wrong codes
	// all see the same count.
	PendingSecondFactor bool   `json:"p2f,omitempty"`
	Flash               *Flash `json:"fl,omitempty"`
	// SealedEnrolment is the TOTP secret being enrolled, sealed with a key
	// only the cookie holder can derive. Use SetEnrolmentSecret /
	// EnrolmentSecret rather than this field.
	SealedEnrolment []byte `json:"enr,omitempty"`
}

// Session is a loaded or newly started session.
type Session struct {
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	Data       SessionData

	idHash []byte // SHA-256 of the raw id: the database key
	rawID  []byte // the cookie's 32 bytes; never stored server-side
	try    int    // the second-factor try this request took (0: none yet)
}

func hashID(raw []byte) []byte {
	h := sha256.Sum256(raw)
	return h[:]
}

// CookieName is the session cookie name for this request (see the constants).
func (m *Manager) CookieName(r *http.Request) string {
	if m.cfg.IsSecure(r) {
		return SecureCookieName
	}
	return InsecureCookieName
}

// readID returns the raw id from the request's cookie, or nil when there is
// none or it is not exactly what we issue (so junk never reaches the DB).
func (m *Manager) readID(r *http.Request) []byte {
	c, err := r.Cookie(m.CookieName(r))
	if err != nil || len(c.Value) != b64url.EncodedLen(sessionIDBytes) {
		return nil
	}
	raw, err := b64url.Strict().DecodeString(c.Value)
	if err != nil || len(raw) != sessionIDBytes {
		return nil
	}
	return raw
}

func (m *Manager) setCookie(w http.ResponseWriter, r *http.Request, raw []byte) {
	// No Expires/Max-Age: a browser-session cookie, so closing the browser on
	// a shared computer signs out. The server enforces idle and absolute
	// limits whatever the browser keeps.
	http.SetCookie(w, &http.Cookie{
		Name:     m.CookieName(r),
		Value:    b64url.EncodeToString(raw),
		Path:     "/",
		Secure:   m.cfg.IsSecure(r),
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	})
}

// ClearCookie tells the browser to drop the session cookie. The web layer
// calls it when Load returns ErrNoSession for a request that carried one.
func (m *Manager) ClearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name:     m.CookieName(r),
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		Secure:   m.cfg.IsSecure(r),
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	})
}

// HasCookie reports whether the request carries a well-formed session cookie
// (valid or not), so the caller knows whether clearing it is worthwhile.
func (m *Manager) HasCookie(r *http.Request) bool { return m.readID(r) != nil }

// Start signs user in: it deletes the session the request arrived with (if
// any — e.g. the pending second-factor session, or an id planted by an
// attacker) and issues a brand-new id, so an id known before login is
// worthless after it (session fixation).
func (m *Manager) Start(ctx context.Context, w http.ResponseWriter, r *http.Request, user *store.User) (*Session, error) {
	return m.start(ctx, w, r, user, false)
}

// StartPending records that user passed the password step and must now give
// a second factor. Like Start it rotates the id. The pending session lasts
// PendingLifetime; Load refuses it with ErrSecondFactorPending.
func (m *Manager) StartPending(ctx context.Context, w http.ResponseWriter, r *http.Request, user *store.User) (*Session, error) {
	return m.start(ctx, w, r, user, true)
}

func (m *Manager) start(ctx context.Context, w http.ResponseWriter, r *http.Request, user *store.User, pending bool) (*Session, error) {
	if user == nil || user.ID <= 0 || user.Disabled {
		return nil, errors.New("auth: start session: no user, or user disabled")
	}
	if old := m.readID(r); old != nil {
		if err := m.st.DeleteSession(ctx, hashID(old)); err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("auth: start session: delete previous: %w", err)
		}
	}
	raw := make([]byte, sessionIDBytes)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("auth: start session: %w", err)
	}
	now := m.cfg.Now()
	s := &Session{
		UserID:     user.ID,
		CreatedAt:  now,
		LastSeenAt: now,
		ExpiresAt:  now.Add(m.cfg.AbsoluteLifetime),
		idHash:     hashID(raw),
		rawID:      raw,
	}
	if pending {
		s.ExpiresAt = now.Add(m.cfg.PendingLifetime)
		s.Data.PendingSecondFactor = true
	}
	data, err := json.Marshal(s.Data)
	if err != nil {
		return nil, fmt.Errorf("auth: start session: %w", err)
	}
	row := &store.Session{IDHash: s.idHash, UserID: s.UserID, CreatedAt: now, LastSeenAt: now, ExpiresAt: s.ExpiresAt, Data: data}
	if err := m.st.CreateSession(ctx, row); err != nil {
		return nil, fmt.Errorf("auth: start session: %w", err)
	}
	m.setCookie(w, r, raw)
	return s, nil
}

// Load returns the signed-in session and its user. It returns ErrNoSession
// (possibly as ErrSecondFactorPending) when the request is not signed in, and
// a wrapped error only for real failures (database down), which the caller
// turns into a 500. Expired sessions and sessions of disabled or deleted
// users are deleted on sight.
func (m *Manager) Load(r *http.Request) (*Session, *store.User, error) {
	s, u, err := m.load(r)
	if err != nil {
		return nil, nil, err
	}
	if s.Data.PendingSecondFactor {
		return nil, nil, ErrSecondFactorPending
	}
	return s, u, nil
}

// LoadPending returns the session of a login waiting for its second factor;
// ErrNoSession when there is none (or a full session instead).
func (m *Manager) LoadPending(r *http.Request) (*Session, *store.User, error) {
	s, u, err := m.load(r)
	if err != nil {
		return nil, nil, err
	}
	if !s.Data.PendingSecondFactor {
		return nil, nil, ErrNoSession
	}
	return s, u, nil
}

func (m *Manager) load(r *http.Request) (*Session, *store.User, error) {
	ctx := r.Context()
	raw := m.readID(r)
	if raw == nil {
		return nil, nil, ErrNoSession
	}
	idHash := hashID(raw)
	row, err := m.st.GetSession(ctx, idHash)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, ErrNoSession
	}
	if err != nil {
		return nil, nil, fmt.Errorf("auth: load session: %w", err)
	}
	now := m.cfg.Now()
	if !now.Before(row.ExpiresAt) || now.Sub(row.LastSeenAt) > m.cfg.IdleTimeout {
		return nil, nil, m.discard(ctx, idHash)
	}
	var data SessionData
	if len(row.Data) > 0 {
		if err := json.Unmarshal(row.Data, &data); err != nil {
			// Unreadable data (e.g. written by an incompatible version):
			// sign the user out rather than guess.
			return nil, nil, m.discard(ctx, idHash)
		}
	}
	u, err := m.st.GetUser(ctx, row.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, m.discard(ctx, idHash)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("auth: load session: user: %w", err)
	}
	if u.Disabled {
		// Disabling already deletes sessions in the store; this is the
		// second line of defence for rows that survived (e.g. a race).
		return nil, nil, m.discard(ctx, idHash)
	}
	s := &Session{
		UserID: row.UserID, CreatedAt: row.CreatedAt, LastSeenAt: row.LastSeenAt, ExpiresAt: row.ExpiresAt,
		Data: data, idHash: idHash, rawID: raw,
	}
	// Writing last_seen_at on every request would turn every page view into
	// a database write; once per touchInterval is enough. The cost: a session
	// may expire up to touchInterval early, the safe direction.
	if !data.PendingSecondFactor && now.Sub(row.LastSeenAt) >= m.touchInterval() {
		if err := m.st.TouchSession(ctx, idHash, now); err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, nil, fmt.Errorf("auth: load session: touch: %w", err)
		}
		s.LastSeenAt = now
	}
	return s, u, nil
}

func (m *Manager) touchInterval() time.Duration {
	return min(time.Minute, m.cfg.IdleTimeout/10)
}

// discard deletes a session that must not be used and reports ErrNoSession
// (or the deletion's failure).
func (m *Manager) discard(ctx context.Context, idHash []byte) error {
	if err := m.st.DeleteSession(ctx, idHash); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("auth: discard session: %w", err)
	}
	return ErrNoSession
}

// End signs the request's session out (logout): the row is deleted, so the
// id is dead on every instance at once, and the cookie is cleared.
func (m *Manager) End(ctx context.Context, w http.ResponseWriter, r *http.Request) error {
	m.ClearCookie(w, r)
	raw := m.readID(r)
	if raw == nil {
		return nil
	}
	if err := m.st.DeleteSession(ctx, hashID(raw)); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("auth: end session: %w", err)
	}
	return nil
}

// EndAllForUser deletes every session of a user (password change, second
// factor reset, "sign out everywhere"). Disabling a user does this inside the
// store's transaction already.
func (m *Manager) EndAllForUser(ctx context.Context, userID int64) error {
	if err := m.st.DeleteUserSessions(ctx, userID); err != nil {
		return fmt.Errorf("auth: end sessions of user %d: %w", userID, err)
	}
	return nil
}

// DeleteExpired removes sessions past their idle or absolute limit; run it
// periodically (it is idempotent, so several instances may run it at once).
func (m *Manager) DeleteExpired(ctx context.Context) (int64, error) {
	now := m.cfg.Now()
	n, err := m.st.DeleteExpiredSessions(ctx, now.Add(-m.cfg.IdleTimeout), now)
	if err != nil {
		return 0, fmt.Errorf("auth: delete expired sessions: %w", err)
	}
	return n, nil
}

// Save writes s.Data back to the database.
func (m *Manager) Save(ctx context.Context, s *Session) error {
	data, err := json.Marshal(s.Data)
	if err != nil {
		return fmt.Errorf("auth: save session: %w", err)
	}
	if err := m.st.SetSessionData(ctx, s.idHash, data); err != nil {
		return fmt.Errorf("auth: save session: %w", err)
	}
	return nil
}

// SetFlash stores a one-time message for the next page.
func (m *Manager) SetFlash(ctx context.Context, s *Session, kind, message string) error {
	s.Data.Flash = &Flash{Kind: kind, Message: message}
	return m.Save(ctx, s)
}

// TakeFlash returns and removes the pending flash message, if any.
func (m *Manager) TakeFlash(ctx context.Context, s *Session) (*Flash, error) {
	f := s.Data.Flash
	if f == nil {
		return nil, nil
	}
	s.Data.Flash = nil
	if err := m.Save(ctx, s); err != nil {
		return nil, err
	}
	return f, nil
}

// TakeSecondFactorTry takes one of the MaxSecondFactorAttempts code checks
// of a pending sign-in, before the code is checked. The count is one atomic
// step in the database, so however many requests race, at most
// MaxSecondFactorAttempts codes are ever checked. When none are left it
// ends the pending session and returns ErrTooManyCodes; ErrNoSession when
// the session is already gone.
func (m *Manager) TakeSecondFactorTry(ctx context.Context, w http.ResponseWriter, r *http.Request, s *Session) error {
	n, err := m.st.TakeSecondFactorTry(ctx, s.idHash, MaxSecondFactorAttempts)
	if errors.Is(err, store.ErrNotFound) {
		m.ClearCookie(w, r)
		return ErrNoSession
	}
	if err != nil {
		return fmt.Errorf("auth: second factor try: %w", err)
	}
	if n == 0 {
		if err := m.st.DeleteSession(ctx, s.idHash); err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("auth: second factor try: %w", err)
		}
		m.ClearCookie(w, r)
		return ErrTooManyCodes
	}
	s.try = n
	return nil
}

// FailSecondFactor records that the code of this request's try was wrong
// (taking a try first if the caller did not). When that was the last try it
// ends the session (ended=true) and the user must start again with the
// password.
func (m *Manager) FailSecondFactor(ctx context.Context, w http.ResponseWriter, r *http.Request, s *Session) (ended bool, err error) {
	if s.try == 0 {
		if err := m.TakeSecondFactorTry(ctx, w, r, s); errors.Is(err, ErrNoSession) {
			return true, nil
		} else if err != nil {
			return false, err
		}
	}
	if s.try < MaxSecondFactorAttempts {
		return false, nil
	}
	if err := m.st.DeleteSession(ctx, s.idHash); err != nil && !errors.Is(err, store.ErrNotFound) {
		return false, fmt.Errorf("auth: second factor failure: %w", err)
	}
	m.ClearCookie(w, r)
	return true, nil
}

// Enrolment in progress: the TOTP secret must survive from the page showing
// the QR code to the form confirming the first code, possibly on another
// instance, so it goes into session data — sealed with AES-256-GCM under a
// key derived from the raw session id. The database only holds SHA-256 of
// that id, from which the key cannot be derived, so a database dump (or a
// backup) does not reveal the secret; only the browser holding the cookie can
// complete the enrolment. The user id is bound as associated data.

func (s *Session) sealKey() []byte {
	mac := hmac.New(sha256.New, s.rawID)
	mac.Write([]byte("lostinnl session seal v1"))
	return mac.Sum(nil)
}

func (s *Session) aead() (cipher.AEAD, error) {
	if len(s.rawID) != sessionIDBytes {
		return nil, errors.New("session has no id")
	}
	block, err := aes.NewCipher(s.sealKey())
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func (s *Session) enrolmentAD() []byte {
	ad := []byte("totp-enrolment:")
	return binary.BigEndian.AppendUint64(ad, uint64(s.UserID))
}

// SetEnrolmentSecret seals secret into the session and saves it.
func (m *Manager) SetEnrolmentSecret(ctx context.Context, s *Session, secret string) error {
	aead, err := s.aead()
	if err != nil {
		return fmt.Errorf("auth: seal enrolment secret: %w", err)
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return fmt.Errorf("auth: seal enrolment secret: %w", err)
	}
	s.Data.SealedEnrolment = aead.Seal(nonce, nonce, []byte(secret), s.enrolmentAD())
	return m.Save(ctx, s)
}

// EnrolmentSecret returns the TOTP secret sealed by SetEnrolmentSecret, or
// ErrNoEnrolment.
func (s *Session) EnrolmentSecret() (string, error) {
	if len(s.Data.SealedEnrolment) == 0 {
		return "", ErrNoEnrolment
	}
	aead, err := s.aead()
	if err != nil {
		return "", fmt.Errorf("auth: open enrolment secret: %w", err)
	}
	sealed := s.Data.SealedEnrolment
	if len(sealed) < aead.NonceSize()+aead.Overhead() {
		return "", ErrNoEnrolment
	}
	pt, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], s.enrolmentAD())
	if err != nil {
		// Tampered or from another session: as good as absent.
		return "", ErrNoEnrolment
	}
	return string(pt), nil
}

// ClearEnrolment removes the enrolment secret (after success or on cancel).
func (m *Manager) ClearEnrolment(ctx context.Context, s *Session) error {
	s.Data.SealedEnrolment = nil
	return m.Save(ctx, s)
}
