package telemetry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type readyResp struct {
	code int
	body map[string]any
	raw  string
}

func callReady(t *testing.T, h *Health) readyResp {
	t.Helper()
	w := httptest.NewRecorder()
	h.Readyz().ServeHTTP(w, httptest.NewRequest("GET", "/readyz", nil))
	var body map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("readyz body not JSON: %q", w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("content type %q", ct)
	}
	if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("cache control %q", cc)
	}
	return readyResp{w.Code, body, w.Body.String()}
}

func TestHealthz(t *testing.T) {
	h := NewHealth(nil, 0)
	h.AddCheck("database", func(context.Context) error { return errors.New("down") })
	h.SetDraining()
	w := httptest.NewRecorder()
	h.Healthz().ServeHTTP(w, httptest.NewRequest("GET", "/healthz", nil))
	if w.Code != 200 || w.Body.String() != "ok\n" {
		t.Errorf("healthz = %d %q; must be ok regardless of checks and draining", w.Code, w.Body)
	}
}

func TestReadyzOK(t *testing.T) {
	h := NewHealth(nil, 0)
	h.AddCheck("database", func(ctx context.Context) error {
		if _, ok := ctx.Deadline(); !ok {
			return errors.New("check got no deadline")
		}
		return nil
	})
	h.AddCheck("storage", func(context.Context) error { return nil })
	r := callReady(t, h)
	if r.code != 200 || r.body["status"] != "ok" || r.body["failed"] != nil {
		t.Errorf("got %d %s", r.code, r.raw)
	}
}

func TestReadyzNoChecks(t *testing.T) {
	if r := callReady(t, NewHealth(nil, 0)); r.code != 200 {
		t.Errorf("got %d %s", r.code, r.raw)
	}
}

func TestReadyzFailingDoesNotLeakErrors(t *testing.T) {
	var logs bytes.Buffer
	logger, err := NewLogger(&logs, "json", "info", []string{"hunter22"})
	if err != nil {
		t.Fatal(err)
	}
	h := NewHealth(logger, 0)
	h.cacheFor = 0
	var dbDown atomic.Bool
	dbDown.Store(true)
	h.AddCheck("database", func(context.Context) error {
		if dbDown.Load() {
			return errors.New("dial tcp db.internal:3306 for mysql://app:hunter22@db.internal/lostinnl: connection refused")
		}
		return nil
	})
	h.AddCheck("storage", func(context.Context) error { return nil })
	h.AddCheck("panicky", func(context.Context) error { panic("bug in check") })

	for range 3 { // repeated polls: one log line per state change, not per poll
		r := callReady(t, h)
		if r.code != 503 || r.body["status"] != "unavailable" {
			t.Fatalf("got %d %s", r.code, r.raw)
		}
		failed, _ := r.body["failed"].(map[string]any)
		if failed["database"] != "unavailable" || failed["panicky"] != "unavailable" || len(failed) != 2 {
			t.Errorf("failed = %v", failed)
		}
		for _, leak := range []string{"hunter22", "db.internal", "3306", "mysql", "refused", "bug"} {
			if strings.Contains(r.raw, leak) {
				t.Errorf("readyz body leaks %q: %s", leak, r.raw)
			}
		}
	}
	dbDown.Store(false)
	r := callReady(t, h)
	failed, _ := r.body["failed"].(map[string]any)
	if r.code != 503 || len(failed) != 1 || failed["panicky"] == nil {
		t.Errorf("after db recovery: %d %s", r.code, r.raw)
	}

	out := logs.String()
	if strings.Contains(out, "hunter22") {
		t.Errorf("secret in health log: %s", out)
	}
	if n := strings.Count(out, `"check":"database"`); n != 2 { // failing once, recovered once
		t.Errorf("want 2 database log lines (fail, recover), got %d:\n%s", n, out)
	}
	if !strings.Contains(out, "connection refused") {
		t.Errorf("the full error belongs in the log:\n%s", out)
	}
}

func TestReadyzTimeout(t *testing.T) {
	h := NewHealth(nil, 50*time.Millisecond)
	release := make(chan struct{})
	defer close(release)
	// One check honours the context, one ignores it completely: neither may
	// hold /readyz past the deadline.
	h.AddCheck("database", func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	})
	h.AddCheck("storage", func(context.Context) error {
		<-release
		return nil
	})
	h.AddCheck("fast", func(context.Context) error { return nil })
	r := callReady(t, h)
	failed, _ := r.body["failed"].(map[string]any)
	if r.code != 503 || failed["database"] != "timeout" || failed["storage"] != "timeout" || failed["fast"] != nil {
		t.Errorf("got %d %s", r.code, r.raw)
	}
}

func TestReadyzClientGoneIsNotATimeout(t *testing.T) {
	h := NewHealth(nil, time.Second)
	h.AddCheck("database", func(ctx context.Context) error { return ctx.Err() })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if failed := h.Check(ctx); len(failed) != 0 {
		t.Errorf("a cancelled caller made a healthy check fail: %v", failed)
	}
}

func TestReadyzDraining(t *testing.T) {
	h := NewHealth(nil, 0)
	var calls atomic.Int32
	h.AddCheck("database", func(context.Context) error { calls.Add(1); return nil })
	if r := callReady(t, h); r.code != 200 {
		t.Fatalf("before draining: %d", r.code)
	}
	h.SetDraining()
	before := calls.Load()
	r := callReady(t, h)
	if r.code != 503 || r.body["status"] != "draining" || r.body["failed"] != nil {
		t.Errorf("draining: %d %s", r.code, r.raw)
	}
	if calls.Load() != before {
		t.Error("draining readyz should not run checks")
	}
	if !h.Draining() {
		t.Error("Draining() false")
	}
}

func TestReadyzCoalescesConcurrentCalls(t *testing.T) {
	h := NewHealth(nil, 0)
	var calls atomic.Int32
	h.AddCheck("database", func(context.Context) error { calls.Add(1); return nil })
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			w := httptest.NewRecorder()
			h.Readyz().ServeHTTP(w, httptest.NewRequest("GET", "/readyz", nil))
			if w.Code != 200 {
				t.Errorf("code %d", w.Code)
			}
		})
	}
	wg.Wait()
	// The cache lasts a second; 20 calls made together run the check once
	// (or twice if the clock ticked over the boundary on a slow machine).
	if n := calls.Load(); n > 2 {
		t.Errorf("check ran %d times for 20 concurrent calls", n)
	}
}

func TestOpsMux(t *testing.T) {
	m := NewMetrics("v", "c")
	h := NewHealth(slog.New(slog.DiscardHandler), 0)
	mux := OpsMux(m, h)
	for _, tc := range []struct {
		method, path string
		code         int
	}{
		{"GET", "/healthz", 200}, {"HEAD", "/healthz", 200}, {"GET", "/readyz", 200},
		{"GET", "/metrics", 200}, {"POST", "/metrics", 405}, {"GET", "/", 404}, {"GET", "/debug/pprof/", 404},
	} {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest(tc.method, tc.path, nil))
		if w.Code != tc.code {
			t.Errorf("%s %s = %d, want %d", tc.method, tc.path, w.Code, tc.code)
		}
		if tc.method == "HEAD" && w.Body.Len() != 0 {
			t.Errorf("HEAD wrote a body")
		}
	}
	w := httptest.NewRecorder()
	OpsMux(nil, h).ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	if w.Code != 404 {
		t.Errorf("OpsMux without metrics: /metrics = %d", w.Code)
	}
}
