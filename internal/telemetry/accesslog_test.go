package telemetry

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testStack builds the chain the lead wires, minus the application parts:
// request id → access log → metrics → a middleware that copies the request
// (as session middleware does) → CaptureRoute → ServeMux.
func testStack(t *testing.T, logger *slog.Logger, m *Metrics) http.Handler {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /cases/{id}", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "case "+r.PathValue("id"))
	})
	mux.HandleFunc("POST /cases/{id}/tips", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/cases/"+r.PathValue("id"), http.StatusSeeOther)
	})
	mux.HandleFunc("GET /boom", func(w http.ResponseWriter, r *http.Request) {
		panic("handler bug")
	})
	mux.HandleFunc("GET /stream", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "part1")
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("ResponseController.Flush through wrappers: %v", err)
		}
		if _, ok := w.(http.Flusher); !ok {
			t.Errorf("writer lost http.Flusher")
		}
		io.WriteString(w, "part2")
	})
	copyReq := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(r.Context()))
		})
	}
	recoverer := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if p := recover(); p != nil {
					http.Error(w, "internal error", http.StatusInternalServerError)
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
	trusted := prefixes(t, "127.0.0.1/32")
	var h http.Handler = CaptureRoute(mux)
	h = copyReq(h)
	h = recoverer(h)
	h = m.Middleware(h)
	h = AccessLog(logger, trusted)(h)
	h = RequestIDMiddleware(TrustedPeer(trusted))(h)
	return h
}

func decodeLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(buf)
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("bad log line %q: %v", sc.Text(), err)
		}
		out = append(out, rec)
	}
	return out
}

