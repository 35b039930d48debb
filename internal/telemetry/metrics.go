package telemetry

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics owns a private Prometheus registry (never the global default, so
// tests and several servers in one process do not collide) and the
// application's instruments. Every method is safe on a nil *Metrics and then
// does nothing, so packages can be used and tested without metrics.
//
// Label values given to the Observe/… methods must come from a small fixed
// set chosen in code (operation names, rejection reasons, form names), never
// from user input: each distinct value is a new time series kept forever.
type Metrics struct {
	reg *prometheus.Registry

	httpRequests  *prometheus.CounterVec
	httpDuration  *prometheus.HistogramVec
	httpInFlight  prometheus.Gauge
	dbQuery       *prometheus.HistogramVec
	photoDuration prometheus.Histogram
	photoRejected *prometheus.CounterVec
	formRejected  *prometheus.CounterVec
	rateLimitHits *prometheus.CounterVec
	orphanBlobs   prometheus.Counter
}

// NewMetrics creates the registry with the HTTP, database, photo, form and
// rate-limit instruments, build_info and the Go runtime and process
// collectors. The database pool and session gauges are added once their
// sources exist, with RegisterDBStats and RegisterSessions.
func NewMetrics(version, commit string) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "http_requests_total",
		Help: "HTTP requests served, by mux route pattern, method and status code.",
	}, []string{"route", "method", "status"})
	m.httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "http_request_duration_seconds",
		Help: "Time to serve HTTP requests, by mux route pattern and method.",
		// From a cached page (ms) to a multi-photo upload being resized (s).
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"route", "method"})
	m.httpInFlight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "http_requests_in_flight",
		Help: "HTTP requests being served right now.",
	})
	m.dbQuery = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "db_query_duration_seconds",
		Help:    "Database query latency, by operation.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"op"})
	m.photoDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "photo_pipeline_duration_seconds",
		Help:    "Time to validate, decode, orient, strip and resize one uploaded photo.",
		Buckets: []float64{.05, .1, .25, .5, 1, 2, 4, 8, 16, 30},
	})
	m.photoRejected = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "photo_rejections_total",
		Help: "Uploaded photos refused by the pipeline, by reason.",
	}, []string{"reason"})
	m.formRejected = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "form_rejections_total",
		Help: "Public form submissions refused, by form and reason (validation, honeypot, origin…).",
	}, []string{"form", "reason"})
	m.rateLimitHits = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "rate_limit_hits_total",
		Help: "Requests refused by a per-IP rate limit, by form.",
	}, []string{"form"})
	m.orphanBlobs = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "photo_orphan_blobs_removed_total",
		Help: "Photo blobs no row referenced (left by a crash between storing and committing), removed by the sweeper.",
	})
	buildInfo := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "build_info",
		Help: "Always 1; labels say which build is running.",
	}, []string{"version", "commit", "goversion"})
	buildInfo.WithLabelValues(version, commit, runtime.Version()).Set(1)

	m.reg.MustRegister(
		m.httpRequests, m.httpDuration, m.httpInFlight, m.dbQuery,
		m.photoDuration, m.photoRejected, m.formRejected, m.rateLimitHits, m.orphanBlobs,
		buildInfo,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// Registry gives access to the registry, for collectors of other packages.
func (m *Metrics) Registry() *prometheus.Registry {
	if m == nil {
		return nil
	}
	return m.reg
}

// Handler serves the registry in the Prometheus exposition format. Mount it
// on the ops listener only: it reveals internals.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		// A failing collector should not hide all the others.
		ErrorHandling: promhttp.ContinueOnError,
		// Scrapers do not need parallelism; this bounds the work a
		// misbehaving one can cause.
		MaxRequestsInFlight: 4,
		Timeout:             10 * time.Second,
		Registry:            m.reg,
	})
}

// Middleware records request count, latency and in-flight requests. Labels
// are bounded: the route is a mux pattern or "unmatched" (see CaptureRoute),
// the method one of the standard ones or "OTHER", the status a code.
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	if m == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		r, slot := withRouteSlot(r)
		rec := newResponseRecorder(w)
		m.httpInFlight.Inc()
		defer func() {
			m.httpInFlight.Dec()
			route, method := routeOf(r, slot), methodLabel(r.Method)
			m.httpRequests.WithLabelValues(route, method, strconv.Itoa(rec.Status())).Inc()
			m.httpDuration.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
		}()
		next.ServeHTTP(rec, r)
	})
}

