package telemetry

import (
	"io"
	"net/http"
	"sync"
)

// responseRecorder remembers the status and the number of body bytes a
// handler wrote. It implements Unwrap so that http.ResponseController can
// still reach Flush, Hijack, SetWriteDeadline… of the real writer, and Flush
// and ReadFrom directly for code that type-asserts.
type responseRecorder struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
}

func newResponseRecorder(w http.ResponseWriter) *responseRecorder {
	return &responseRecorder{ResponseWriter: w}
}

func (rw *responseRecorder) WriteHeader(code int) {
	// 1xx informational responses (103 Early Hints) are not the final
	// status; 101 Switching Protocols is.
	if !rw.wroteHeader && (code >= 200 || code == http.StatusSwitchingProtocols) {
		rw.status = code
		rw.wroteHeader = true
	}
	rw.ResponseWriter.WriteHeader(code)
}

func (rw *responseRecorder) Write(b []byte) (int, error) {
	rw.implicitOK()
	n, err := rw.ResponseWriter.Write(b)
	rw.bytes += int64(n)
	return n, err
}

// ReadFrom keeps the sendfile fast path of the underlying writer available to
// io.Copy (http.ServeContent, static files).
func (rw *responseRecorder) ReadFrom(src io.Reader) (int64, error) {
	rw.implicitOK()
	var n int64
	var err error
	if rf, ok := rw.ResponseWriter.(io.ReaderFrom); ok {
		n, err = rf.ReadFrom(src)
	} else {
		n, err = io.Copy(writerOnly{rw.ResponseWriter}, src)
	}
	rw.bytes += n
	return n, err
}

// writerOnly hides ReadFrom so io.Copy does not recurse into it.
type writerOnly struct{ io.Writer }

func (rw *responseRecorder) Flush() {
	rw.implicitOK()
	// An error means the writer cannot flush; http.Flusher has no way to
	// report that, and the data is still sent when the handler returns.
	_ = http.NewResponseController(rw.ResponseWriter).Flush()
}

// Unwrap is what http.ResponseController looks for.
func (rw *responseRecorder) Unwrap() http.ResponseWriter { return rw.ResponseWriter }

func (rw *responseRecorder) implicitOK() {
	if !rw.wroteHeader {
		rw.status = http.StatusOK
		rw.wroteHeader = true
	}
}

// Status is the status sent, 200 when the handler wrote nothing at all (that
// is what net/http sends then).
func (rw *responseRecorder) Status() int {
	if rw.status == 0 {
		return http.StatusOK
	}
	return rw.status
}

// routeSlot carries the mux pattern out of the mux. http.ServeMux sets
// Pattern on the *http.Request it is given; when middleware between us and
// the mux replaces the request (r.WithContext), we never see that field, so
// CaptureRoute copies it into this slot, which every copy of the context
// shares. A mutex because http.TimeoutHandler may still be running the handler
// when we read.
type routeSlot struct {
	mu      sync.Mutex
	pattern string
}

// set keeps the first pattern recorded: CaptureRoute's deferred set runs
// innermost-first, so when muxes are nested (health endpoints mounted beside
// the site) the most specific route wins over the outer catch-all "/".
func (s *routeSlot) set(p string) {
	s.mu.Lock()
	if s.pattern == "" {
		s.pattern = p
	}
	s.mu.Unlock()
}

func (s *routeSlot) get() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pattern
}

// withRouteSlot returns r with a route slot in its context, reusing one that
// an outer middleware already installed.
func withRouteSlot(r *http.Request) (*http.Request, *routeSlot) {
	if st := stateOf(r.Context()); st != nil {
		return r, st.slot
	}
	r, st := withState(r, "", nil)
	return r, st.slot
}

// CaptureRoute must wrap the http.ServeMux directly (innermost, around the
// route table). It records the pattern the mux matched so that the access log
// and metrics middleware, which run outside middleware that copies the
// request, can label the request with it.
func CaptureRoute(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Deferred so the route is known even when a handler panics and an
		// outer recover middleware turns that into a 500.
		defer func() {
			if st := stateOf(r.Context()); st != nil && r.Pattern != "" {
				st.slot.set(r.Pattern)
			}
		}()
		mux.ServeHTTP(w, r)
	})
}

// UnmatchedRoute labels requests no mux pattern matched (404s, 405s).
const UnmatchedRoute = "unmatched"

// routeOf returns the matched pattern: from the request itself when the mux
// was handed this very request, else from the slot CaptureRoute filled.
func routeOf(r *http.Request, s *routeSlot) string {
	// The slot first: CaptureRoute fills it innermost-first, so with nested
	// muxes it holds the site's own pattern, while r.Pattern may be an outer
	// mux's catch-all ("/") set on this very request.
	if p := s.get(); p != "" {
		return p
	}
	if r.Pattern != "" {
		return r.Pattern
	}
	return UnmatchedRoute
}