func TestAccessLogFields(t *testing.T) {
	var buf bytes.Buffer
	logger, err := NewLogger(&buf, "json", "info", []string{secretDBPass})
	if err != nil {
		t.Fatal(err)
	}
	srv := testStack(t, logger, nil)

	type req struct {
		method, target, remote, xff, body string
		route                             string
		status                            int
		clientIP                          string
	}
	reqs := []req{
		{"GET", "/cases/42?q=Jane+Doe&token=" + secretDBPass, "127.0.0.1:5000", "198.51.100.23", "", "GET /cases/{id}", 200, "198.51.100.23"},
		{"POST", "/cases/42/tips", "203.0.113.9:5000", "6.6.6.6", "message=seen+her+at+the+wharf&phone=7095550100", "POST /cases/{id}/tips", 303, "203.0.113.9"},
		{"GET", "/no/such/page", "203.0.113.9:5000", "", "", UnmatchedRoute, 404, "203.0.113.9"},
		{"DELETE", "/cases/42", "203.0.113.9:5000", "", "", UnmatchedRoute, 405, "203.0.113.9"},
		{"GET", "/boom", "203.0.113.9:5000", "", "", "GET /boom", 500, "203.0.113.9"},
		{"GET", "/stream", "203.0.113.9:5000", "", "", "GET /stream", 200, "203.0.113.9"},
		{"GET", "/cases/%0aforged", "203.0.113.9:5000", "", "", "GET /cases/{id}", 200, "203.0.113.9"},
	}
	var ids []string
	for _, rq := range reqs {
		r := httptest.NewRequest(rq.method, rq.target, strings.NewReader(rq.body))
		if rq.body != "" {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		r.RemoteAddr = rq.remote
		if rq.xff != "" {
			r.Header.Set("X-Forwarded-For", rq.xff)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != rq.status {
			t.Fatalf("%s %s: status %d, want %d", rq.method, rq.target, w.Code, rq.status)
		}
		ids = append(ids, w.Header().Get(RequestIDHeader))
	}
	raw := buf.String()
	for _, leak := range []string{"Jane", "token", secretDBPass, "wharf", "7095550100", "/cases/42", "forged", "q="} {
		if strings.Contains(raw, leak) {
			t.Errorf("access log leaks %q:\n%s", leak, raw)
		}
	}
	lines := decodeLines(t, &buf)
	if len(lines) != len(reqs) {
		t.Fatalf("want %d lines, got %d:\n%s", len(reqs), len(lines), raw)
	}
	for i, rq := range reqs {
		l := lines[i]
		want := map[string]any{
			"msg": "request", "method": rq.method, "route": rq.route,
			"status": float64(rq.status), "client_ip": rq.clientIP, "request_id": ids[i],
		}
		for k, v := range want {
			if l[k] != v {
				t.Errorf("line %d: %s = %#v, want %#v", i, k, l[k], v)
			}
		}
		if d, ok := l["duration_ms"].(float64); !ok || d < 0 {
			t.Errorf("line %d: duration_ms = %#v", i, l["duration_ms"])
		}
		if _, ok := l["bytes"].(float64); !ok {
			t.Errorf("line %d: bytes missing", i)
		}
	}
	if got := lines[0]["bytes"]; got != float64(len("case 42")) {
		t.Errorf("bytes = %v, want %d", got, len("case 42"))
	}
	if got := lines[5]["bytes"]; got != float64(len("part1part2")) {
		t.Errorf("stream bytes = %v", got)
	}
}

// Without CaptureRoute, when nothing copies the request, the pattern is read
// from the request itself.
func TestAccessLogRouteWithoutCapture(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /cases/{id}", func(w http.ResponseWriter, r *http.Request) {})
	h := AccessLog(logger, nil)(mux)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/cases/7", nil))
	if lines := decodeLines(t, &buf); len(lines) != 1 || lines[0]["route"] != "GET /cases/{id}" {
		t.Errorf("lines = %v", lines)
	}
}

func TestResponseRecorderStatus(t *testing.T) {
	for _, tc := range []struct {
		name string
		h    http.HandlerFunc
		want int
	}{
		{"nothing written", func(w http.ResponseWriter, r *http.Request) {}, 200},
		{"explicit", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(422) }, 422},
		{"early hints then 201", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusEarlyHints)
			w.WriteHeader(http.StatusCreated)
		}, 201},
		{"second WriteHeader ignored", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(404)
			w.WriteHeader(500)
		}, 404},
		{"write implies 200", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "x")
			w.WriteHeader(500)
		}, 200},
		{"io.Copy via ReadFrom", func(w http.ResponseWriter, r *http.Request) {
			io.Copy(w, strings.NewReader("hello"))
		}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := newResponseRecorder(httptest.NewRecorder())
			tc.h(rec, httptest.NewRequest("GET", "/", nil))
			if rec.Status() != tc.want {
				t.Errorf("status = %d, want %d", rec.Status(), tc.want)
			}
		})
	}
	// A reader without WriteTo, so io.Copy goes through our ReadFrom (the
	// recorder below has no ReadFrom, so the fallback copy runs).
	rec := newResponseRecorder(httptest.NewRecorder())
	if n, err := io.Copy(rec, struct{ io.Reader }{strings.NewReader("hello")}); n != 5 || err != nil {
		t.Errorf("copy: %d %v", n, err)
	}
	if rec.bytes != 5 || rec.Status() != 200 {
		t.Errorf("ReadFrom counted %d bytes, status %d", rec.bytes, rec.Status())
	}
}

// Through a real server, ResponseController must reach the connection's
// writer behind both wrappers: our recorder implements neither
// SetWriteDeadline nor EnableFullDuplex, so success proves Unwrap works.
func TestResponseControllerThroughRealServer(t *testing.T) {
	m := NewMetrics("test", "abc")
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
			t.Errorf("SetWriteDeadline: %v", err)
		}
		if err := rc.EnableFullDuplex(); err != nil {
			t.Errorf("EnableFullDuplex: %v", err)
		}
		io.WriteString(w, "a")
		if err := rc.Flush(); err != nil {
			t.Errorf("Flush: %v", err)
		}
	})
	var logBuf bytes.Buffer
	h := RequestIDMiddleware(nil)(AccessLog(slog.New(slog.NewJSONHandler(&logBuf, nil)), nil)(m.Middleware(inner)))
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(body) != "a" || res.Header.Get(RequestIDHeader) == "" {
		t.Errorf("body %q, id %q", body, res.Header.Get(RequestIDHeader))
	}
}