// methodLabel keeps the method label bounded: a client may send any token as
// a method.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "OTHER"
}

// InvalidLabel replaces a label value that is not a short identifier.
const InvalidLabel = "invalid"

// codeLabel guards the label values callers pass in. They are meant to be
// identifiers chosen in code; anything else (free text, invalid UTF-8, which
// would make the Prometheus client panic) is collapsed into one "invalid"
// series instead of growing the series count or crashing a request.
func codeLabel(s string) string {
	if s == "" || len(s) > 64 {
		return InvalidLabel
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-', c == '.', c == ':':
		default:
			return InvalidLabel
		}
	}
	return s
}

// ObserveQuery records how long one database operation took. op names the
// operation ("case_get", "case_list", "tip_insert"…).
func (m *Metrics) ObserveQuery(op string, d time.Duration) {
	if m == nil {
		return
	}
	m.dbQuery.WithLabelValues(codeLabel(op)).Observe(d.Seconds())
}

// ObservePhoto records the pipeline time of one photo.
func (m *Metrics) ObservePhoto(d time.Duration) {
	if m == nil {
		return
	}
	m.photoDuration.Observe(d.Seconds())
}

// PhotoRejected counts a photo refused by the pipeline ("too_large",
// "bad_format", "too_many_pixels"…).
func (m *Metrics) PhotoRejected(reason string) {
	if m == nil {
		return
	}
	m.photoRejected.WithLabelValues(codeLabel(reason)).Inc()
}

// FormRejected counts a refused form submission ("tip", "validation").
func (m *Metrics) FormRejected(form, reason string) {
	if m == nil {
		return
	}
	m.formRejected.WithLabelValues(codeLabel(form), codeLabel(reason)).Inc()
}

// RateLimited counts a request refused by the rate limiter of form.
func (m *Metrics) RateLimited(form string) {
	if m == nil {
		return
	}
	m.rateLimitHits.WithLabelValues(codeLabel(form)).Inc()
}

// OrphanBlobsRemoved counts n photo blobs removed by the orphan sweeper.
func (m *Metrics) OrphanBlobsRemoved(n int) {
	if m == nil || n <= 0 {
		return
	}
	m.orphanBlobs.Add(float64(n))
}

// RegisterSessions exposes sessions_active, read from count at every scrape.
// count runs on the scrape path: it must be cheap (a cached number, not a
// query per scrape) and safe for concurrent use.
func (m *Metrics) RegisterSessions(count func() float64) error {
	if m == nil {
		return nil
	}
	if count == nil {
		return errors.New("register sessions gauge: nil count function")
	}
	g := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "sessions_active",
		Help: "Signed-in staff sessions that have not expired.",
	}, count)
	if err := m.reg.Register(g); err != nil {
		return fmt.Errorf("register sessions gauge: %w", err)
	}
	return nil
}

// RegisterDBStats exposes the database/sql pool statistics returned by stats
// (normally (*sql.DB).Stats) at every scrape.
func (m *Metrics) RegisterDBStats(stats func() sql.DBStats) error {
	if m == nil {
		return nil
	}
	if stats == nil {
		return errors.New("register database pool collector: nil stats function")
	}
	if err := m.reg.Register(newDBStatsCollector(stats)); err != nil {
		return fmt.Errorf("register database pool collector: %w", err)
	}
	return nil
}

// dbStatsCollector turns sql.DBStats into metrics at scrape time. The
// client_golang collector wants a *sql.DB; a function keeps the store's
// handle private to the store.
type dbStatsCollector struct {
	stats func() sql.DBStats

	maxOpen, open, inUse, idle                          *prometheus.Desc
	waitCount, waitDuration                             *prometheus.Desc
	maxIdleClosed, maxIdleTimeClosed, maxLifetimeClosed *prometheus.Desc
}

