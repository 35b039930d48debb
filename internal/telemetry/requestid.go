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

type requestIDCtxKey struct{}

// RequestID returns the id of the request whose context this is, or "" when
// there is none (background work, tests).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDCtxKey{}).(string)
	return id
}

// WithRequestID returns a context carrying id. Background jobs can use it to
// tag their log lines the same way requests are tagged.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDCtxKey{}, id)
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
			next.ServeHTTP(w, r.WithContext(WithRequestID(r.Context(), id)))
		})
	}
}
