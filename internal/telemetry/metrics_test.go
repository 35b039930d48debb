package telemetry

import (
	"bufio"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// scrape fetches the exposition text and returns each sample ("name{labels}"
// exactly as printed) with its value.
func scrape(t *testing.T, h http.Handler) map[string]float64 {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	if w.Code != 200 {
		t.Fatalf("scrape status %d: %s", w.Code, w.Body)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(w.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			t.Fatalf("bad sample line %q", line)
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("bad value in %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

func TestMetricsAfterTraffic(t *testing.T) {
	m := NewMetrics("1.2.3", "deadbeef")
	var sessions atomic.Int64
	sessions.Store(3)
	if err := m.RegisterSessions(func() float64 { return float64(sessions.Load()) }); err != nil {
		t.Fatal(err)
	}
	if err := m.RegisterSessions(func() float64 { return 0 }); err == nil {
		t.Error("registering sessions twice must fail")
	}
	if err := m.RegisterDBStats(func() sql.DBStats {
		return sql.DBStats{MaxOpenConnections: 10, OpenConnections: 4, InUse: 1, Idle: 3, WaitCount: 9, WaitDuration: 1500 * time.Millisecond}
	}); err != nil {
		t.Fatal(err)
	}
	srv := testStack(t, slog.New(slog.DiscardHandler), m)
	get := func(method, target string) {
		r := httptest.NewRequest(method, target, nil)
		srv.ServeHTTP(httptest.NewRecorder(), r)
	}
	before := scrape(t, m.Handler())
	for _, k := range []string{
		`build_info{commit="deadbeef",goversion="` + runtime.Version() + `",version="1.2.3"}`,
		`sessions_active`, `http_requests_in_flight`,
		`db_pool_open_connections`, `db_pool_wait_count_total`,
	} {
		if _, ok := before[k]; !ok {
			t.Errorf("missing %s before traffic", k)
		}
	}
	if before[`db_pool_wait_duration_seconds_total`] != 1.5 || before[`db_pool_max_open_connections`] != 10 {
		t.Errorf("pool stats wrong: %v %v", before[`db_pool_wait_duration_seconds_total`], before[`db_pool_max_open_connections`])
	}
	if before["sessions_active"] != 3 {
		t.Errorf("sessions_active = %v", before["sessions_active"])
	}
	hasPrefix := func(s map[string]float64, p string) bool {
		for k := range s {
			if strings.HasPrefix(k, p) {
				return true
			}
		}
		return false
	}
	for _, p := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_cpu_seconds_total", "process_resident_memory_bytes"} {
		if !hasPrefix(before, p) {
			t.Errorf("runtime/process metric %s missing", p)
		}
	}

	for range 3 {
		get("GET", "/cases/1")
	}
	get("GET", "/cases/2")
	get("GET", "/nope/"+strings.Repeat("x", 50))
	get("GET", "/boom")
	get("BREW", "/cases/1") // arbitrary method must not become a label
	m.ObserveQuery("case_get", 3*time.Millisecond)
	m.ObserveQuery("case_get", 7*time.Millisecond)
	m.ObservePhoto(400 * time.Millisecond)
	m.PhotoRejected("too_large")
	m.FormRejected("tip", "validation")
	m.FormRejected("tip", "validation")
	m.RateLimited("submit")
	m.FormRejected("tip", "free text from a user\n")
	m.PhotoRejected("\xff\xfe") // invalid UTF-8 would make the client panic
	m.ObserveQuery(strings.Repeat("q", 65), time.Millisecond)
	sessions.Store(5)

	after := scrape(t, m.Handler())
	want := map[string]float64{
		`http_requests_total{method="GET",route="GET /cases/{id}",status="200"}`:    4,
		`http_requests_total{method="GET",route="unmatched",status="404"}`:          1,
		`http_requests_total{method="GET",route="GET /boom",status="500"}`:          1,
		`http_requests_total{method="OTHER",route="unmatched",status="405"}`:        1,
		`http_request_duration_seconds_count{method="GET",route="GET /cases/{id}"}`: 4,
		`db_query_duration_seconds_count{op="case_get"}`:                            2,
		`db_query_duration_seconds_sum{op="case_get"}`:                              0.01,
		`photo_pipeline_duration_seconds_count`:                                     1,
		`photo_rejections_total{reason="too_large"}`:                                1,
		`form_rejections_total{form="tip",reason="validation"}`:                     2,
		`rate_limit_hits_total{form="submit"}`:                                      1,
		`form_rejections_total{form="tip",reason="invalid"}`:                        1,
		`photo_rejections_total{reason="invalid"}`:                                  1,
		`db_query_duration_seconds_count{op="invalid"}`:                             1,
		`sessions_active`:         5,
		`http_requests_in_flight`: 0,
		`db_query_duration_seconds_bucket{op="case_get",le="0.005"}`:                           1,
		`http_request_duration_seconds_bucket{method="GET",route="GET /cases/{id}",le="+Inf"}`: 4,
	}
	for k, v := range want {
		got, ok := after[k]
		if !ok {
			t.Errorf("missing sample %s", k)
			continue
		}
		if diff := got - v; diff > 1e-9 || diff < -1e-9 {
			t.Errorf("%s = %v, want %v", k, got, v)
		}
	}
	for k := range after {
		if strings.Contains(k, "BREW") || strings.Contains(k, "/cases/1") || strings.Contains(k, "xxxx") {
			t.Errorf("unbounded label leaked into %s", k)
		}
	}
}

func TestMetricsInFlight(t *testing.T) {
	m := NewMetrics("v", "c")
	entered, release := make(chan struct{}), make(chan struct{})
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
	}))
	done := make(chan struct{})
	go func() {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
		close(done)
	}()
	<-entered
	if got := scrape(t, m.Handler())["http_requests_in_flight"]; got != 1 {
		t.Errorf("in flight during request = %v", got)
	}
	close(release)
	<-done
	if got := scrape(t, m.Handler())["http_requests_in_flight"]; got != 0 {
		t.Errorf("in flight after request = %v", got)
	}
}

func TestMetricsNilSafe(t *testing.T) {
	var m *Metrics
	m.ObserveQuery("x", time.Second)
	m.ObservePhoto(time.Second)
	m.PhotoRejected("x")
	m.FormRejected("x", "y")
	m.RateLimited("x")
	if err := m.RegisterSessions(func() float64 { return 1 }); err != nil {
		t.Error(err)
	}
	if err := m.RegisterDBStats(func() sql.DBStats { return sql.DBStats{} }); err != nil {
		t.Error(err)
	}
	if err := NewMetrics("v", "c").RegisterSessions(nil); err == nil {
		t.Error("nil sessions func accepted")
	}
	if err := NewMetrics("v", "c").RegisterDBStats(nil); err == nil {
		t.Error("nil stats func accepted")
	}
	called := false
	h := m.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if !called {
		t.Error("nil Metrics middleware must pass through")
	}
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	if w.Code != 404 {
		t.Errorf("nil Metrics handler: %d", w.Code)
	}
}

// Two Metrics in one process (two servers in a test binary) must not clash:
// nothing is registered globally.
func TestRegistryAcceptsExtraCollectors(t *testing.T) {
	m := NewMetrics("v", "c")
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "backups_total", Help: "test"})
	if err := m.Registry().Register(c); err != nil {
		t.Fatal(err)
	}
	c.Inc()
	if got := scrape(t, m.Handler())["backups_total"]; got != 1 {
		t.Errorf("backups_total = %v", got)
	}
	var nilM *Metrics
	if nilM.Registry() != nil {
		t.Error("nil Metrics has a registry")
	}
}