func newDBStatsCollector(stats func() sql.DBStats) *dbStatsCollector {
	d := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc("db_pool_"+name, help, nil, nil)
	}
	return &dbStatsCollector{
		stats:             stats,
		maxOpen:           d("max_open_connections", "Configured maximum of open connections (0 = unlimited)."),
		open:              d("open_connections", "Open connections, in use and idle."),
		inUse:             d("in_use_connections", "Connections in use."),
		idle:              d("idle_connections", "Idle connections."),
		waitCount:         d("wait_count_total", "Times a query waited for a free connection."),
		waitDuration:      d("wait_duration_seconds_total", "Total time spent waiting for a free connection."),
		maxIdleClosed:     d("max_idle_closed_total", "Connections closed because of the idle-connection limit."),
		maxIdleTimeClosed: d("max_idle_time_closed_total", "Connections closed because they were idle too long."),
		maxLifetimeClosed: d("max_lifetime_closed_total", "Connections closed because they reached their maximum lifetime."),
	}
}

func (c *dbStatsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.maxOpen, c.open, c.inUse, c.idle, c.waitCount,
		c.waitDuration, c.maxIdleClosed, c.maxIdleTimeClosed, c.maxLifetimeClosed} {
		ch <- d
	}
}

func (c *dbStatsCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.stats()
	g := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v)
	}
	k := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	g(c.maxOpen, float64(s.MaxOpenConnections))
	g(c.open, float64(s.OpenConnections))
	g(c.inUse, float64(s.InUse))
	g(c.idle, float64(s.Idle))
	k(c.waitCount, float64(s.WaitCount))
	k(c.waitDuration, s.WaitDuration.Seconds())
	k(c.maxIdleClosed, float64(s.MaxIdleClosed))
	k(c.maxIdleTimeClosed, float64(s.MaxIdleTimeClosed))
	k(c.maxLifetimeClosed, float64(s.MaxLifetimeClosed))
}

// PageCacheStats is what RegisterPageCache reads at every scrape: the
// public page cache's size now and its counters since start.
type PageCacheStats struct {
	Pages, Bytes           int
	Hits, Misses, Bypasses uint64
	Refused                uint64 // misses not kept: the cache was full of pages asked for more often
}

// RegisterPageCache exposes page_cache_pages, page_cache_bytes,
// page_cache_requests_total{result="hit|miss|bypass"} and
// page_cache_refused_total, read from stats at every scrape (it must be
// cheap: counters and a length, no query). A hit ratio that falls, or
// bypasses that climb (the content revision cannot be read), show before
// the database feels it; refusals that climb with the misses say the
// budget (LOSTINNL_PAGE_CACHE_MB) holds fewer pages than are asked for.
func (m *Metrics) RegisterPageCache(stats func() PageCacheStats) error {
	if m == nil {
		return nil
	}
	if stats == nil {
		return errors.New("register page cache metrics: nil stats function")
	}
	cs := []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "page_cache_pages",
			Help: "Rendered public pages kept by this instance's page cache.",
		}, func() float64 { return float64(stats().Pages) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "page_cache_bytes",
			Help: "Approximate memory held by the page cache's compressed pages.",
		}, func() float64 { return float64(stats().Bytes) }),
	}
	const help = "Requests for cacheable public pages: hit (no page built), miss (page built), bypass (cache not confirmed against the database)."
	for result, get := range map[string]func(PageCacheStats) uint64{
		"hit":    func(s PageCacheStats) uint64 { return s.Hits },
		"miss":   func(s PageCacheStats) uint64 { return s.Misses },
		"bypass": func(s PageCacheStats) uint64 { return s.Bypasses },
	} {
		cs = append(cs, prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name:        "page_cache_requests_total",
			Help:        help,
			ConstLabels: prometheus.Labels{"result": result},
		}, func() float64 { return float64(get(stats())) }))
	}
	cs = append(cs, prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "page_cache_refused_total",
		Help: "Misses whose page was not kept: the cache was full of pages asked for at least as often.",
	}, func() float64 { return float64(stats().Refused) }))
	for _, c := range cs {
		if err := m.reg.Register(c); err != nil {
			return fmt.Errorf("register page cache metrics: %w", err)
		}
	}
	return nil
}