// A file copied to a real connection takes the server writer's ReadFrom
// (sendfile) path through our recorder; the byte count must still be right.
func TestReadFromRealServer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "photo.bin")
	content := bytes.Repeat([]byte("0123456789"), 10000)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	var logBuf bytes.Buffer
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := os.Open(path)
		if err != nil {
			t.Error(err)
			return
		}
		defer f.Close()
		if _, ok := w.(io.ReaderFrom); !ok {
			t.Error("wrapped writer lost io.ReaderFrom")
		}
		if _, err := io.Copy(w, f); err != nil {
			t.Error(err)
		}
	})
	srv := httptest.NewServer(AccessLog(slog.New(slog.NewJSONHandler(&logBuf, nil)), nil)(inner))
	res, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	srv.Close() // waits for the handler, so the log line is written
	if err != nil || !bytes.Equal(body, content) {
		t.Fatalf("body %d bytes, err %v", len(body), err)
	}
	lines := decodeLines(t, &logBuf)
	if len(lines) != 1 || lines[0]["bytes"] != float64(len(content)) {
		t.Errorf("log = %v", lines)
	}
}

// Middleware that replaces the request (as session middleware does) hides the
// mux's Pattern from outer middleware; CaptureRoute is what brings it back.
// This pins down why the lead must place CaptureRoute around the mux.
func TestCaptureRouteNeededBehindRequestCopies(t *testing.T) {
	for _, capture := range []bool{false, true} {
		var buf bytes.Buffer
		logger := slog.New(slog.NewJSONHandler(&buf, nil))
		mux := http.NewServeMux()
		mux.HandleFunc("GET /cases/{id}", func(w http.ResponseWriter, r *http.Request) {})
		var inner http.Handler = mux
		if capture {
			inner = CaptureRoute(mux)
		}
		copyReq := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			inner.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), copyMarkerKey{}, 1)))
		})
		AccessLog(logger, nil)(copyReq).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/cases/9", nil))
		want := UnmatchedRoute
		if capture {
			want = "GET /cases/{id}"
		}
		if lines := decodeLines(t, &buf); len(lines) != 1 || lines[0]["route"] != want {
			t.Errorf("capture=%v: lines = %v, want route %q", capture, lines, want)
		}
	}
}

type copyMarkerKey struct{}

// TestOneRequestStateForEveryLayer: in the order the server wires them
// (metrics outermost, then the request id, the access log, middleware that
// copies the request, the route capture), the layers share one state per
// request: the handler, the access log line and the response header carry
// the same id, and the metrics and the log see the route. A request id
// middleware nested inside gives its own id below it and still passes the
// route up to the layers above.
func TestOneRequestStateForEveryLayer(t *testing.T) {
	for _, nested := range []bool{false, true} {
		var logBuf bytes.Buffer
		m := NewMetrics("1", "c")
		mux := http.NewServeMux()
		var seen []string
		mux.HandleFunc("GET /cases/{id}", func(w http.ResponseWriter, r *http.Request) {
			seen = append(seen, RequestID(r.Context()))
		})
		var h http.Handler = CaptureRoute(mux)
		if nested {
			h = RequestIDMiddleware(nil)(h)
		}
		inner := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			inner.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), struct{ k int }{1}, 1)))
		})
		h = AccessLog(slog.New(slog.NewJSONHandler(&logBuf, nil)), nil)(h)
		h = RequestIDMiddleware(nil)(h)
		h = m.Middleware(h)
		var ids []string
		for range 2 {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/cases/7", nil))
			ids = append(ids, rec.Header().Values(RequestIDHeader)...)
		}
		lines := decodeLines(t, &logBuf)
		if len(lines) != 2 || len(seen) != 2 {
			t.Fatalf("nested %v: %d log lines, %d handler calls", nested, len(lines), len(seen))
		}
		// The inner middleware's id is the one the handler sees and the
		// one the response carries (it sets the header last).
		if len(ids) != 2 || ids[0] != seen[0] || ids[1] != seen[1] || ids[0] == ids[1] {
			t.Errorf("nested %v: response ids %q, handler saw %q: want the same, different per request", nested, ids, seen)
		}
		for i, l := range lines {
			if l["route"] != "GET /cases/{id}" || l["request_id"] == "" || (l["request_id"] == ids[i]) == nested {
				t.Errorf("nested %v: log line %v, want route GET /cases/{id} and the outer id", nested, l)
			}
		}
		if got := scrape(t, m.Handler())[`http_requests_total{method="GET",route="GET /cases/{id}",status="200"}`]; got != 2 {
			t.Errorf("nested %v: metrics counted %v requests on the route, want 2: %v", nested, got, scrape(t, m.Handler()))
		}
	}
}