func TestMetricsIndependentRegistries(t *testing.T) {
	a, b := NewMetrics("a", "1"), NewMetrics("b", "2")
	a.RateLimited("tip")
	if _, ok := scrape(t, b.Handler())[`rate_limit_hits_total{form="tip"}`]; ok {
		t.Error("registries share state")
	}
}

func TestMetricsScrapeOverHTTP(t *testing.T) {
	m := NewMetrics("v", "c")
	srv := httptest.NewServer(OpsMux(m, NewHealth(nil, 0)))
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 || !strings.Contains(string(body), "# TYPE build_info gauge") {
		t.Errorf("status %d body %.200s", res.StatusCode, body)
	}
}

func BenchmarkMetricsMiddleware(b *testing.B) {
	m := NewMetrics("v", "c")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /cases/{id}", func(w http.ResponseWriter, r *http.Request) {})
	h := AccessLog(slog.New(slog.DiscardHandler), nil)(m.Middleware(CaptureRoute(mux)))
	r := httptest.NewRequest("GET", "/cases/1", nil)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
}

func TestRegisterPageCache(t *testing.T) {
	m := NewMetrics("v", "c")
	var st PageCacheStats
	var mu sync.Mutex
	stats := func() PageCacheStats { mu.Lock(); defer mu.Unlock(); return st }
	if err := m.RegisterPageCache(stats); err != nil {
		t.Fatal(err)
	}
	if err := m.RegisterPageCache(stats); err == nil {
		t.Error("registering the page cache twice must fail")
	}
	if err := NewMetrics("v", "c").RegisterPageCache(nil); err == nil {
		t.Error("nil stats func accepted")
	}
	var nilM *Metrics
	if err := nilM.RegisterPageCache(stats); err != nil {
		t.Error(err)
	}
	mu.Lock()
	st = PageCacheStats{Pages: 12, Bytes: 34567, Hits: 100, Misses: 7, Bypasses: 2, Refused: 5}
	mu.Unlock()
	got := scrape(t, m.Handler())
	for k, want := range map[string]float64{
		"page_cache_pages": 12, "page_cache_bytes": 34567,
		`page_cache_requests_total{result="hit"}`:    100,
		`page_cache_requests_total{result="miss"}`:   7,
		`page_cache_requests_total{result="bypass"}`: 2,
		"page_cache_refused_total":                   5,
	} {
		if v, ok := got[k]; !ok || v != want {
			t.Errorf("%s = %v (present %v), want %v", k, v, ok, want)
		}
	}
	// Read at every scrape, not once.
	mu.Lock()
	st.Hits = 250
	mu.Unlock()
	if v := scrape(t, m.Handler())[`page_cache_requests_total{result="hit"}`]; v != 250 {
		t.Errorf("hits after a change = %v, want 250", v)
	}
}

