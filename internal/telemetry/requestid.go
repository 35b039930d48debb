package telemetry

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
)

// RequestIDHeader is the header a trusted proxy may set and that every
// response carries back.
const RequestIDHeader = "X-Request-ID"

// requestIDKey is the attribute name used in every log line.
const requestIDKey = "request_id"

// maxRequestIDLen bounds an id accepted from a proxy, so that a hostile or
// broken upstream cannot make every log line of a request huge.
const maxRequestIDLen = 64

// requestState is what this package keeps about a request in its context:
// its id and the route slot (response.go). One value for both, installed
// by whichever middleware comes first, because every r.WithContext copies
// the whole request (~250 bytes): on a page answered from the cache,
// these copies were a sixth of what a request allocated.
type requestState struct {
	id   string
	slot *routeSlot
	own  routeSlot // slot points here unless shared with an outer state
}

type requestStateKey struct{}

func stateOf(ctx context.Context) *requestState {
	st, _ := ctx.Value(requestStateKey{}).(*requestState)
	return st
}

// newState returns a state for id, sharing the route slot of outer when
// there is one (see withRouteSlot).
func newState(id string, outer *requestState) *requestState {
	st := &requestState{id: id}
	st.slot = &st.own
	if outer != nil {
		st.slot = outer.slot
	}
	return st
}

// withState returns r with newState(id, outer) in its context.
func withState(r *http.Request, id string, outer *requestState) (*http.Request, *requestState) {
	st := newState(id, outer)
	return r.WithContext(context.WithValue(r.Context(), requestStateKey{}, st)), st
}

// RequestID returns the id of the request whose context this is, or "" when
// there is none (background work, tests).
func RequestID(ctx context.Context) string {
	if st := stateOf(ctx); st != nil {
		return st.id
	}
	return ""
}

// WithRequestID returns a context carrying id. Background jobs can use it to
// tag their log lines the same way requests are tagged.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestStateKey{}, newState(id, nil))
}

// NewRequestID returns 16 random bytes in hex.
func NewRequestID() string {
	var b [16]byte
	// crypto/rand.Read never returns an error (it crashes the program
	// instead, since Go 1.24), so there is nothing to handle here.
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ValidRequestID reports whether id is safe to adopt from a proxy: 1 to 64
// characters of [A-Za-z0-9._-]. Anything else could smuggle text into logs
// and headers.
func ValidRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}

// RequestIDMiddleware gives every request an id. The X-Request-ID header is
// adopted only when trusted(r) says the peer is our own proxy (so nginx's
// $request_id ties its log to ours) and the value is sane; otherwise a new id
// is generated, because a client-chosen id could be used to confuse an
// investigation. The id is echoed in the response header and stored in the
// request context (see RequestID). trusted may be nil: nothing is trusted.
func RequestIDMiddleware(trusted func(*http.Request) bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := ""
			if trusted != nil && trusted(r) {
				if v := r.Header.Get(RequestIDHeader); ValidRequestID(v) {
					id = v
				}
			}
			if id == "" {
				id = NewRequestID()
			}
			w.Header().Set(RequestIDHeader, id)
			// The metrics middleware outside made this request's state:
			// the id goes into it (nothing has read it yet). A state with
			// an id already is an outer request's, or from a nested
			// middleware: a new one, sharing its route slot.
			if st := stateOf(r.Context()); st != nil && st.id == "" {
				st.id = id
			} else {
				r, _ = withState(r, id, st)
			}
			next.ServeHTTP(w, r)
		})
	}
}
