package kit

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// HandlerFunc is an action that may fail; wrap turns its error into the
// right page and status and logs it once.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// httpError is an error with a status the visitor should see. msg is public
// (shown on the page); err is internal (logged only).
type HTTPError struct {
	Status     int
	Msg        string
	Err        error
	RetryAfter int    // seconds, for 429
	Allow      string // Allow header, for 405
}

func (e *HTTPError) Error() string {
	if e.Err != nil {
		return http.StatusText(e.Status) + ": " + e.Err.Error()
	}
	return http.StatusText(e.Status)
}

func (e *HTTPError) Unwrap() error { return e.Err }

func ErrNotFound() error { return &HTTPError{Status: http.StatusNotFound} }

func ErrBadRequest(msg string) error { return &HTTPError{Status: http.StatusBadRequest, Msg: msg} }

func ErrTooLarge() error {
	return &HTTPError{Status: http.StatusRequestEntityTooLarge}
}

// Unavailable marks err as "the database or storage behind us is down":
// the wrapper answers 503 with a friendly page (JSON for the API) instead
// of 500. Deps.IsUnavailable classifies errors the same way without
// wrapping them.
func Unavailable(err error) error {
	return &HTTPError{Status: http.StatusServiceUnavailable, Err: err}
}

// StatusOf classifies err for the wrapper.
func (h *Env) StatusOf(err error) (int, *HTTPError) {
	var he *HTTPError
	if errors.As(err, &he) {
		return he.Status, he
	}
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, nil
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, nil
	case errors.Is(err, store.ErrInvalid):
		// The store refused a value its columns cannot hold. Forms check
		// first, so reaching here means a handler missed a check: still the
		// request's fault, not the server's, so no 500.
		return http.StatusUnprocessableEntity, nil
	case h.Unavail(err):
		return http.StatusServiceUnavailable, nil
	}
	return http.StatusInternalServerError, nil
}

// Wrap adapts an error-returning action to http.Handler. Nothing has been
// written when an action returns an error, because pages are rendered into
// a buffer first; so the error page can still set its own status.
func (h *Env) Wrap(fn HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := fn(w, r)
		if err == nil {
			return
		}
		h.Fail(w, r, err)
	})
}

// Fail writes the page (or JSON) for err. It logs server-side failures once,
// with the request id, and never shows their text to the visitor.
func (h *Env) Fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		// The visitor went away; there is nobody to answer and nothing broke.
		return
	}
	status, he := h.StatusOf(err)
	switch {
	case status >= 500:
		h.Log.LogAttrs(r.Context(), slog.LevelError, "request failed",
			slog.String("request_id", h.RequestID(r.Context())),
			slog.String("method", r.Method),
			slog.String("path", LogPath(r.URL.Path)),
			slog.Int("status", status),
			slog.String("error", err.Error()))
	case errors.Is(err, store.ErrInvalid):
		// A missed form check, worth fixing: the store's message names the
		// field and the rule, never the value.
		h.Log.LogAttrs(r.Context(), slog.LevelWarn, "store refused a value the handler did not check",
			slog.String("request_id", h.RequestID(r.Context())),
			slog.String("path", r.URL.Path),
			slog.String("error", err.Error()))
	case status == http.StatusRequestEntityTooLarge:
		// The body was cut off; close the connection instead of draining it.
		w.Header().Set("Connection", "close")
	}
	msg := ""
	if he != nil {
		msg = he.Msg
		if he.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(he.RetryAfter))
		}
		if he.Allow != "" {
			w.Header().Set("Allow", he.Allow)
		}
	}
	if isAPI(r) {
		h.writeJSONError(w, status, apiMessage(L(r), status, msg))
		return
	}
	h.ErrorPage(w, r, status, msg)
}

// isAPI: the JSON API, and the map's data (internal/web/maps), which
// map.js reads.
func isAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/map/points.json"
}

// errorView is the data of error.html.
type errorView struct {
	Status    int
	Heading   string
	Lines     []string
	Detail    string // public detail (e.g. which parameter was wrong)
	RequestID string
	Retry     int
}

