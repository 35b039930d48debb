package kit

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"lostinnl/internal/auth"
	"lostinnl/internal/geo"
	"lostinnl/internal/media"
	"lostinnl/internal/readmodel"
	"lostinnl/internal/store"
)

// Env is what every handler package shares: the store, the clock, the
// renderer and the site's settings. Handler packages embed it.
type Env struct {
	Store     *store.Store
	Log       *slog.Logger
	BaseURL   string
	Demo      bool
	Loc       *time.Location
	Now       func() time.Time
	Render    *Renderer
	Assets    *Assets
	ClientIP  func(*http.Request) netip.Addr
	ViaTLS    func(*http.Request) bool
	RequestID func(context.Context) string
	Unavail   func(error) bool

	// Tiles is the maps' tile server (LOSTINNL_MAP_TILES), validated.
	Tiles geo.Tiles

	Presign        bool
	OnFormRejected func(form, reason string)
	PhotoURL       func(key, variant string) string
	Pipeline       *media.Pipeline
	Bucket         *media.Bucket
	MaxUpload      int64
	Uploads        *UploadSpool // nil: file parts are counted, not kept
	// Sessions and cipher are the admin area's: the flash message of
	// staff pages, and sealed personal data in staff views.
	Sessions *auth.Manager
	Cipher   Cipher

	// Model is the read model public listings, search and the home page
	// read (internal/readmodel). With SyncModel each read first brings it
	// to the database's content revision (see Cases); without, something
	// else keeps it current (production's background Watch), and
	// ModelConfirmWithin says how long after it was last confirmed
	// against the database it may still answer.
	Model              *readmodel.Model
	SyncModel          bool
	ModelConfirmWithin time.Duration

	// ownWrite is this instance's last public write not yet in the read
	// model (nil when there is none).
	ownWrite atomic.Pointer[ownWrite]
}

// ownWrite: the content revision a write left in the database, and the
// read model's revision at that moment.
type ownWrite struct{ rev, before int64 }

// NoteWrite records rev, the content revision right after a public write
// through this instance (web's purgesAfter), and before, the read model's
// revision then, for OwnWritesShown.
func (h *Env) NoteWrite(rev, before int64) { h.ownWrite.Store(&ownWrite{rev, before}) }

// OwnWritesShown reports whether m has caught up with this instance's last
// public write. Until it has (its rebuild takes a moment after the write),
// a page that can also be read from the database should be, so the
// moderator who made a change sees it on the next page they open. Caught
// up: the model's revision reached the write's (revisions grow with every
// change, here or on another instance), or went below the one it had at
// the write (a restored backup moves the revision back).
func (h *Env) OwnWritesShown(m *readmodel.Model) bool {
	w := h.ownWrite.Load()
	if w == nil {
		return true
	}
	if rev := m.Revision(); rev >= w.rev || rev < w.before {
		h.ownWrite.CompareAndSwap(w, nil)
		return true
	}
	return false
}

// Cases returns the read model for a public listing. With SyncModel it is
// first brought to the database's current content revision (one cheap
// read; a rebuild only after a change), so a page always shows the last
// write: for tests and embedders that run no background watcher.
// Otherwise the model answers as it is while its watcher confirmed it
// against the database within ModelConfirmWithin. Past that (the watcher
// cannot read the database, or has not yet polled since it came back)
// the database is asked now, as when listings were queries: an instance
// cut off from it answers 503 rather than go on showing a snapshot that
// may miss a change made through another instance (a person located, a
// family's withdrawal of personal details), and one whose database is
// back answers at once.
func (h *Env) Cases(ctx context.Context) (*readmodel.Model, error) {
	if !h.SyncModel {
		if _, err := h.Model.ConfirmedRevision(h.ModelConfirmWithin); err == nil {
			return h.Model, nil
		}
	}
	rev, err := h.Store.ContentRevision(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.Model.Sync(ctx, rev); err != nil {
		return nil, err
	}
	return h.Model, nil
}

// Today is the current date in the site's zone, as a UTC-midnight date
// comparable with the dates people type.
func (h *Env) Today() time.Time {
	t := h.Now().In(h.Loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// AbsURL makes a site path absolute with BaseURL (for Open Graph, share
// links and the API); absolute URLs (object storage) are returned as is.
func (h *Env) AbsURL(p string) string {
	if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
		return p
	}
	return h.BaseURL + p
}

// ParseID reads a positive case id from the path; anything else is a 404.
func ParseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0 && strconv.FormatInt(id, 10) == s
}

// LogPath is a request path fit for the error log: a reporter's token is
// a key to their report, and a report form's token (in the thumbnails of
// its held photos) a key to those photos, so they are replaced (the access
// log records route patterns only; nginx's log has its own map,
// deploy/nginx/lostinnl.conf).
func LogPath(p string) string {
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

// ctxKey keys what the session middleware (internal/web/staff) puts into
// the request context.
type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
)

// WithUser stores the signed-in staff user in ctx (for the session
// middleware of the admin area).
func WithUser(ctx context.Context, u *store.User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// UserFrom returns the signed-in user, or nil.
func UserFrom(ctx context.Context) *store.User {
	u, _ := ctx.Value(userKey).(*store.User)
	return u
}

// WithSession stores the signed-in session in ctx (for the session
// middleware of the admin area).
func WithSession(ctx context.Context, s *auth.Session) context.Context {
	return context.WithValue(ctx, sessionKey, s)
}

// SessionFrom returns the signed-in session, or nil.
func SessionFrom(ctx context.Context) *auth.Session {
	s, _ := ctx.Value(sessionKey).(*auth.Session)
	return s
}

// AuditFor starts an audit entry for a write by the signed-in user.
func (h *Env) AuditFor(r *http.Request, action, summary string) *store.AuditEntry {
	e := &store.AuditEntry{Action: action, Summary: summary, IP: h.ClientIP(r).String()}
	if u := UserFrom(r.Context()); u != nil {
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

// Unreadable is what secrets.OpenOrUnreadable shows for a value that cannot
// be opened; a form must never write it back as if someone had typed it.
const Unreadable = "[unreadable]"

// MaxPage bounds ?page= everywhere: deeper pages are never useful and are
// costly to count past.
const MaxPage = 10000
