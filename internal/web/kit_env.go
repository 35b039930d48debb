package web

import (
	"context"
	"log/slog"
	"lostinnl/internal/auth"
	"lostinnl/internal/media"
	"lostinnl/internal/store"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Env is what every handler package shares: the store, the clock, the
// renderer and the site's settings. Handler packages embed it.
type Env struct {
	st        *store.Store
	log       *slog.Logger
	baseURL   string
	demo      bool
	loc       *time.Location
	now       func() time.Time
	render    *renderer
	assets    *assets
	clientIP  func(*http.Request) netip.Addr
	viaTLS    func(*http.Request) bool
	requestID func(context.Context) string
	unavail   func(error) bool

	presign        bool
	onFormRejected func(form, reason string)
	photoURL       func(key, variant string) string
	pipeline       *media.Pipeline
	bucket         *media.Bucket
	maxUpload      int64
	uploads        *UploadSpool // nil: file parts are counted, not kept
	// sessions and cipher are the admin area's: the flash message of
	// staff pages, and sealed personal data in staff views.
	sessions *auth.Manager
	cipher   Cipher
}

// today is the current date in the site's zone, as a UTC-midnight date
// comparable with the dates people type.
func (h *Env) today() time.Time {
	t := h.now().In(h.loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// absURL makes a site path absolute with BaseURL (for Open Graph, share
// links and the API); absolute URLs (object storage) are returned as is.
func (h *Env) absURL(p string) string {
	if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
		return p
	}
	return h.baseURL + p
}

// parseID reads a positive case id from the path; anything else is a 404.
func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0 && strconv.FormatInt(id, 10) == s
}

// logPath is a request path fit for the error log: a reporter's token is
// a key to their report, and a report form's token (in the thumbnails of
// its held photos) a key to those photos, so they are replaced (the access
// log records route patterns only; nginx's log has its own map,
// deploy/nginx/lostinnl.conf).
func logPath(p string) string {
	for _, prefix := range []string{"/report/", "/submit/photos/"} {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok {
			continue
		}
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			return prefix + "[token]" + rest[i:]
		}
		return prefix + "[token]"
	}
	return p
}

type ctxKey int

const userKey ctxKey = iota

// WithUser stores the signed-in staff user in ctx (for the session
// middleware of the admin area).
func WithUser(ctx context.Context, u *store.User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// userFrom returns the signed-in user, or nil.
func userFrom(ctx context.Context) *store.User {
	u, _ := ctx.Value(userKey).(*store.User)
	return u
}

type adminCtxKey int

const sessionKey adminCtxKey = iota

// sessionFrom returns the signed-in session, or nil.
func sessionFrom(ctx context.Context) *auth.Session {
	s, _ := ctx.Value(sessionKey).(*auth.Session)
	return s
}

// auditFor starts an audit entry for a write by the signed-in user.
func (h *Env) auditFor(r *http.Request, action, summary string) *store.AuditEntry {
	e := &store.AuditEntry{Action: action, Summary: summary, IP: h.clientIP(r).String()}
	if u := userFrom(r.Context()); u != nil {
		id := u.ID
		e.UserID = &id
		e.UserEmail = u.Email
	}
	return e
}

// Cipher is what the admin area needs from internal/secrets' FieldCipher.
type Cipher interface {
	// Open decrypts a sealed value; errors never contain the value. Used
	// where a wrong answer is not an option (the TOTP secret at sign-in).
	Open(ctx context.Context, sealed []byte, table, column string, rowID int64) ([]byte, error)
	// OpenRowOrUnreadable opens a value of a row with a seal token (nil
	// for a row without one) for views: "" for NULL, secrets.Unreadable
	// when the value cannot be opened.
	OpenRowOrUnreadable(ctx context.Context, sealed []byte, table, column string, rowID int64, token []byte) string
}

// unreadable is what secrets.OpenOrUnreadable shows for a value that cannot
// be opened; a form must never write it back as if someone had typed it.
const unreadable = "[unreadable]"

// maxPage bounds ?page= everywhere: deeper pages are never useful and are
// costly to count past.
const maxPage = 10000
