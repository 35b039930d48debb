package opstest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// metrics scrapes a Prometheus text endpoint into sample → value, where
// sample is the line's name and labels exactly as printed.
func metrics(t *testing.T, c *http.Client, base string) map[string]float64 {
	t.Helper()
	r := get(t, c, base+"/metrics")
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s/metrics = %d", base, r.Status)
	}
	out := map[string]float64{}
	for _, line := range strings.Split(r.Body, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

// sum adds every sample of the family name whose labels contain all of
// the given `key="value"` pairs.
func sum(m map[string]float64, name string, labels ...string) (float64, bool) {
	var total float64
	found := false
	for k, v := range m {
		n, rest, _ := strings.Cut(k, "{")
		if n != name {
			continue
		}
		ok := true
		for _, l := range labels {
			if !strings.Contains(rest, l) {
				ok = false
			}
		}
		if ok {
			total += v
			found = true
		}
	}
	return total, found
}

// TestMetricsAfterTraffic: the ops listener serves Prometheus metrics, the
// public one does not, and the request metrics move with traffic.
func TestMetricsAfterTraffic(t *testing.T) {
	p := start(t, filepath.Join(t.TempDir(), "data"), nil)
	c := newClient()
	siteWired(t, c, p)

	before := metrics(t, c, p.Ops)
	for _, family := range []string{
		"build_info", "http_requests_total", "http_request_duration_seconds_count", "http_requests_in_flight",
		"db_pool_open_connections", "db_pool_in_use_connections", "db_pool_max_open_connections", "db_pool_wait_count_total",
		"go_goroutines", "go_memstats_heap_alloc_bytes", "process_resident_memory_bytes", "process_open_fds",
	} {
		if _, ok := sum(before, family); !ok {
			t.Errorf("metric %s missing from /metrics", family)
		}
	}
	if r := get(t, c, p.URL+"/metrics"); r.Status == http.StatusOK && strings.Contains(r.Body, "go_goroutines") {
		t.Errorf("/metrics is served on the public port")
	}

	const pages = 10
	for range pages {
		if r := get(t, c, p.URL+"/cases"); r.Status != http.StatusOK {
			t.Fatalf("GET /cases = %d", r.Status)
		}
	}
	for i := range 3 {
		req, err := contactRequest(t.Context(), p.URL, fmt.Sprintf("opstest-metrics-%d", i), "hello")
		if err != nil {
			t.Fatal(err)
		}
		if r := do(t, c, req); r.Status != http.StatusSeeOther {
			t.Fatalf("POST /contact = %d", r.Status)
		}
	}
	after := metrics(t, c, p.Ops)

	// The server runs with GOGC 45 unless told otherwise (cli.tuneGC), so
	// the page cache's bytes do not double the heap.
	if v, ok := sum(after, "go_gc_gogc_percent"); !ok || v != 45 {
		t.Errorf("go_gc_gogc_percent = %v (present %v), want 45", v, ok)
	}
	// The page cache is confirmed against the database's content revision
	// within about a second of start; from then on the same listing is
	// answered from it.
	waitFor(t, "a page cache hit", func() bool {
		if r := get(t, c, p.URL+"/cases"); r.Status != http.StatusOK {
			t.Fatalf("GET /cases = %d", r.Status)
		}
		hits, _ := sum(metrics(t, c, p.Ops), "page_cache_requests_total", `result="hit"`)
		return hits > 0
	})
	m := metrics(t, c, p.Ops)
	if pages, _ := sum(m, "page_cache_pages"); pages < 1 {
		t.Errorf("page_cache_pages = %v after cached listings", pages)
	}
	if b, _ := sum(m, "page_cache_bytes"); b <= 0 {
		t.Errorf("page_cache_bytes = %v after cached listings", b)
	}
	if misses, ok := sum(m, "page_cache_requests_total", `result="miss"`); !ok || misses < 1 {
		t.Errorf(`page_cache_requests_total{result="miss"} = %v (present %v), want the first listing counted`, misses, ok)
	}
	if refused, ok := sum(m, "page_cache_refused_total"); !ok || refused != 0 {
		t.Errorf("page_cache_refused_total = %v (present %v), want 0 with the budget far from full", refused, ok)
	}

	total0, _ := sum(before, "http_requests_total")
	total1, _ := sum(after, "http_requests_total")
	if total1 < total0+pages+3 {
		t.Errorf("http_requests_total went from %v to %v after %d requests", total0, total1, pages+3)
	}
	d0, _ := sum(before, "http_request_duration_seconds_count")
	d1, _ := sum(after, "http_request_duration_seconds_count")
	if d1 < d0+pages+3 {
		t.Errorf("http_request_duration_seconds_count went from %v to %v after %d requests", d0, d1, pages+3)
	}

	// Labels are route patterns (DESIGN/issue 7: "by route pattern"): the
	// ten listings must be counted under their own route, not under the
	// catch-all that mounts the site.
	if n, _ := sum(after, "http_requests_total", `route="GET /cases"`, `status="200"`); n < pages {
		t.Errorf(`http_requests_total{route="GET /cases",status="200"} = %v after %d listings; routes seen: %v`,
			n, pages, routeLabels(after))
	}
	if n, _ := sum(after, "http_requests_total", `route="POST /contact"`, `status="303"`); n < 3 {
		t.Errorf(`http_requests_total{route="POST /contact",status="303"} = %v after 3 posts`, n)
	}
}

// TestMetricsFedByTheApp: the application-level metrics listed in issue 7
// (and in docs/operations.md's alarms) must be fed: database query latency,
// form rejections. They exist only once something observes them.
func TestMetricsFedByTheApp(t *testing.T) {
	p := start(t, filepath.Join(t.TempDir(), "data"), nil)
	c := newClient()
	siteWired(t, c, p)
	get(t, c, p.URL+"/cases")
	// One honeypot hit and one invalid form.
	for _, form := range []url.Values{
		{"name": {"Bot"}, "email": {"bot@example.org"}, "message": {"buy"}, "website": {"http://spam.example"}},
		{"name": {"Someone"}, "email": {"not-an-email"}, "message": {""}},
	} {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, p.URL+"/contact", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		do(t, c, req)
	}
	m := metrics(t, c, p.Ops)
	if n, ok := sum(m, "db_query_duration_seconds_count"); !ok || n == 0 {
		t.Errorf("db_query_duration_seconds has no observations after a listing: query latency is not fed (telemetry.Metrics.ObserveQuery is never called)")
	}
	if n, ok := sum(m, "form_rejections_total", `form="contact"`); !ok || n < 2 {
		t.Errorf("form_rejections_total{form=\"contact\"} = %v after a honeypot hit and an invalid form (telemetry.Metrics.FormRejected is never called)", n)
	}
}

func routeLabels(m map[string]float64) []string {
	seen := map[string]bool{}
	var out []string
	for k := range m {
		if !strings.HasPrefix(k, "http_requests_total{") {
			continue
		}
		i := strings.Index(k, `route="`)
		if i < 0 {
			continue
		}
		r := k[i+7:]
		r = r[:strings.IndexByte(r, '"')]
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// TestAccessLog: one JSON line per request with the documented fields; the
// route pattern instead of the path (ids and queries are not logged); a
// request id that is also in the response header; a client cannot choose
// its own request id (no trusted proxy is configured).
func TestAccessLog(t *testing.T) {
	p := start(t, filepath.Join(t.TempDir(), "data"), nil)
	c := newClient()
	siteWired(t, c, p)

	r := get(t, c, p.URL+"/cases/987654?q=private-search-term", "X-Request-ID", "client-chosen-id")
	if r.Status != http.StatusNotFound {
		t.Fatalf("GET /cases/987654 = %d, want 404", r.Status)
	}
	rid := r.Header.Get("X-Request-ID")
	if rid == "" || rid == "client-chosen-id" {
		t.Errorf("response X-Request-ID %q: want a generated id (the client is not a trusted proxy)", rid)
	}
	if !strings.Contains(r.Body, rid) {
		t.Errorf("the 404 page does not show the request id %q", rid)
	}
	line := p.waitLog(func(l logLine) bool { return l.str("msg") == "request" && l.str("request_id") == rid })
	want := map[string]any{"method": "GET", "route": "GET /cases/{id}", "status": float64(404), "client_ip": "127.0.0.1"}
	for k, v := range want {
		if line.Fields[k] != v {
			t.Errorf("access log %s = %v, want %v (line %s)", k, line.Fields[k], v, line.Raw)
		}
	}
	for _, k := range []string{"bytes", "duration_ms"} {
		if n, ok := line.Fields[k].(float64); !ok || (k == "bytes" && n <= 0) || n < 0 {
			t.Errorf("access log %s = %v (line %s)", k, line.Fields[k], line.Raw)
		}
	}
	for _, k := range []string{"time", "level"} {
		if line.Fields[k] == nil {
			t.Errorf("access log has no %s: %s", k, line.Raw)
		}
	}
	// What people typed and the ids they looked at stay out of the logs.
	req, err := contactRequest(t.Context(), p.URL, "opstest-accesslog", "my phone is 709-555-0199")
	if err != nil {
		t.Fatal(err)
	}
	pr := do(t, c, req)
	p.waitLog(func(l logLine) bool {
		return l.str("msg") == "request" && l.str("request_id") == pr.Header.Get("X-Request-ID")
	})
	for _, l := range p.logs() {
		for _, secret := range []string{"987654", "private-search-term", "709-555-0199", "client-chosen-id"} {
			if strings.Contains(l.Raw, secret) {
				t.Errorf("log line holds %q: %s", secret, l.Raw)
			}
		}
	}
}

// TestLogInjection sends requests whose paths, queries and headers carry
// newlines, carriage returns, ANSI escapes and fake log records, in both
// log formats, and checks that each request still makes exactly one log
// line and no forged line appears.
func TestLogInjection(t *testing.T) {
	forged := `{"time":"2026-01-01T00:00:00Z","level":"ERROR","msg":"forged"}`
	forgedText := `time=2026-01-01T00:00:00Z level=ERROR msg=forged`
	paths := []string{
		"/cases/1%0a" + url.PathEscape(forged),
		"/cases/%0d%0a" + url.PathEscape(forgedText),
		"/nope%0A%1b[31mred%1b[0m",
		"/cases?q=%0a" + url.QueryEscape(forged) + "&region=%0d%0a" + url.QueryEscape(forgedText),
		"/%E2%80%A8" + url.PathEscape(forged), // U+2028 line separator
		"/%ff%fe%0a",
	}
	for _, run := range []struct{ name, format, proxies string }{
		{"json", "json", ""},
		{"text", "text", ""},
		// Behind a trusted proxy, X-Request-ID and X-Forwarded-For are
		// believed, so hostile values in them reach the access log's
		// request_id and client_ip fields unless they are validated.
		{"json behind proxy", "json", "127.0.0.1/32"},
		{"text behind proxy", "text", "127.0.0.1/32"},
	} {
		t.Run(run.name, func(t *testing.T) {
			format := run.format
			p := start(t, filepath.Join(t.TempDir(), "data"), []string{"LOSTINNL_LOG_FORMAT=" + format, "LOSTINNL_TRUSTED_PROXIES=" + run.proxies})
			siteWired(t, newClient(), p)
			host := strings.TrimPrefix(p.URL, "http://")
			sent := 1 // GET /contact in siteWired
			for _, path := range paths {
				// Raw requests, so nothing on our side cleans the target.
				// Header values may not hold C0 controls (net/http answers
				// 400 before any handler), but may hold UTF-8 line
				// separators and C1 controls.
				rawRequest(t, host, "GET "+path+" HTTP/1.1\r\nHost: "+host+"\r\nUser-Agent: x\u2028y\u0085z\r\nX-Request-ID: "+
					url.PathEscape(forged)+"\u2028"+forged+"\r\nReferer: a%0a"+forgedText+"\r\nX-Forwarded-For: 203.0.113.9\u2028"+forged+", 127.0.0.1\r\nConnection: close\r\n\r\n")
				sent++
			}
			// A final marker request: once its line is there, all earlier ones are.
			// (/healthz would not do: probes are not access-logged.)
			rawRequest(t, host, "GET /about HTTP/1.1\r\nHost: "+host+"\r\nConnection: close\r\n\r\n")
			p.waitLog(func(l logLine) bool { return l.str("msg") == "request" && l.str("route") == "GET /about" })
			if code, _ := p.stop(); code != 0 {
				t.Errorf("exit %d", code)
			}
			requests := 0
			for _, l := range p.logs() {
				if format == "json" && l.Fields == nil {
					t.Errorf("a log line is not JSON (a broken or forged line): %q", l.Raw)
					continue
				}
				if format == "text" && !strings.HasPrefix(l.Raw, "time=") {
					t.Errorf("a log line does not start with time= (a broken or forged line): %q", l.Raw)
				}
				if l.str("msg") == "forged" || strings.HasPrefix(l.Raw, forgedText) || strings.HasPrefix(l.Raw, `{"time":"2026-01-01`) {
					t.Errorf("forged log line: %q", l.Raw)
				}
				if strings.ContainsAny(l.Raw, "\x1b\r\u2028\u0085") {
					t.Errorf("log line carries a raw control character: %q", l.Raw)
				}
				if l.str("msg") == "request" || strings.Contains(l.Raw, " msg=request ") {
					requests++
				}
			}
			if requests != sent+1 {
				t.Errorf("%d access-log lines for %d requests", requests, sent+1)
			}
		})
	}
}

// rawRequest sends one raw HTTP/1.1 request and reads the answer to EOF.
func rawRequest(t *testing.T, host, raw string) string {
	t.Helper()
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(guard)); err != nil { // guard, not an assertion
		t.Fatal(err)
	}
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no HTTP answer to %.80q: %v", raw, err)
	}
	b, _ := io.ReadAll(resp.Body) // what matters is the log; the body may be anything
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		t.Errorf("%.80q answered %d", raw, resp.StatusCode)
	}
	return string(b)
}
