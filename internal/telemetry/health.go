package telemetry

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultReadyTimeout is how long /readyz waits for its checks. A load
// balancer polls every few seconds; a check slower than this is as good as
// failed.
const DefaultReadyTimeout = 2 * time.Second

// readyCacheFor lets concurrent and rapid /readyz calls share one run of the
// checks: /readyz is also on the public port, and must not become a way to
// hammer the database with pings.
const readyCacheFor = time.Second

// Health serves /healthz and /readyz. Register checks at start-up with
// AddCheck; call SetDraining when shutdown begins so the load balancer stops
// sending traffic before the listener closes.
type Health struct {
	logger  *slog.Logger
	timeout time.Duration

	mu     sync.Mutex
	checks []namedCheck
	last   map[string]string // last failure reason per check, for logging transitions

	draining atomic.Bool

	// run coalescing and caching
	runMu    sync.Mutex
	cached   map[string]string
	cachedAt time.Time
	cacheFor time.Duration
	now      func() time.Time
}

type namedCheck struct {
	name string
	fn   func(context.Context) error
}

// NewHealth returns a Health whose checks must finish within timeout
// (DefaultReadyTimeout when timeout <= 0). Failures are logged to logger once
// per change of state, with the full error; the HTTP body only says
// "unavailable" or "timeout", because /readyz is public and errors can hold
// host names or worse.
func NewHealth(logger *slog.Logger, timeout time.Duration) *Health {
	if timeout <= 0 {
		timeout = DefaultReadyTimeout
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Health{
		logger:   logger,
		timeout:  timeout,
		last:     map[string]string{},
		cacheFor: readyCacheFor,
		now:      time.Now,
	}
}

// AddCheck registers a named readiness check ("database", "storage"). fn must
// honour ctx's deadline.
func (h *Health) AddCheck(name string, fn func(ctx context.Context) error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.checks = append(h.checks, namedCheck{name: name, fn: fn})
}

// SetDraining makes /readyz answer 503 {"status":"draining"} from now on.
func (h *Health) SetDraining() { h.draining.Store(true) }

// Draining reports whether SetDraining was called.
func (h *Health) Draining() bool { return h.draining.Load() }

// Check runs every check concurrently and returns the failed ones with a
// public reason ("unavailable" or "timeout"). An empty map means ready.
// Results are shared with calls made less than a second earlier.
func (h *Health) Check(ctx context.Context) map[string]string {
	h.runMu.Lock()
	defer h.runMu.Unlock()
	if h.cached != nil && h.now().Sub(h.cachedAt) < h.cacheFor {
		return copyMap(h.cached)
	}
	failed := h.run(ctx)
	h.cached, h.cachedAt = failed, h.now()
	return copyMap(failed)
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

type checkResult struct {
	name string
	err  error
}

func (h *Health) run(ctx context.Context) map[string]string {
	h.mu.Lock()
	checks := append([]namedCheck(nil), h.checks...)
	h.mu.Unlock()

	// Not tied to the caller's context alone: a client hanging up must not
	// make us record "timeout" for a healthy database. Keep its values.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), h.timeout)
	defer cancel()

	// Buffered so that a check ignoring its context can finish later
	// without blocking forever on a send nobody receives.
	results := make(chan checkResult, len(checks))
	for _, c := range checks {
		go func() {
			results <- checkResult{name: c.name, err: safeCall(ctx, c.fn)}
		}()
	}
	errs := make(map[string]error, len(checks))
	pending := len(checks)
wait:
	for pending > 0 {
		select {
		case res := <-results:
			errs[res.name] = res.err
			pending--
		case <-ctx.Done():
			break wait
		}
	}

	failed := map[string]string{}
	for _, c := range checks {
		err, done := errs[c.name]
		switch {
		case !done:
			err = context.DeadlineExceeded
			failed[c.name] = "timeout"
		case err == nil:
		case errors.Is(err, context.DeadlineExceeded):
			failed[c.name] = "timeout"
		default:
			failed[c.name] = "unavailable"
		}
		h.logTransition(c.name, err)
	}
	return failed
}

// safeCall runs a check, turning a panic into a failure: a buggy check must
// not take the process down through the health endpoint.
func safeCall(ctx context.Context, fn func(context.Context) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = errors.New("check panicked")
		}
	}()
	return fn(ctx)
}

// logTransition logs a check that starts failing, changes its error, or
// recovers — once, not at every poll of the load balancer.
func (h *Health) logTransition(name string, err error) {
	h.mu.Lock()
	prev, wasFailing := h.last[name]
	now := ""
	if err != nil {
		now = err.Error()
		h.last[name] = now
	} else {
		delete(h.last, name)
	}
	h.mu.Unlock()
	switch {
	case err != nil && (!wasFailing || prev != now):
		h.logger.Warn("readiness check failing", slog.String("check", name), slog.String("error", now))
	case err == nil && wasFailing:
		h.logger.Info("readiness check recovered", slog.String("check", name))
	}
}

// Healthz answers 200 "ok" while the process is up: it is the liveness probe
// and deliberately checks nothing else, so a database outage never gets the
// process restarted.
func (h *Health) Healthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write([]byte("ok\n")) // the client may be gone; nothing to do
		}
	})
}

type readyBody struct {
	Status string            `json:"status"`
	Failed map[string]string `json:"failed,omitempty"`
}

// Readyz answers 200 {"status":"ok"} when every check passes,
// 503 {"status":"unavailable","failed":{"database":"timeout"}} when some fail,
// and 503 {"status":"draining"} once shutdown has begun.
func (h *Health) Readyz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, code := readyBody{Status: "ok"}, http.StatusOK
		if h.Draining() {
			body, code = readyBody{Status: "draining"}, http.StatusServiceUnavailable
		} else if failed := h.Check(r.Context()); len(failed) > 0 {
			body, code = readyBody{Status: "unavailable", Failed: failed}, http.StatusServiceUnavailable
		}
		out, err := json.Marshal(body)
		if err != nil { // cannot happen with string maps; keep the probe honest anyway
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		if r.Method != http.MethodHead {
			_, _ = w.Write(append(out, '\n'))
		}
	})
}

// OpsMux is the handler of the ops listener (LOSTINNL_OPS_ADDR): /metrics,
// /healthz and /readyz. metrics may be nil (no /metrics).
func OpsMux(metrics *Metrics, health *Health) http.Handler {
	mux := http.NewServeMux()
	if metrics != nil {
		mux.Handle("GET /metrics", metrics.Handler())
	}
	mux.Handle("GET /healthz", health.Healthz())
	mux.Handle("GET /readyz", health.Readyz())
	return mux
}