func TestRegisterMail(t *testing.T) {
	m := NewMetrics("v", "c")
	var mu sync.Mutex
	st := MailStats{ByState: map[string]int{"queued": 5, "failed": 1}, OldestQueuedSeconds: 42}
	stats := func() MailStats { mu.Lock(); defer mu.Unlock(); return st }
	attempt, err := m.RegisterMail(stats)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.RegisterMail(stats); err == nil {
		t.Error("registering twice must fail")
	}
	if _, err := NewMetrics("v", "c").RegisterMail(nil); err == nil {
		t.Error("nil stats accepted")
	}
	var nilM *Metrics
	if f, err := nilM.RegisterMail(stats); err != nil || f == nil {
		t.Error("nil metrics must give a no-op")
	} else {
		f("sent")
	}
	attempt("sent")
	attempt("sent")
	attempt("temporary")
	attempt("made-up")
	got := scrape(t, m.Handler())
	for k, want := range map[string]float64{
		`outbox_messages{state="queued"}`: 5, `outbox_messages{state="failed"}`: 1, `outbox_messages{state="sent"}`: 0,
		"outbox_oldest_queued_age_seconds":             42,
		`mail_send_attempts_total{result="sent"}`:      2,
		`mail_send_attempts_total{result="temporary"}`: 1,
		`mail_send_attempts_total{result="permanent"}`: 0,
		`mail_send_attempts_total{result="other"}`:     1,
	} {
		if v, ok := got[k]; !ok || v != want {
			t.Errorf("%s = %v (present %v), want %v", k, v, ok, want)
		}
	}
	mu.Lock()
	st.ByState = map[string]int{"queued": 0}
	mu.Unlock()
	if v := scrape(t, m.Handler())[`outbox_messages{state="queued"}`]; v != 0 {
		t.Errorf("queued after a change = %v", v)
	}
}