// ErrorPage renders the friendly page for status. If even that fails, a
// plain-text answer still carries the status and request id.
func (h *Env) ErrorPage(w http.ResponseWriter, r *http.Request, status int, detail string) {
	// Headings and lines in the request's language; the detail too when
	// the catalog has it (messages from handlers, written in English).
	lz := L(r)
	if detail != "" {
		detail = lz.T(detail)
	}
	v := errorView{Status: status, Detail: detail, RequestID: h.RequestID(r.Context())}
	switch status {
	case http.StatusNotFound:
		v.Heading = lz.T("We can't find that page")
		v.Lines = []string{lz.T("The address may be mistyped, or the page is no longer public. Cases are removed from the site when they are closed.")}
	case http.StatusMethodNotAllowed:
		v.Heading = lz.T("That action isn't available here")
		v.Lines = []string{lz.T("This address can't be used that way. Go back and try again from the page.")}
	case http.StatusForbidden:
		v.Heading = lz.T("This request was refused")
		v.Lines = nil // the reason is in detail
	case http.StatusRequestEntityTooLarge:
		v.Heading = lz.T("That was too much to send at once")
		v.Lines = []string{lz.T("The form or its photos are larger than we can accept. Try fewer or smaller photos (each under {size}, at most {n}).", "size", h.PhotoLimitIn(lz), "n", lz.Number(MaxReportPhotos))}
	case http.StatusTooManyRequests:
		v.Heading = lz.T("Please wait a moment")
		v.Lines = []string{lz.T("You have sent several forms in a short time, so we paused sending from your connection for a little while. This protects the site from automated spam."),
			lz.T("Nothing is wrong with what you typed. Wait a minute, then go back and send it again. If someone is in danger, call 911 now.")}
		if he, ok := w.Header()["Retry-After"]; ok && len(he) > 0 {
			v.Retry, _ = strconv.Atoi(he[0]) // set by fail just above; display only
		}
	case http.StatusServiceUnavailable:
		v.Heading = lz.T("The site is having trouble right now")
		v.Lines = []string{lz.T("We can't reach our records at the moment. Please try again in a few minutes. If someone is in danger, call 911.")}
		w.Header().Set("Retry-After", "30")
	case http.StatusGone:
		v.Heading = lz.T("This appeal is closed")
		v.Lines = nil // the reason is in detail
		// A closed appeal's addresses (case page, photos, poster, share
		// picture) must leave search engines, not linger as a snapshot.
		w.Header().Set("X-Robots-Tag", "noindex")
	case http.StatusUnprocessableEntity:
		v.Heading = lz.T("We couldn't save that")
		v.Lines = []string{lz.T("Something in the form could not be stored as it is, for example text that is too long. Go back, check what you entered, and try again.")}
	case http.StatusBadRequest:
		v.Heading = lz.T("We couldn't understand that request")
		v.Lines = []string{lz.T("Something in the address or form was not in a form we can read.")}
	default:
		if status < 500 {
			v.Heading = lz.T(http.StatusText(status))
			break
		}
		status = http.StatusInternalServerError
		v.Status = status
		v.Heading = lz.T("Something went wrong on our side")
		v.Lines = []string{lz.T("The problem has been recorded. Please try again in a moment. If someone is in danger, call 911.")}
	}
	var err error
	if u := UserFrom(r.Context()); u != nil && strings.HasPrefix(r.URL.Path, "/admin/") {
		// Staff stay in the admin area's layout (navigation, sign out),
		// e.g. a moderator refused an admin-only page.
		err = h.AdminRender(w, r, status, "error.html", v.Heading, "", v)
	} else {
		p := h.Page(r, v.Heading)
		p.Data = v
		p.NoIndex = true
		// The switch leads to the other language's home page: the same
		// address may not exist there (/fr/admin).
		if p.Langs != nil {
			p.Langs.Switch = i18n.Path(p.Langs.otherLang(), "/")
		}
		err = h.Render.Page(w, status, "error.html", p)
	}
	if err != nil {
		h.Log.LogAttrs(r.Context(), slog.LevelError, "error page failed",
			slog.String("request_id", v.RequestID), slog.String("error", err.Error()))
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(v.Heading + "\nRequest id: " + v.RequestID + "\n")) // best effort: the client may be gone
	}
}

// LogSaveFailure logs a failed save once and picks the status for the form
// shown again (503 when the database is down, otherwise 500).
func (h *Env) LogSaveFailure(r *http.Request, what string, err error) int {
	status := http.StatusInternalServerError
	if h.Unavail(err) {
		status = http.StatusServiceUnavailable
	}
	h.Log.LogAttrs(r.Context(), slog.LevelError, "save failed",
		slog.String("request_id", h.RequestID(r.Context())),
		slog.String("form", what),
		slog.Int("status", status),
		slog.String("error", err.Error()))
	return status
}

// SaveFailedNotice is what a form says when saving failed on our side.
const SaveFailedNotice = "We could not save this just now because of a problem on our side. Everything you typed is still below: please try sending it again in a minute. If someone is in danger, call 911."
